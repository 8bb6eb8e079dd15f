// The output guard: LLM text may only repeat figures and claims that are in the facts it was
// given. Anything else (a price, a day count, a discount, "free", a link) rejects the text.
import { normalizeText, toWesternDigits } from "../nlp/normalize.js";

/** Every number in `text` (Arabic-Indic digits and separators included), as values. */
export function extractNumbers(text: string): number[] {
  const western = toWesternDigits(text).replace(/\u066B/g, ".").replace(/\u066C/g, ",");
  const out: number[] = [];
  for (const match of western.matchAll(/\d(?:[\d,]*\d)?(?:\.\d+)?/g)) {
    const value = Number(match[0].replace(/,/g, ""));
    if (Number.isFinite(value)) out.push(value);
  }
  return out;
}

const roundKey = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

/** Claims that must not appear unless the facts make them too. */
const CLAIMS: { name: string; pattern: RegExp }[] = [
  { name: "percent", pattern: /%|٪|percent|بالمئه|بالميه/ },
  { name: "discount", pattern: /discount|coupon|promo|voucher|خصم|تخفيض|كوبون|كود/ },
  { name: "free", pattern: /\bfree\b|مجان|ببلاش/ },
  { name: "link", pattern: /https?:\/\/|www\./ },
  { name: "guarantee", pattern: /guarantee|warranty|ضمان/ },
];

export interface GuardVerdict {
  ok: boolean;
  /** Why the text was rejected (for logs and tests). */
  problems: string[];
}

export function checkAgainstFacts(output: string, facts: string): GuardVerdict {
  const allowed = new Set(extractNumbers(facts).map(roundKey));
  const problems: string[] = [];
  for (const n of extractNumbers(output)) {
    if (!allowed.has(roundKey(n))) problems.push(`number ${n} is not in the facts`);
  }
  const outText = `${output.toLowerCase()} ${normalizeText(output)}`;
  const factText = `${facts.toLowerCase()} ${normalizeText(facts)}`;
  for (const claim of CLAIMS) {
    if (claim.pattern.test(outText) && !claim.pattern.test(factText)) problems.push(`claim "${claim.name}" is not in the facts`);
  }
  return { ok: problems.length === 0, problems };
}
