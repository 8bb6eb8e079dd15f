// Bad-input fuzz of every socket event of both namespaces, driven by the protocol tables: random
// payloads (wrong types, huge strings, deep nesting, near-valid objects) are answered with the one
// ack shape, the socket and the server stay up, and nothing is stored from a refused event.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorCodeSchema, inboxClientEvents, widgetClientEvents } from "@kaleem/shared";
import { closeAllClients, connected, createMerchant, inboxClient, login, ok, openConversation, ScriptedBot, startTestKaleem, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

const RUNS_PER_EVENT = 30;
let t: TestKaleem;
let shop: TestMerchant;
let cases = 0;

beforeAll(async () => {
  // A generous event budget: the fuzz is about input, the flood limits have their own tests.
  t = await startTestKaleem({ bot: new ScriptedBot(), env: { SOCKET_EVENTS_PER_10S: "100000" } });
  shop = await createMerchant(t.k, { allowedOrigins: ["https://fuzz.example"] });
});
afterAll(async () => {
   
  console.log(`socket fuzz: ${cases} events`);
  closeAllClients();
  await t?.close();
});

function payloads(conversationId: string) {
  return fc.oneof(
    fc.anything({ maxDepth: 4 }),
    fc.record({ conversationId: fc.oneof(fc.constant(conversationId), fc.string({ maxLength: 80 }), fc.anything()), text: fc.anything(), clientMessageId: fc.anything(), afterSeq: fc.anything(), seq: fc.anything(), isTyping: fc.anything(), agentId: fc.anything() }),
    fc.record({ conversationId: fc.constant(conversationId), text: fc.string({ minLength: 4001, maxLength: 20_000 }), clientMessageId: fc.string({ minLength: 1, maxLength: 300 }) }),
    fc.integer({ min: 50, max: 150 }).map((depth) => {
      let v: unknown = "x";
      for (let i = 0; i < depth; i++) v = { conversationId: v };
      return v;
    }),
  );
}

const ackShape = (ack: unknown) => {
  expect(ack).toBeTypeOf("object");
  const a = ack as { ok: boolean; error?: { code: string; message: string } };
  if (a.ok === false) {
    expect(errorCodeSchema.options).toContain(a.error!.code);
    expect(a.error!.message).toEqual(expect.any(String));
  } else expect(a.ok).toBe(true);
};

describe("socket events under random input", () => {
  it("/widget: every event answers the ack shape and the connection survives", { timeout: 180_000 }, async () => {
    const shopper = widgetClient(t.k.url, shop.widgetKey, { origin: "https://fuzz.example" });
    await connected(shopper);
    const open = await openConversation(t.k.store, shopper, shop.merchantId);
    const before = (await t.k.conversations.tenant(shop.merchantId).messages.listAfter(open.conversationId, 0)).length;
    let accepted = 0;
    for (const event of Object.keys(widgetClientEvents)) {
      await fc.assert(
        fc.asyncProperty(payloads(open.conversationId), async (payload) => {
          cases += 1;
          const ack = await shopper.timeout(10_000).emitWithAck(event, payload);
          ackShape(ack);
          if (event === "message:send" && (ack as { ok: boolean }).ok) accepted += 1;
        }),
        { numRuns: RUNS_PER_EVENT },
      );
      expect(shopper.connected, `disconnected by ${event}`).toBe(true);
    }
    // Only sends the server accepted were stored (each with its bot answer at most).
    const shopperMessages = (await t.k.conversations.tenant(shop.merchantId).messages.listAfter(open.conversationId, 0)).filter((m) => m.role === "shopper").length;
    expect(shopperMessages).toBeLessThanOrEqual(before + accepted);
    await ok(shopper, "message:send", { conversationId: open.conversationId, clientMessageId: "after-fuzz", text: "still working?" });
  });

  it("/inbox: every event answers the ack shape and the connection survives", { timeout: 180_000 }, async () => {
    const agent = inboxClient(t.k.url, await login(t.k.url, shop.email, shop.password));
    await connected(agent);
    const shopper = widgetClient(t.k.url, shop.widgetKey, { origin: "https://fuzz.example" });
    await connected(shopper);
    const open = await openConversation(t.k.store, shopper, shop.merchantId);
    for (const event of Object.keys(inboxClientEvents)) {
      await fc.assert(
        fc.asyncProperty(payloads(open.conversationId), async (payload) => {
          cases += 1;
          ackShape(await agent.timeout(10_000).emitWithAck(event, payload));
        }),
        { numRuns: RUNS_PER_EVENT },
      );
      expect(agent.connected, `disconnected by ${event}`).toBe(true);
    }
    await ok(agent, "presence:get", {});
    const health = await fetch(`${t.k.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
