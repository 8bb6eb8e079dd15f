// Arabizi (Arabic written in Latin letters, digits standing for letters Latin lacks: 2 ء, 3 ع,
// 5 خ, 6 ط, 7 ح, 8 ق, 9 ص) to Arabic script, so Arabizi text can meet Arabic examples and
// Arabic catalog text. Spelling in Arabizi is free-form, so this is a best effort: a lexicon of
// frequent shopper words first, then a letter-by-letter fallback that drops short vowels the way
// Arabic script does. Output is passed through normalizeArabic so it compares with normalizeText.
import { normalizeArabic } from "./normalize.js";

/** Frequent Arabizi spellings (already lower-cased) → Arabic. Covers Gulf/Saudi shopper talk. */
const LEXICON: Record<string, string> = {
  // pronouns, particles, question words
  ana: "انا", ena: "انا", enta: "انت", inta: "انت", anta: "انت", ento: "انتم", into: "انتم", antum: "انتم",
  abi: "ابي", abee: "ابي", aby: "ابي", abgha: "ابغى", abga: "ابغى", ebgha: "ابغى", abghi: "ابغى", abgh: "ابغى", baghi: "ابغى",
  ba: "بـ", bi: "ب", fi: "في", fe: "في", fy: "في", min: "من", men: "من", mn: "من", ila: "الى", ela: "الى", "3la": "على", "3ala": "على", ala: "على",
  w: "و", wa: "و", ya: "يا", la: "لا", laa: "لا", ma: "ما", mo: "مو", mu: "مو", mb: "ما", mabi: "ما ابي", mabgha: "ما ابغى",
  wain: "وين", wein: "وين", wen: "وين", wayn: "وين", fain: "وين", fen: "فين", kaif: "كيف", keef: "كيف", kef: "كيف", kif: "كيف",
  shlon: "شلون", shloon: "شلون", shlonk: "شلونك", wesh: "وش", wsh: "وش", wish: "وش", esh: "ايش", eish: "ايش", aish: "ايش",
  laish: "ليش", lesh: "ليش", leish: "ليش", mata: "متى", meta: "متى", kam: "كم", cham: "كم", km: "كم", hal: "هل",
  mumkin: "ممكن", momken: "ممكن", mumken: "ممكن", mmkn: "ممكن", mmkin: "ممكن", momkin: "ممكن",
  hatha: "هذا", hadha: "هذا", hada: "هذا", hadi: "هذي", hathi: "هذي", hathe: "هذي", hathy: "هذي",
  "3ndkom": "عندكم", "3ndkm": "عندكم", "3ndkum": "عندكم", "3indakum": "عندكم", "3endkom": "عندكم", "3andkom": "عندكم", "3ndk": "عندك",
  "3ndi": "عندي", "3endi": "عندي", "3indi": "عندي", "3andi": "عندي", fee: "فيه", feeh: "فيه", feh: "فيه", fih: "فيه",
  el: "ال", al: "ال", il: "ال",
  // greetings, thanks, politeness
  salam: "سلام", slam: "سلام", assalam: "السلام", alsalam: "السلام", asalam: "السلام", essalam: "السلام", salaam: "سلام",
  "3alaikum": "عليكم", "3alykom": "عليكم", "3alaykom": "عليكم", alaikum: "عليكم", alaykum: "عليكم", "3likom": "عليكم", "3lykm": "عليكم",
  hala: "هلا", hla: "هلا", halla: "هلا", ahlan: "اهلا", ahla: "اهلا", marhaba: "مرحبا", mar7aba: "مرحبا", mar7ba: "مرحبا",
  halaa: "هلا", sabah: "صباح", "9aba7": "صباح", saba7: "صباح", masa: "مساء", masaa: "مساء", "7ayak": "حياك", hayak: "حياك",
  shukran: "شكرا", shokran: "شكرا", shkran: "شكرا", "ya3tik": "يعطيك", ya3teek: "يعطيك", el3afya: "العافيه", "3afya": "عافيه",
  "allah": "الله", alla: "الله", "law": "لو", "sama7t": "سمحت", samaht: "سمحت", "smht": "سمحت", "tekram": "تكرم", "tkram": "تكرم",
  // shopping words
  talab: "طلب", "6alab": "طلب", talabi: "طلبي", "6alabi": "طلبي", talaby: "طلبي", talabiya: "طلبيه", "6alabiya": "طلبيه",
  shahn: "شحن", "sha7n": "شحن", "tawseel": "توصيل", tawsil: "توصيل", "taw9eel": "توصيل", "taw9il": "توصيل",
  "irja3": "ارجاع", "erja3": "ارجاع", "arja3": "ارجع", "estirja3": "استرجاع", "istirja3": "استرجاع", "esterja3": "استرجاع",
  floos: "فلوس", flos: "فلوس", fulus: "فلوس", fulous: "فلوس", "mablagh": "مبلغ", "mablag": "مبلغ",
  "daf3": "دفع", "dafa3": "دفع", "adfa3": "ادفع", "edfa3": "ادفع", kash: "كاش", cash: "كاش", mada: "مدى",
  fatora: "فاتوره", fatoura: "فاتوره", fatura: "فاتوره", fatoorah: "فاتوره", "7sab": "حساب", "7esab": "حساب", hesab: "حساب", "7isab": "حساب",
  "mowazaf": "موظف", "mwazaf": "موظف", "muwazzaf": "موظف", "mowa6af": "موظف", "mwa6af": "موظف", "shakwa": "شكوى", "shakwah": "شكوى",
  "kalam": "كلام", "akalim": "اكلم", "akallem": "اكلم", "aklm": "اكلم", "akalem": "اكلم", "aklem": "اكلم", "akalm": "اكلم",
  "ensan": "انسان", "insan": "انسان", "bashar": "بشر", "khidmat": "خدمه", "5edmat": "خدمه", "5idmat": "خدمه", "khedmat": "خدمه",
  "el3omala": "العملاء", "al3umala": "العملاء", "3omala": "عملاء", "sallah": "سله", "salla": "سله", "sala": "سله",
  "se3r": "سعر", "si3r": "سعر", "s3r": "سعر", "bkam": "بكم", "bekam": "بكم",
  "ghali": "غالي", "8ali": "غالي", "ri5ees": "رخيص", "rkhees": "رخيص", "ri5is": "رخيص", "riyal": "ريال", "ryal": "ريال",
  "mawjood": "موجود", "mawjud": "موجود", "mojood": "موجود", "mawjod": "موجود", "mutawaffer": "متوفر", "mitwaffer": "متوفر", "mtwfr": "متوفر",
  "ilghaa": "الغاء", "elgha2": "الغاء", "ilgha2": "الغاء", "algh": "الغ", "alghi": "الغي", "algi": "الغي", "2lghi": "الغي", "al8i": "الغي",
  "ghayyir": "غير", "8ayer": "غير", "aghayer": "اغير", "a8ayer": "اغير", "aghayyir": "اغير", "3nwan": "عنوان", "3nwani": "عنواني", "3unwan": "عنوان",
  "wosal": "وصل", "wisal": "وصل", "wesal": "وصل", "wasal": "وصل", "ywsal": "يوصل", "yewsal": "يوصل", "yousal": "يوصل", "yoosal": "يوصل",
  "mushkila": "مشكله", "mushkela": "مشكله", "moshkela": "مشكله", "mshkla": "مشكله", "moshkila": "مشكله",
  "ashtri": "اشتري", "ashtari": "اشتري", "eshtri": "اشتري", "shra": "شراء", "shera": "شراء", "shira2": "شراء",
  "tayyib": "طيب", "6ayeb": "طيب", "tayeb": "طيب", "zain": "زين", "zein": "زين", "zen": "زين", "7elo": "حلو", "helo": "حلو",
  "ta2yeem": "تقييم", "taqyeem": "تقييم", "tagyeem": "تقييم", "ra2y": "راي", "ray": "راي", "ra2i": "راي",
  "nashra": "نشره", "nashrah": "نشره", "eshtirak": "اشتراك", "ishtirak": "اشتراك", "eshterak": "اشتراك",
};

const DIGIT_LETTERS: Record<string, string> = { "2": "ء", "3": "ع", "5": "خ", "6": "ط", "7": "ح", "8": "ق", "9": "ص" };
const DIGRAPHS: Record<string, string> = { sh: "ش", kh: "خ", gh: "غ", th: "ث", dh: "ذ", ch: "ش", "3'": "غ", "7'": "خ", ou: "و", oo: "و", ee: "ي", ei: "ي", ai: "ي", ay: "ي", aa: "ا" };
const LETTERS: Record<string, string> = {
  b: "ب", t: "ت", j: "ج", d: "د", r: "ر", z: "ز", s: "س", f: "ف", q: "ق", g: "ق", k: "ك", l: "ل", m: "م", n: "ن",
  h: "ه", w: "و", y: "ي", p: "ب", v: "ف", c: "ك", x: "كس",
};
const VOWELS = new Set(["a", "e", "i", "o", "u"]);
const ARTICLES = new Set(["el", "al", "il"]);

// Digits that stand for letters in Arabizi, inside a word with Latin letters and a vowel
// ("3ndkom", "ma7al"). Units, ordinals and model numbers ("2nd", "5g", "100ml", "s23", "ps5") are
// not Arabizi: they have no vowel or a run of digits.
const ARABIZI_DIGIT_WORD = /^(?=.*[aeiouy])(?=.*[235679])(?!.*\d\d)[a-z0-9']+$/;
const NOT_ARABIZI = /^\d+(st|nd|rd|th|g|gb|tb|mb|ml|l|kg|g|cm|mm|m|k|x|am|pm|s|h|hrs?|min|mins|days?|inch|in|mp)$/;

/** True when `word` (lower-cased) is typical Arabizi: a letter-digit word or a lexicon word. */
export function isArabiziWord(word: string): boolean {
  if (NOT_ARABIZI.test(word)) return false;
  if (ARABIZI_DIGIT_WORD.test(word)) return true;
  return Object.hasOwn(LEXICON, word) && !ENGLISH_HOMOGRAPHS.has(word);
}

// Lexicon words that are also everyday English (or too short to tell): they do not make a
// sentence Arabizi on their own.
const ENGLISH_HOMOGRAPHS = new Set(["ana", "ba", "bi", "fee", "fi", "min", "men", "w", "wa", "ya", "la", "ma", "mo", "mu", "al", "el", "il", "hal", "law", "cash", "sala", "wish", "kam", "kef", "zen", "helo", "ray", "ala", "ela", "mada", "tayeb", "hala", "mb", "kif", "km", "esh", "fen", "feh"]);

/**
 * Whether a Latin-script text reads as Arabizi: at least one letter-digit word or lexicon word
 * that is not also English, and no Arabic script (mixed Arabic text is handled as Arabic).
 */
export function looksLikeArabizi(text: string): boolean {
  if (/[\u0600-\u06FF]/.test(text)) return false;
  const words = text.toLowerCase().split(/[^a-z0-9']+/).filter((w) => w !== "");
  if (words.length === 0) return false;
  const hits = words.filter(isArabiziWord).length;
  return hits >= 1 && hits / words.length >= 0.2;
}

function transliterateLetters(word: string): string {
  let out = "";
  let i = 0;
  while (i < word.length) {
    const two = word.slice(i, i + 2);
    const ch = word[i] ?? "";
    const atStart = i === 0;
    const atEnd = i === word.length - 1;
    if (atStart && VOWELS.has(ch)) {
      // An initial vowel is carried by alef; "ee"/"oo" at the start are still one alef.
      out += "ا";
      i += DIGRAPHS[two] !== undefined && VOWELS.has(word[i + 1] ?? "") ? 2 : 1;
      continue;
    }
    const di = DIGRAPHS[two];
    if (di !== undefined) {
      out += di;
      i += 2;
      continue;
    }
    const digit = DIGIT_LETTERS[ch];
    if (digit !== undefined) {
      out += atStart && ch === "2" ? "ا" : digit;
      i += 1;
      continue;
    }
    if (VOWELS.has(ch)) {
      // Short vowels are not written in Arabic; final and long-ish ones are.
      if (atEnd) out += ch === "a" ? "ا" : ch === "e" || ch === "i" ? "ي" : "و";
      else if (ch === "i") out += "ي";
      else if (ch === "o" || ch === "u") out += "و";
      i += 1;
      continue;
    }
    const letter = LETTERS[ch];
    if (letter !== undefined && !(ch === (word[i - 1] ?? "") && LETTERS[word[i - 1] ?? ""] !== undefined)) out += letter;
    i += 1;
  }
  return out;
}

/** One Arabizi word (lower-case Latin letters/digits) → normalized Arabic. */
export function arabiziWordToArabic(word: string): string {
  const w = word.toLowerCase();
  const known = LEXICON[w];
  if (known !== undefined) return normalizeArabic(known);
  // The article is often glued on: "el-tawseel", "eltalab", "al7sab".
  const article = /^(el|al|il)-?(.{3,})$/.exec(w);
  if (article?.[2] !== undefined) {
    const rest = LEXICON[article[2]];
    return normalizeArabic("ال" + (rest ?? transliterateLetters(article[2])));
  }
  return normalizeArabic(transliterateLetters(w));
}

/**
 * Arabizi text → Arabic script, word by word. Pure numbers (order numbers, prices) are kept as
 * they are; anything that is not a Latin word is kept too. A detached article ("el tawseel")
 * is joined to its noun the way Arabic writes it ("التوصيل").
 */
export function arabiziToArabic(text: string): string {
  const out: string[] = [];
  let pendingArticle = false;
  for (const w of text.toLowerCase().split(/\s+/)) {
    if (w === "") continue;
    const core = w.replace(/^[^a-z0-9']+|[^a-z0-9']+$/g, "");
    if (core === "" || /^\d+$/.test(core) || !/^[a-z0-9']+$/.test(core)) {
      if (pendingArticle) out.push("ال");
      pendingArticle = false;
      out.push(w);
      continue;
    }
    if (ARTICLES.has(core)) {
      if (pendingArticle) out.push("ال");
      pendingArticle = true;
      continue;
    }
    const arabic = arabiziWordToArabic(core);
    out.push(pendingArticle && !arabic.startsWith("ال") ? "ال" + arabic : arabic);
    pendingArticle = false;
  }
  if (pendingArticle) out.push("ال");
  return out.join(" ");
}
