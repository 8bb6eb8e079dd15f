// The envelopes every REST answer comes in: a cursor page, a plain list, the error body.
import { z } from "zod";

/** A cursor page: `nextCursor` is null on the last page. The store's list methods return this too. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A view already serialized: the JSON text of a `T` as a store adapter composed it from rows that
 * hold their record's JSON, written to the response as it is (no parse, no re-stringify). `T` is a
 * phantom: it keeps the route's documented schema the shape the text must have, and the store
 * contract suite checks that the text parses to exactly what the typed method returns.
 */
export class JsonText<T> {
  declare readonly view?: T;
  constructor(readonly text: string) {}
}

/** A whole, unpaged list (the store's channels, connections, canned replies: small by construction). */
export const itemsSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
export interface Items<T> {
  items: T[];
}

/** Every failure, whatever the route: `{"error":{"code","message","details"?}}`. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
