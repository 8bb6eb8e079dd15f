// Issue 15 on the realtime side, against the whole embedded product: the Socket.IO handshake's
// CORS answer ("also seen"), refusals that say why and sessions bound to their origin (issue 14's
// protocol doc), and bidi controls in a shopper's name (item 11).
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, hmacSha256, type Message } from "@kaleem/shared";
import {
  closeAllClients,
  connected,
  createMerchant,
  ok,
  openConversation,
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

interface Answer {
  status: number;
  allowOrigin: string | undefined;
  body: string;
}

/** One Engine.IO long-polling request, as a page on `origin` (or a program naming it) sends it. */
function polling(query: string, origin: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.k.url}/socket.io/?EIO=4&transport=polling${query}`,
      { method: body === undefined ? "GET" : "POST", headers: { Origin: origin, ...(body === undefined ? {} : { "Content-Type": "text/plain;charset=UTF-8" }) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, allowOrigin: res.headers["access-control-allow-origin"] as string | undefined, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The session id of an Engine.IO handshake answer (`0{"sid":...}`). */
const sidOf = (answer: Answer): string => (JSON.parse(answer.body.slice(1)) as { sid: string }).sid;

/** A websocket upgrade of an existing session, answered with its HTTP status (101 when accepted). */
function upgrade(query: string, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${t.k.url}/socket.io/?EIO=4&transport=websocket${query}`, {
      headers: { Origin: origin, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==" },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Socket.IO handshake CORS and origins", () => {
  it("a foreign page's handshake carries no Access-Control-Allow-Origin, so it cannot read the session it got", async () => {
    const evil = "https://evil.example";
    for (const query of [`&widgetKey=${shop.widgetKey}`, "&widgetKey=no-such-key", ""]) {
      const res = await polling(query, evil);
      expect(res.allowOrigin, query).toBeUndefined();
    }
  });

  it("a program on a foreign origin is told why: the namespace refuses with origin_not_allowed", async () => {
    const evil = "https://evil.example";
    const session = sidOf(await polling(`&widgetKey=${shop.widgetKey}`, evil));
    const sent = await polling(`&widgetKey=${shop.widgetKey}&sid=${session}`, evil, `40/widget,${JSON.stringify({ widgetKey: shop.widgetKey })}`);
    expect(sent.status).toBe(200);
    const answer = await polling(`&widgetKey=${shop.widgetKey}&sid=${session}`, evil);
    expect(answer.body).toContain("44/widget,");
    expect(JSON.parse(answer.body.slice(answer.body.indexOf(",") + 1))).toEqual({ message: "Origin not allowed", data: { code: "origin_not_allowed" } });
  });

  it("an accepted handshake from the store's own origin still gets its CORS header", async () => {
    const res = await polling(`&widgetKey=${shop.widgetKey}`, SHOP_ORIGIN);
    expect(res.status).toBe(200);
    expect(res.allowOrigin).toBe(SHOP_ORIGIN);
    // And long-polling as a whole still works for an allowed page.
    const socket = widgetClient(t.k.url, shop.widgetKey, { transports: ["polling"] });
    await connected(socket);
  });

  it("a session id obtained from an allowed origin is refused from any other origin, polling and upgrade alike", async () => {
    const query = `&widgetKey=${shop.widgetKey}`;
    const session = sidOf(await polling(query, SHOP_ORIGIN));
    const connect = `40/widget,${JSON.stringify({ widgetKey: shop.widgetKey })}`;
    const stolen = await polling(`${query}&sid=${session}`, "https://evil.example", connect);
    expect(stolen.status).toBe(400);
    expect(stolen.allowOrigin).toBeUndefined();
    expect(await upgrade(`${query}&sid=${session}`, "https://evil.example")).toBe(400);
    // The page that opened it carries on.
    const own = await polling(`${query}&sid=${session}`, SHOP_ORIGIN, connect);
    expect(own.status).toBe(200);
    expect(own.allowOrigin).toBe(SHOP_ORIGIN);
    const opened = await polling(`${query}&sid=${session}`, SHOP_ORIGIN);
    expect(opened.body).toContain("40/widget,");
  });

  it("an Engine.IO session that joins no namespace is closed by the server (polling without a namespace)", async () => {
    const evil = "https://evil.example";
    const session = sidOf(await polling(`&widgetKey=${shop.widgetKey}`, evil));
    // A pending poll is answered when the server closes the session (connect timeout), not left open.
    const closing = await polling(`&widgetKey=${shop.widgetKey}&sid=${session}`, evil);
    expect(closing.body).toBe("1");
    const after = await polling(`&widgetKey=${shop.widgetKey}&sid=${session}`, evil);
    expect(after.status).toBe(400);
    expect(after.body).toMatch(/Session ID unknown/);
  }, 30_000);
});

describe("bidi controls from the widget", () => {
  it("are stripped from the name a shopper identifies with, while message text keeps them", async () => {
    const socket = widgetClient(t.k.url, shop.widgetKey);
    await connected(socket);
    const open = await openConversation(t.k.store, socket, shop.merchantId);
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
