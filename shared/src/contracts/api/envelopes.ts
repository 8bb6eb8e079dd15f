// The envelopes every REST answer comes in: a cursor page, a plain list, the error body.
import { z } from "zod";

/** A cursor page: `nextCursor` is null on the last page. The store's list methods return this too. */
export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
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
