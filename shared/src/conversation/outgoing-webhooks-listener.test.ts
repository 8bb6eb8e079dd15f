// The outgoing-webhooks listener writes an outbox row per conversation event only when an active
// endpoint subscribes to its type; private notes never leave.
import { testStoreCrypto } from "@kaleem/shared/testing";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../adapters/sqlite/index.js";
import { asMerchantId, type Store, type TenantStore } from "../ports/store.js";
import { outgoingWebhooksListener } from "./outgoing-webhooks-listener.js";
import type { ConversationEvent } from "./events.js";
import type { ConversationSummary } from "../contracts/socket.js";

let store: Store;
let t: TenantStore;
beforeAll(async () => {
  store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(mkdtempSync(path.join(tmpdir(), "kaleem-owl-")), "k.db") });
  const { merchant } = await store.createMerchant({ name: "Listener" }, { email: `l-${Date.now()}@example.com`, name: "O", role: "owner", passwordHash: "x" });
  t = store.forMerchant(asMerchantId(merchant.id));
});
afterAll(async () => store?.close());

const topics = async () => (await t.outbox.listPending(100)).map((r) => (r.payload as { type: string; eventId: string }).type);

describe("outgoing webhooks listener", () => {
  it("writes only subscribed events: a handoff, a shopper message and its conversation start; never a note", async () => {
    const conversation = await t.conversations.create({ channel: "webchat", visitorId: "v1" });
    const summary = { ...conversation, customerName: null } as ConversationSummary;
    const listener = outgoingWebhooksListener(store);
    const { message } = await t.messages.append(conversation.id, { role: "shopper", text: "hi" });
    const { message: note } = await t.messages.append(conversation.id, { role: "note", text: "private" });
    const base = { merchantId: t.merchantId, conversationId: conversation.id };
    const created: ConversationEvent = { ...base, type: "message.created", message, summary, firstMessage: true };
    const handoff: ConversationEvent = { ...base, type: "conversation.state_changed", from: "bot", conversation: { ...conversation, status: "waiting_human" }, summary, agentName: null, action: "handoff" };

    await listener.handle(created);
    await listener.handle(handoff);
    expect(await topics()).toEqual([]);

    await t.webhookEndpoints.create({ url: "https://hooks.example.com/a", events: ["handoff.requested", "message.created", "conversation.started"], secretCiphertext: "s" });
    await listener.handle(created);
    await listener.handle({ ...base, type: "message.created", message: note, summary, firstMessage: false });
    await listener.handle(handoff);
    // A status change that is not a handoff request says nothing.
    await listener.handle({ ...handoff, from: "waiting_human", conversation: { ...conversation, status: "human" } } as ConversationEvent);
    expect(await topics()).toEqual(["conversation.started", "message.created", "handoff.requested"]);
    const rows = (await t.outbox.listPending(100)).map((r) => r.payload as { eventId: string; data: { message?: { text: string } } });
    expect(rows[1]).toMatchObject({ eventId: `message-${message.id}`, data: { message: { text: "hi" } } });
  });
});
