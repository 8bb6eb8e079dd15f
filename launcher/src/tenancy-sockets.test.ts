// The socket half of the tenancy matrix, generated from the protocol's runtime tables: every client
// event whose payload names a conversation is sent by another store's socket (and, on /widget, by
// another visitor of the same store) with the victim's conversation id, and must be refused
// not_found without any effect. A new event that takes a conversationId fails here until it has a
// sample payload below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboxClientEvents, widgetClientEvents } from "@kaleem/shared";
import { z } from "zod";
import { call, closeAllClients, connected, createMerchant, inboxClient, login, ok, openConversation, ScriptedBot, startTestKaleem, widgetClient, type OpenedConversation, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

type Table = Record<string, { schema: z.ZodType }>;
const takesConversation = (table: Table) =>
  Object.entries(table)
    .filter(([, spec]) => spec.schema instanceof z.ZodObject && "conversationId" in (spec.schema as z.ZodObject).shape)
    .map(([event]) => event);

/** A payload each event would accept, aimed at `target`. */
const widgetSamples: Record<string, (target: string) => unknown> = {
  "conversation:resume": (c) => ({ conversationId: c, afterSeq: 0 }),
  "message:send": (c) => ({ conversationId: c, clientMessageId: "evil-1", text: "injected by another tenant" }),
  typing: (c) => ({ conversationId: c, isTyping: true }),
  "message:read": (c) => ({ conversationId: c, seq: 1 }),
  "conversation:human": (c) => ({ conversationId: c }),
  "attachment:link": (c) => ({ conversationId: c, key: "attachments/leaked-key" }),
};
const inboxSamples: Record<string, (target: string, otherAgentId: string) => unknown> = {
  "conversation:watch": (c) => ({ conversationId: c }),
  "conversation:unwatch": (c) => ({ conversationId: c }),
  "conversation:resume": (c) => ({ conversationId: c, afterSeq: 0 }),
  "conversation:takeover": (c) => ({ conversationId: c }),
  "conversation:release": (c) => ({ conversationId: c }),
  "conversation:assign": (c, agent) => ({ conversationId: c, agentId: agent }),
  "conversation:close": (c) => ({ conversationId: c }),
  "conversation:reopen": (c) => ({ conversationId: c }),
  "message:send": (c) => ({ conversationId: c, clientMessageId: "evil-2", text: "injected by another store's agent" }),
  "note:add": (c) => ({ conversationId: c, text: "note from another store" }),
  typing: (c) => ({ conversationId: c, isTyping: true }),
  "message:read": (c) => ({ conversationId: c, seq: 1 }),
  "upload:create": (c) => ({ conversationId: c, name: "photo.png", contentType: "image/png", size: 100 }),
};
/** Events answered without an ack (typing, reads): their refusal shows as an ack when one is given. */

let t: TestKaleem;
let a: TestMerchant;
let b: TestMerchant;
let victim: OpenedConversation;

beforeAll(async () => {
  t = await startTestKaleem({ bot: new ScriptedBot() });
  a = await createMerchant(t.k, { allowedOrigins: ["https://a.example"] });
  b = await createMerchant(t.k, { allowedOrigins: ["https://b.example"] });
  const shopper = widgetClient(t.k.url, a.widgetKey, { origin: "https://a.example" });
  await connected(shopper);
  victim = await openConversation(t.k.store, shopper, a.merchantId);
  await ok(shopper, "message:send", { conversationId: victim.conversationId, clientMessageId: "victim-1", text: "my own question" });
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

describe("socket tenancy matrix (from the protocol tables)", () => {
  it("has a sample payload for every event that names a conversation", () => {
    expect(takesConversation(widgetClientEvents as unknown as Table).filter((e) => !widgetSamples[e])).toEqual([]);
    expect(takesConversation(inboxClientEvents as unknown as Table).filter((e) => !inboxSamples[e])).toEqual([]);
  });

  it("another store's shopper and another visitor of the same store are refused on every /widget event", async () => {
    const otherStore = widgetClient(t.k.url, b.widgetKey, { origin: "https://b.example" });
    const otherVisitor = widgetClient(t.k.url, a.widgetKey, { origin: "https://a.example" });
    await Promise.all([connected(otherStore), connected(otherVisitor)]);
    await ok(otherVisitor, "conversation:open", {});
    for (const socket of [otherStore, otherVisitor]) {
      for (const event of takesConversation(widgetClientEvents as unknown as Table)) {
        expect(await call(socket, event, widgetSamples[event]!(victim.conversationId)), event).toMatchObject({ ok: false, error: { code: "not_found" } });
      }
    }
    await expectUntouched();
  });

  it("another store's agent is refused on every /inbox event", async () => {
    const agentB = inboxClient(t.k.url, await login(t.k.url, b.email, b.password));
    await connected(agentB);
    for (const event of takesConversation(inboxClientEvents as unknown as Table)) {
      expect(await call(agentB, event, inboxSamples[event]!(victim.conversationId, b.ownerId)), event).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    await expectUntouched();
  });
});

async function expectUntouched(): Promise<void> {
  const tenant = t.k.conversations.tenant(a.merchantId);
  const conversation = await t.k.conversations.get(a.merchantId, victim.conversationId);
  expect(conversation).toMatchObject({ status: "bot", assigneeId: null, shopperReadSeq: 0 });
  const texts = (await tenant.messages.listAfter(victim.conversationId, 0)).map((m) => m.text);
  expect(texts.some((x) => /injected|another store/.test(x))).toBe(false);
}
