// "hello, do you have dates?" is a question with a greeting in front: the greeting is set aside
// and the question answered. A message that only greets (or thanks) is answered as such.
import { normalizeText } from "../nlp/normalize.js";

const GREETINGS = [
  "assalamu alaikum", "assalamualaikum", "salam alaikum", "salam 3alaikum", "salam alaykum", "salamu alaikum", "as salam alaikum",
  "السلام عليكم ورحمة الله وبركاته", "السلام عليكم ورحمة الله", "السلام عليكم", "سلام عليكم", "وعليكم السلام",
  "good morning", "good evening", "good afternoon", "hello there", "hi there", "hey there", "hello", "hiya", "hey", "hi", "hii", "hiii",
  "salam", "salaam", "hala wallah", "hala", "ahlan", "marhaba", "mar7aba",
  "صباح الخير", "مساء الخير", "صباح النور", "مساء النور", "هلا والله", "هلا وغلا", "مرحبا", "مرحباً", "هلا", "اهلين", "أهلين", "اهلا", "أهلا", "هاي", "يا هلا",
  "team", "guys", "يا شباب", "يا جماعة",
]
  .map(normalizeText)
  .sort((a, b) => b.length - a.length);

/** The message without the greeting it opens with; `greeted` tells whether there was one. */
export function splitGreeting(text: string): { greeted: boolean; rest: string } {
  let rest = normalizeText(text);
  let greeted = false;
  for (let round = 0; round < 3; round++) {
    const hit = GREETINGS.find((g) => rest === g || rest.startsWith(`${g} `));
    if (!hit) break;
    greeted = true;
    rest = rest.slice(hit.length).trim();
  }
  if (!greeted) return { greeted: false, rest: text };
  // Keep the shopper's own spelling of the rest: cut the same number of words off the original.
  const words = normalizeText(text).split(" ").length - (rest === "" ? 0 : rest.split(" ").length);
  const original = text.trim().split(/\s+/);
  let cut = 0;
  let seen = 0;
  while (cut < original.length && seen < words) {
    if (normalizeText(original[cut] ?? "") !== "") seen += normalizeText(original[cut] ?? "").split(" ").length;
    cut += 1;
  }
  return { greeted: true, rest: original.slice(cut).join(" ").replace(/^[\s,،.!؟?-]+/, "") };
}
