// Places shoppers name when they ask about delivery: Saudi cities and regions, and the nearby
// countries and cities they ask about most, in English, Arabic and Arabizi spellings. A general
// gazetteer, so a delivery question about a city the merchant did not list is still understood
// as a delivery question about that place.
import { normalizeText } from "../nlp/normalize.js";

export interface Place {
  /** English name, used to report the place back. */
  en: string;
  ar: string;
  /** In Saudi Arabia (a "rest of the kingdom" zone covers it). */
  saudi: boolean;
}

const SAUDI: Array<[string, string, ...string[]]> = [
  ["Riyadh", "الرياض", "riyad", "alriyadh", "el riyadh", "riyadh city"],
  ["Jeddah", "جدة", "jidda", "jiddah", "jedda", "jeda", "جده"],
  ["Makkah", "مكة", "mecca", "makka", "makkah al mukarramah", "مكه", "مكة المكرمة"],
  ["Madinah", "المدينة", "medina", "madina", "al madinah", "المدينة المنورة", "المدينه"],
  ["Dammam", "الدمام", "damam", "el dammam", "دمام"],
  ["Khobar", "الخبر", "al khobar", "alkhobar", "khubar"],
  ["Dhahran", "الظهران", "dahran"],
  ["Al Ahsa", "الأحساء", "ahsa", "al hasa", "hofuf", "الاحساء", "الهفوف"],
  ["Jubail", "الجبيل", "al jubail"],
  ["Qatif", "القطيف"],
  ["Taif", "الطائف", "al taif", "الطايف"],
  ["Abha", "أبها", "ابها"],
  ["Khamis Mushait", "خميس مشيط", "khamis mushait"],
  ["Tabuk", "تبوك", "tabouk"],
  ["Hail", "حائل", "hayel", "ha'il", "حايل"],
  ["Qassim", "القصيم", "qaseem", "gassim", "al qassim", "qasim"],
  ["Buraidah", "بريدة", "buraydah", "buraida", "بريده"],
  ["Unaizah", "عنيزة", "onaizah", "unayzah", "عنيزه"],
  ["Jazan", "جازان", "jizan", "gizan", "جيزان"],
  ["Najran", "نجران"],
  ["Al Baha", "الباحة", "baha", "الباحه"],
  ["Arar", "عرعر"],
  ["Sakaka", "سكاكا", "al jouf", "الجوف"],
  ["Yanbu", "ينبع", "yenbo"],
  ["Al Kharj", "الخرج", "kharj"],
  ["Hafar Al Batin", "حفر الباطن", "hafr al batin"],
  ["Al Qurayyat", "القريات", "qurayyat"],
  ["Bisha", "بيشة"],
  ["Al Majmaah", "المجمعة", "majmaah"],
  ["Rabigh", "رابغ"],
  ["Al Ula", "العلا", "alula", "al-ula"],
  ["Neom", "نيوم"],
];

const ABROAD: Array<[string, string, ...string[]]> = [
  ["the UAE", "الإمارات", "uae", "emirates", "الامارات"],
  ["Dubai", "دبي", "dubay"],
  ["Abu Dhabi", "أبوظبي", "abudhabi", "ابوظبي", "ابو ظبي"],
  ["Sharjah", "الشارقة", "sharja"],
  ["Kuwait", "الكويت", "kuwait city"],
  ["Qatar", "قطر"],
  ["Doha", "الدوحة"],
  ["Bahrain", "البحرين"],
  ["Manama", "المنامة"],
  ["Oman", "عمان", "سلطنة عمان"],
  ["Muscat", "مسقط"],
  ["Egypt", "مصر", "cairo", "القاهرة"],
  ["Jordan", "الأردن", "الاردن", "amman"],
  ["Iraq", "العراق"],
  ["Yemen", "اليمن"],
  ["Lebanon", "لبنان"],
  ["Turkey", "تركيا"],
  ["the UK", "بريطانيا", "uk", "london", "لندن"],
  ["the US", "أمريكا", "usa", "america", "امريكا"],
];

interface Entry {
  words: string[];
  place: Place;
}

const entries: Entry[] = [];
for (const [list, saudi] of [
  [SAUDI, true],
  [ABROAD, false],
] as const) {
  for (const [en, ar, ...more] of list) {
    const place = { en, ar, saudi };
    const forms = [en, ar, ...more].map(normalizeText).filter((w) => w.length > 1);
    entries.push({ words: forms, place });
  }
}
// Longer names first, so "khamis mushait" wins over a shorter name inside it.
entries.sort((a, b) => Math.max(...b.words.map((w) => w.length)) - Math.max(...a.words.map((w) => w.length)));

const PREFIXES = ["", "ل", "لل", "ب", "بال", "وال", "و", "ول", "ال"];

/** The place a message names, if any ("and Hail?", "وحائل؟", "to jeddah", "lil dammam"). */
export function placeMentioned(text: string): Place | null {
  const normalized = ` ${normalizeText(text).replace(/\b(?:l|lil|el|al|w)\s+/g, "")} `;
  for (const e of entries) {
    for (const w of e.words) {
      const bare = w.replace(/^ال/, "");
      if (normalized.includes(` ${w} `)) return e.place;
      if (/[\u0621-\u064A]/.test(w) && PREFIXES.some((p) => normalized.includes(` ${p}${bare} `))) return e.place;
    }
  }
  return null;
}
