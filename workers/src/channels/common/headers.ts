// Header lookup that works the same for node's IncomingHttpHeaders, a fetch Headers object and a
// plain record from a test, case-insensitively (HTTP/2 lower-cases names; tests may not).

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

/**
 * The single value of `name`, or null when absent. A header sent twice is ambiguous (which copy
 * did the provider sign?), so it reads as `{ duplicated: true }` and callers refuse it.
 */
export function headerValue(headers: HeaderBag, name: string): string | null | { duplicated: true } {
  const wanted = name.toLowerCase();
  if (typeof (headers as Headers).get === "function" && typeof (headers as Headers).has === "function") {
    return (headers as Headers).get(wanted);
  }
  const found: string[] = [];
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    if (Array.isArray(value)) found.push(...value);
    else found.push(value);
  }
  if (found.length === 0) return null;
  if (found.length > 1) return { duplicated: true };
  return found[0] ?? null;
}

/** The header's value when it was sent exactly once, else null. */
export function singleHeader(headers: HeaderBag, name: string): string | null {
  const value = headerValue(headers, name);
  return typeof value === "string" ? value : null;
}
