// The messages between the engine pool (main thread) and its engine threads, declared once. Both
// ends are this code base, but a message crosses a thread boundary as structured data, so each
// side parses what it receives: the thread parses the turn (on its own CPU, off the socket
// thread), the pool parses the events it streams into a conversation.
import { z } from "zod";
import { conversationSchema, idSchema, localeSchema, messagePartSchema, messageSchema } from "@kaleem/shared";

const turnId = z.number().int().nonnegative();

export const botEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("intent"), intent: z.string(), confidence: z.number(), fallback: z.boolean().optional() }),
  z.object({ type: z.literal("delta"), text: z.string() }),
  z.object({ type: z.literal("part"), part: messagePartSchema }),
  z.object({ type: z.literal("handoff"), reason: z.string() }),
]);

/** An error as it crosses the boundary: its name steers the retry on the other side. */
export const threadErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  retryAfterSeconds: z.number().optional(),
});
export type ThreadError = z.infer<typeof threadErrorSchema>;

/** Ports the engine needs shared with the rest of the process: the thread calls them through the pool. */
export const REMOTE_CALLS = {
  attempts: ["hit"],
  budget: ["used", "add"],
} as const;
export const remoteTargetSchema = z.enum(["attempts", "budget"]);

export const toThreadSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("turn"),
    id: turnId,
    merchantId: idSchema,
    conversationId: idSchema,
    history: z.array(messageSchema),
    locale: localeSchema.nullable(),
    conversation: conversationSchema.optional(),
  }),
  z.object({ type: z.literal("abort"), id: turnId }),
  z.object({ type: z.literal("products"), merchantId: idSchema, productIds: z.array(z.string()), removed: z.array(z.string()) }),
  z.object({ type: z.literal("knowledge"), merchantId: idSchema }),
  /** The answer to a "call": `value` when ok, else `error`. */
  z.object({ type: z.literal("call-result"), id: turnId, ok: z.boolean(), value: z.unknown().optional(), error: threadErrorSchema.optional() }),
  z.object({ type: z.literal("metrics"), id: turnId }),
  /** Close the thread's store and end: the pool is closing. */
  z.object({ type: z.literal("close") }),
]);
export type ToThread = z.infer<typeof toThreadSchema>;

export const fromThreadSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ready") }),
  /** The events a turn produced since the last message (those of one tick travel together). */
  z.object({ type: z.literal("events"), id: turnId, events: z.array(botEventSchema).min(1) }),
  z.object({ type: z.literal("end"), id: turnId }),
  z.object({ type: z.literal("error"), id: turnId, error: threadErrorSchema }),
  z.object({ type: z.literal("call"), id: turnId, target: remoteTargetSchema, method: z.string(), args: z.array(z.unknown()) }),
  /** prom-client's getMetricsAsJSON() of the thread's own registry. */
  z.object({ type: z.literal("metrics"), id: turnId, metrics: z.array(z.unknown()) }),
]);
export type FromThread = z.infer<typeof fromThreadSchema>;

export function toThreadError(error: unknown): ThreadError {
  if (error instanceof Error) {
    const retry = "retryAfterSeconds" in error && typeof error.retryAfterSeconds === "number" ? { retryAfterSeconds: error.retryAfterSeconds } : {};
    return { name: error.name, message: error.message, ...retry };
  }
  return { name: "Error", message: String(error) };
}
