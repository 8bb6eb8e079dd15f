import { z } from "zod";
import { ValidationError } from "./errors.js";

// Opaque keyset cursor: base64url JSON of the sort key and id of the last item returned.
// Strict: only this module writes cursors, so any other key means a hand-made one (a stray `$where`
// was dropped before; now the cursor is refused, whichever engine reads it).
const cursorSchema = z.strictObject({ k: z.union([z.string(), z.number()]).nullable(), id: z.string() });
export type CursorKey = z.infer<typeof cursorSchema>;

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError("Invalid cursor");
  }
}
