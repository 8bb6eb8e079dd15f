// Follow-ups that only narrow the last product search: "what about under 100 riyals?", "in white?",
// "طيب في شي أرخص من ١٠٠؟". Shoppers talk this way; searching such a message alone would lose the
// product they were talking about.
import { AUDIENCE_PREFIX, COLOUR_PREFIX, MATERIAL_PREFIX } from "../search/analyze.js";
import { parseQuery } from "../search/constraints.js";
import { normalizeText } from "../nlp/normalize.js";

const CHEAP_CONCEPT = "§cheap";

const FILLER = new Set(
  normalizeText(
    "what about how about and any anything something one ones other another else more options show me do you have got is there are there in with for " +
      "please pls maybe instead ones only version want need i " +
      "وش عن طيب و في فيه شي شيء اي أي واحد وحده غيره غيرها ثاني ثانيه بس لو سمحت عندكم عندك يوجد هل ابي ابغى ابغي ودي اريد " +
      // the same fillers in Arabizi
      "fee fi shay shi shai wa7ed wahed wa7da abi abgha ebgha 3ndkom 3ndk hal w wa tayeb tayb",
  ).split(" "),
);

/**
 * When `query` states constraints (price, colour, material, size, audience) and nothing else, the
 * words that carry them (filler dropped, so the search does not count "what about" against the
 * products); otherwise null.
 */
export function narrowingWords(query: string): string | null {
  const { constraints, analysis, consumed } = parseQuery(query);
  const constrained =
    constraints.maxPrice !== null ||
    constraints.minPrice !== null ||
    constraints.colours.length > 0 ||
    constraints.materials.length > 0 ||
    constraints.sizes.length > 0 ||
    constraints.audience !== null ||
    constraints.age !== null ||
    constraints.cheap;
  if (!constrained) return null;
  const spent = new Set<number>(consumed);
  for (const hit of analysis.concepts) {
    if (hit.id === CHEAP_CONCEPT || [COLOUR_PREFIX, MATERIAL_PREFIX, AUDIENCE_PREFIX].some((p) => hit.id.startsWith(p))) {
      for (let i = hit.start; i < hit.end; i++) spent.add(i);
    }
  }
  const onlyConstraints = analysis.tokens.every((t, i) => t.stop || t.number || spent.has(i) || FILLER.has(t.norm));
  if (!onlyConstraints) return null;
  return analysis.tokens
    .filter((t) => !FILLER.has(t.norm))
    .map((t) => t.norm)
    .join(" ");
}
