// Attacks, family 9: cross-site websocket hijacking. A page on another origin opens the widget or the
// inbox with credentials it holds (a store's public widget key, an agent's token a page could have
// got), over websocket and long-polling, or borrows a session id an allowed page opened. Every
// variant of a near-miss origin is refused: the namespace answers connect_error
// `origin_not_allowed`, a borrowed sid is a 400 on polling and on the websocket upgrade, and no
// answer to a foreign page carries Access-Control-Allow-Origin. The single cases this extends are in
// hardening.realtime.test.ts and realtime.security.test.ts.
import { request } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, connected, createMerchant, inboxClient, login, refusedWith, SHOP_ORIGIN, startTestKaleem, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;
let shop: TestMerchant;
let agentToken: string;
let kaleemOrigin: string;

beforeAll(async () => {
  t = await startTestKaleem();
  shop = await createMerchant(t.k); // allows SHOP_ORIGIN (https://shop.example) only, no apps
  agentToken = await login(t.k.url, shop.email, shop.password);
  kaleemOrigin = new URL(t.k.url).origin;
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

/** Origins a widget page of https://shop.example must not be mistaken for. */
const widgetImpostors = [
  "https://evil.example",
  "http://shop.example", // scheme downgrade
  "https://shop.example:8443", // another port
  "https://shop.example.evil.example", // allowed name as a prefix
  "https://evilshop.example", // allowed name as a suffix
  "https://sub.shop.example", // a subdomain is another origin
  "https://shop.example@evil.example", // userinfo trick: the origin is evil.example
  "null", // sandboxed iframes, file: pages, redirects across origins
  "file://", // not a web origin
  "chrome-extension://abcdefghijklmnop",
];
/** Origins that must not open /inbox (the Kaleem host is the only web origin allowed here). */
const inboxImpostors = (): string[] => {
  const u = new URL(kaleemOrigin);
  return ["https://evil.example", `http://${u.hostname}:${Number(u.port) + 1}`, `http://${u.hostname}.evil.example:${u.port}`, "null", SHOP_ORIGIN];
};

interface Answer {
  status: number;
  allowOrigin: string | undefined;
  body: string;
}

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
const sidOf = (answer: Answer): string => (JSON.parse(answer.body.slice(1)) as { sid: string }).sid;

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

describe("the allowed origins still work (so the refusals below are about the origin)", () => {
  it("the store's page opens the widget and the Kaleem host opens the inbox, on both transports", async () => {
    for (const transport of ["websocket", "polling"]) {
      await connected(widgetClient(t.k.url, shop.widgetKey, { transports: [transport] }));
      await connected(inboxClient(t.k.url, agentToken, { origin: kaleemOrigin, transports: [transport] }));
    }
  });
});

describe("handshakes from a disallowed origin", () => {
  for (const transport of ["websocket", "polling"]) {
    it(`/widget refuses every impostor origin with origin_not_allowed (${transport})`, async () => {
      for (const origin of widgetImpostors) {
        const refusal = await refusedWith(widgetClient(t.k.url, shop.widgetKey, { origin, transports: [transport] }));
        expect(refusal.code, origin).toBe("origin_not_allowed");
      }
    });

    it(`a store that allows apps (no Origin) still refuses every impostor web origin, "null" included (${transport})`, async () => {
      const withApps = await createMerchant(t.k, { allowedOrigins: [SHOP_ORIGIN], allowApps: true });
      await connected(widgetClient(t.k.url, withApps.widgetKey, { origin: null, transports: [transport] }));
      for (const origin of widgetImpostors) {
        const refusal = await refusedWith(widgetClient(t.k.url, withApps.widgetKey, { origin, transports: [transport] }));
        expect(refusal.code, origin).toBe("origin_not_allowed");
      }
    });

    it(`/inbox refuses a foreign origin even with a valid agent token (${transport})`, async () => {
      for (const origin of inboxImpostors()) {
        const refusal = await refusedWith(inboxClient(t.k.url, agentToken, { origin, transports: [transport] }));
        expect(refusal.code, origin).toBe("origin_not_allowed");
      }
    });
  }

  it("no long-polling answer to an impostor carries Access-Control-Allow-Origin, so the page cannot read its session", async () => {
    const attempts = [
      ...widgetImpostors.flatMap((origin) => [`&widgetKey=${shop.widgetKey}`, ""].map((query) => ({ origin, query }))),
      // The shop's own page may open its widget, not the inbox.
      ...inboxImpostors().map((origin) => ({ origin, query: "" })),
    ];
    for (const { origin, query } of attempts) {
      const res = await polling(query, origin);
      expect(res.allowOrigin, `${origin} ${query}`).toBeUndefined();
    }
  });
});

describe("a valid sid reused from another origin", () => {
  it("a widget session opened by the store's page is refused from every impostor, on polling and on the websocket upgrade", async () => {
    const query = `&widgetKey=${shop.widgetKey}`;
    const session = sidOf(await polling(query, SHOP_ORIGIN));
    const connect = `40/widget,${JSON.stringify({ widgetKey: shop.widgetKey })}`;
    for (const origin of widgetImpostors) {
      const read = await polling(`${query}&sid=${session}`, origin);
      expect(read.status, `GET ${origin}`).toBe(400);
      const write = await polling(`${query}&sid=${session}`, origin, connect);
      expect(write.status, `POST ${origin}`).toBe(400);
      expect(write.allowOrigin, origin).toBeUndefined();
      expect(await upgrade(`${query}&sid=${session}`, origin), `upgrade ${origin}`).toBe(400);
    }
    // The page that opened it was not disturbed.
    expect((await polling(`${query}&sid=${session}`, SHOP_ORIGIN, connect)).status).toBe(200);
    expect((await polling(`${query}&sid=${session}`, SHOP_ORIGIN)).body).toContain("40/widget,");
  });

  it("an inbox session opened by the dashboard is refused from every impostor, and from a program with no Origin", async () => {
    const session = sidOf(await polling("", kaleemOrigin));
    const connect = `40/inbox,${JSON.stringify({ token: agentToken })}`;
    for (const origin of inboxImpostors()) {
      expect((await polling(`&sid=${session}`, origin, connect)).status, `POST ${origin}`).toBe(400);
      expect(await upgrade(`&sid=${session}`, origin), `upgrade ${origin}`).toBe(400);
    }
    // Dropping the Origin header is another origin too (a program replaying a stolen sid).
    const bare = await new Promise<number>((resolve, reject) => {
      const req = request(`${t.k.url}/socket.io/?EIO=4&transport=polling&sid=${session}`, { method: "POST", headers: { "Content-Type": "text/plain;charset=UTF-8" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end(connect);
    });
    expect(bare).toBe(400);
    expect((await polling(`&sid=${session}`, kaleemOrigin, connect)).status).toBe(200);
    expect((await polling(`&sid=${session}`, kaleemOrigin)).body).toContain("40/inbox,");
  });
});
