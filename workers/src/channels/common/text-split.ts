// Channels don't stream: a long answer goes out as several messages, cut between sentences so
// each one reads on its own, within the provider's limit.

export interface TextLimit {
  /** In UTF-16 code units (what JavaScript's length counts; never fewer than the characters a provider counts). */
  maxChars?: number;
  /** In UTF-8 bytes (Instagram counts bytes). */
  maxBytes?: number;
}

const sentences = new Intl.Segmenter(undefined, { granularity: "sentence" });
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function fitsWithin(limit: TextLimit): (s: string) => boolean {
  return (s) => (limit.maxChars === undefined || s.length <= limit.maxChars) && (limit.maxBytes === undefined || Buffer.byteLength(s, "utf8") <= limit.maxBytes);
}

/** Greedily packs pieces into chunks that fit; a piece too big on its own is cut by `finer`. */
function pack(pieces: string[], fits: (s: string) => boolean, finer: ((piece: string) => string[]) | null): string[] {
  const out: string[] = [];
  let current = "";
  const flush = () => {
    if (current.trim() !== "") out.push(current);
    current = "";
  };
  for (const piece of pieces) {
    if (fits(current + piece)) {
      current += piece;
      continue;
    }
    flush();
    if (fits(piece)) current = piece;
    else if (finer) out.push(...finer(piece));
    else out.push(piece);
  }
  flush();
  return out;
}

const segments = (segmenter: Intl.Segmenter, text: string): string[] => Array.from(segmenter.segment(text), (s) => s.segment);

/**
 * Splits `text` into trimmed chunks that each fit `limit`: between sentences where possible, else
 * between words, else between characters (never inside one). Empty text gives no chunks.
 */
export function splitText(text: string, limit: TextLimit): string[] {
  const fits = fitsWithin(limit);
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (fits(trimmed)) return [trimmed];
  const byGrapheme = (piece: string) => pack(segments(graphemes, piece), fits, null);
  // A word keeps its punctuation and the space after it: "days." never becomes "days" and ".".
  const byWord = (piece: string) => pack(piece.match(/\s*\S+\s*/g) ?? [piece], fits, byGrapheme);
  return pack(segments(sentences, trimmed), fits, byWord)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== "");
}
