// Expands the hand-written phrase lists into training examples: request frames around action
// phrases ("can you help me" + "cancel my order"), slot values ({order}, {country}...), and a
// little seeded noise (typos, filler words) so the model learns that those carry no intent.
import type { Intent, IntentExample } from "../types.js";
import { PRODUCT_WORDS_AR, PRODUCT_WORDS_ARABIZI, PRODUCT_WORDS_EN } from "./product-words.js";

/** Per-intent phrases for one language. */
export interface PhraseSet {
  /** Verb phrases completing "I want to ..." (English base form; Arabic 1st-person imperfect). */
  actions?: readonly string[];
  /** Noun phrases completing "help with ..." (Arabic masdar: "الغاء الطلب"). */
  topics?: readonly string[];
  /** Complete messages, used as written (slots filled). */
  sentences: readonly string[];
}

export interface LanguageFrames {
  /** Frames with "{x}" for an action phrase. */
  action: readonly string[];
  /** Frames with "{x}" for an action in -ing form (English) — optional. */
  gerund?: readonly string[];
  /** Frames with "{x}" for a topic phrase. */
  topic: readonly string[];
  /** How many frames each action/topic is put in. */
  perPhrase: number;
  /** Chance that a generated example gets one typo. */
  typoRate: number;
  /** Filler words sprinkled into some examples (never decisive for any intent). */
  fillers: readonly string[];
}

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

function digits(random: Random, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += String(Math.floor(random() * 10));
  return out;
}

const SLOT_VALUES: Record<string, (random: Random) => string> = {
  // Order numbers as shoppers type them: bare, with "#", with a label.
  order: (r) => pick(r, ["#" + digits(r, 4), digits(r, 4), digits(r, 5), digits(r, 6), "no. " + digits(r, 5), "#" + digits(r, 6), digits(r, 7)]),
  country: (r) => pick(r, ["kuwait", "the uae", "dubai", "bahrain", "qatar", "oman", "egypt", "jordan", "the us", "the uk", "abroad", "outside saudi"]),
  city: (r) =>
    pick(r, ["riyadh", "jeddah", "dammam", "makkah", "mecca", "madinah", "khobar", "taif", "tabuk", "abha", "qassim", "buraidah", "hail", "jazan", "najran", "al ahsa", "yanbu", "jubail"]),
  product: (r) => pick(r, PRODUCT_WORDS_EN),
  arproduct: (r) => pick(r, PRODUCT_WORDS_AR),
  azproduct: (r) => pick(r, PRODUCT_WORDS_ARABIZI),
  city_ar: (r) => pick(r, ["الرياض", "جده", "الدمام", "مكه", "المدينه", "الخبر", "ابها", "تبوك", "حائل", "القصيم", "بريده", "جازان", "الطايف", "الاحساء", "ينبع", "دبي", "الكويت"]),
};

export function fillSlots(template: string, random: Random): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => {
    const make = SLOT_VALUES[slot];
    return make === undefined ? whole : make(random);
  });
}

// -ing forms for the English frames that take them ("help me canceling my order").
const GERUND_EXCEPTIONS: Record<string, string> = {
  get: "getting", set: "setting", put: "putting", stop: "stopping", shop: "shopping", sign: "signing", see: "seeing",
  be: "being", log: "logging", drop: "dropping", chat: "chatting", plan: "planning", swap: "swapping", opt: "opting", rate: "rating",
  submit: "submitting", cancel: "canceling", lie: "lying", run: "running", quit: "quitting", ship: "shipping",
};

export function gerund(action: string): string {
  const [verb = "", ...rest] = action.split(" ");
  let ing = GERUND_EXCEPTIONS[verb];
  if (ing === undefined) {
    if (/[^aeiou]e$/.test(verb) && verb !== "be") ing = verb.slice(0, -1) + "ing";
    else ing = verb + "ing";
  }
  return [ing, ...rest].join(" ");
}

const KEYBOARD_NEIGHBOURS: Record<string, string> = {
  a: "sq", b: "vn", c: "xv", d: "sf", e: "wr", f: "dg", g: "fh", h: "gj", i: "uo", j: "hk", k: "jl", l: "k", m: "n",
  n: "bm", o: "ip", p: "o", q: "w", r: "et", s: "ad", t: "ry", u: "yi", v: "cb", w: "qe", x: "zc", y: "tu", z: "x",
};

/** One realistic typo in one word of four letters or more (dropped, doubled, swapped or near-key letter). */
export function addTypo(text: string, random: Random): string {
  const words = text.split(" ");
  const candidates = words.map((w, i) => (/^[a-z]{4,}$/i.test(w) ? i : -1)).filter((i) => i >= 0);
  if (candidates.length === 0) return text;
  const at = pick(random, candidates);
  const word = words[at] ?? "";
  const pos = 1 + Math.floor(random() * (word.length - 2));
  const kind = Math.floor(random() * 4);
  let typo = word;
  if (kind === 0) typo = word.slice(0, pos) + word.slice(pos + 1);
  else if (kind === 1) typo = word.slice(0, pos) + (word[pos] ?? "") + word.slice(pos);
  else if (kind === 2) typo = word.slice(0, pos - 1) + (word[pos] ?? "") + (word[pos - 1] ?? "") + word.slice(pos + 1);
  else {
    const near = KEYBOARD_NEIGHBOURS[(word[pos] ?? "").toLowerCase()] ?? "e";
    typo = word.slice(0, pos) + near.charAt(Math.floor(random() * near.length)) + word.slice(pos + 1);
  }
  words[at] = typo;
  return words.join(" ");
}

function addFiller(text: string, random: Random, fillers: readonly string[]): string {
  const words = text.split(" ");
  const at = Math.floor(random() * (words.length + 1));
  words.splice(at, 0, pick(random, fillers));
  return words.join(" ");
}

function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const i = Math.floor(random() * pool.length);
    out.push(pool[i] as T);
    pool.splice(i, 1);
  }
  return out;
}

export function expandPhrases(intent: Intent, phrases: PhraseSet, frames: LanguageFrames, random: Random): IntentExample[] {
  const raw: string[] = [];
  for (const action of phrases.actions ?? []) {
    const plain = sample(random, frames.action, frames.perPhrase).map((f) => f.replace("{x}", action));
    raw.push(...plain);
    if (frames.gerund && frames.gerund.length > 0) raw.push(pick(random, frames.gerund).replace("{x}", gerund(action)));
  }
  for (const topic of phrases.topics ?? []) {
    raw.push(...sample(random, frames.topic, frames.perPhrase).map((f) => f.replace("{x}", topic)));
  }
  raw.push(...phrases.sentences);
  const out: IntentExample[] = [];
  for (const template of raw) {
    let text = fillSlots(template, random);
    if (frames.fillers.length > 0 && random() < 0.08) text = addFiller(text, random, frames.fillers);
    if (random() < frames.typoRate) text = addTypo(text, random);
    out.push({ text, intent });
  }
  return out;
}
