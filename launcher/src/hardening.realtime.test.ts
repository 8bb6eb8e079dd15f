// Issue 15 on the realtime side, against the whole embedded product: the Socket.IO handshake's
// CORS answer ("also seen") and bidi controls in a shopper's name (item 11).
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, hmacSha256, type ConversationOpenResult, type Message } from "@kaleem/shared";
import {
  closeAllClients,
  connected,
  createMerchant,
  ok,
  ScriptedBot,
  SHOP_ORIGIN,
  startTestKaleem,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

let t: TestKaleem;
let shop: TestMerchant;
beforeAll(async () => {
  t = await startTestKaleem({ bot: new ScriptedBot() });
  shop = await createMerchant(t.k);
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

/** The first long-polling request of a Socket.IO connection, as a page on `origin` sends it. */
function handshake(query: string, origin: string): Promise<{ status: number; allowOrigin: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.k.url}/socket.io/?EIO=4&transport=polling${query}`, { headers: { Origin: origin } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, allowOrigin: res.headers["access-control-allow-origin"] as string | undefined }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Socket.IO handshake CORS", () => {
  it("a refused handshake (403) does not echo the foreign Origin", async () => {
    const evil = "https://evil.example";
    for (const query of [`&widgetKey=${shop.widgetKey}`, "&widgetKey=no-such-key", ""]) {
      const res = await handshake(query, evil);
      expect(res.status, query).toBe(403);
      expect(res.allowOrigin, query).toBeUndefined();
    }
  });

  it("an accepted handshake from the store's own origin still gets its CORS header", async () => {
    const res = await handshake(`&widgetKey=${shop.widgetKey}`, SHOP_ORIGIN);
    expect(res.status).toBe(200);
    expect(res.allowOrigin).toBe(SHOP_ORIGIN);
    // And long-polling as a whole still works for an allowed page.
    const socket = widgetClient(t.k.url, shop.widgetKey, { transports: ["polling"] });
    await connected(socket);
  });
});

describe("bidi controls from the widget", () => {
  it("are stripped from the name a shopper identifies with, while message text keeps them", async () => {
    const socket = widgetClient(t.k.url, shop.widgetKey);
    await connected(socket);
    const open = await ok<ConversationOpenResult>(socket, "conversation:open", {});
    const merchant = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).merchant.get();
    const email = "layla@example.com";
    const { customerId } = await ok<{ customerId: string }>(socket, "identify", {
      email,
      name: "\u202Egnp.exe\u202C Layla\u2067",
      signature: hmacSha256(merchant.widget.identitySecret, email),
    });
    const customer = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).customers.get(customerId);
    expect(customer?.name).toBe("gnp.exe Layla");

    const text = "order \u202E1001\u202C please";
    const sent = await ok<{ message: Message }>(socket, "message:send", { conversationId: open.conversationId, clientMessageId: "bidi-1", text });
    expect(sent.message.text).toBe(text);
  });
});
