// What a tapped quick reply or card button reads as. Clients send the action's payload as the
// message text ("add:<product id>"); the shopper's bubble and the agent's timeline show what it
// did instead ("Added Midnight Crepe Abaya to the cart"), from the answer that offered it.
import type { MessagePart } from "./domain.js";

/** Payloads of the bot's actions: "add:<id>[:qty]", "more:<id>", "remove:<id>", fixed words, "intent:<name>". */
const ACTION_PAYLOAD = /^(add|more|remove):([A-Za-z0-9_-]{1,64})(?::(\d{1,3}))?$|^(human|checkout|view_cart|cancel_checkout|confirm_order)$|^intent:([a-z_]+)$/;

export interface ActionPayload {
  kind: string;
  id?: string;
  quantity?: number;
  intent?: string;
}

/** The action a message text carries, or null for anything the shopper typed. */
export function parseActionPayload(text: string): ActionPayload | null {
  const m = ACTION_PAYLOAD.exec(text.trim());
  if (!m) return null;
  if (m[1]) return { kind: m[1], id: m[2], ...(m[3] ? { quantity: Math.max(1, Number(m[3])) } : {}) };
  if (m[4]) return { kind: m[4] };
  return { kind: "intent", intent: m[5] };
}

export function isActionPayload(text: string): boolean {
  return parseActionPayload(text) !== null;
}

/**
 * The readable text of a payload, from the messages before it (newest first wins): the echo or
 * label of the quick reply that carries it, or, for a card's "add", `added(name)`. Null when the
 * text is not a payload or nothing offered it.
 */
export function actionText(text: string, earlier: ReadonlyArray<{ parts: readonly MessagePart[] }>, added: (name: string) => string): string | null {
  const payload = text.trim();
  if (!isActionPayload(payload)) return null;
  for (let i = earlier.length - 1; i >= 0; i--) {
    const parts = earlier[i]?.parts ?? [];
    for (const p of parts) {
      if (p.type !== "quick_replies") continue;
      const reply = p.replies.find((r) => r.payload === payload);
      if (reply) return reply.echo ?? reply.label;
    }
    for (const p of parts) if (p.type === "product_card" && payload.startsWith(`add:${p.productId}`)) return added(p.name);
  }
  return null;
}
