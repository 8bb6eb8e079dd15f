// Embedded runtime, real sockets: tenant isolation, Origin checks on both transports, visitor
// tokens, payload limits, malformed events, flooding and session revocation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hmacSha256, type ConversationOpenResult, type Message } from "@kaleem/shared";
import {
  ScriptedBot,
  addAgent,
  call,
  closeAllClients,
  connectError,
  connected,
  createMerchant,
  inboxClient,
  login,
  nextEvent,
  ok,
  openConversation,
  refusedWith,
  startTestKaleem,
  until,
  visitorIdOf,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

let t: TestKaleem;
let a: TestMerchant;
let b: TestMerchant;
const FLOOD_LIMIT = 20;

beforeAll(async () => {
  t = await startTestKaleem({ bot: new ScriptedBot(), env: { SOCKET_EVENTS_PER_10S: String(FLOOD_LIMIT) } });
  a = await createMerchant(t.k, { allowedOrigins: ["https://a-shop.example"] });
  b = await createMerchant(t.k, { allowedOrigins: ["https://b-shop.example"], allowApps: true });
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

async function openShopper(m: TestMerchant, origin: string) {
  const socket = widgetClient(t.k.url, m.widgetKey, { origin });
  await connected(socket);
  const open = await openConversation(t.k.store, socket, m.merchantId);
  return { socket, open };
}

describe("tenant isolation", () => {
  it("a widget socket cannot touch another merchant's or another visitor's conversation", async () => {
    const shopperA = await openShopper(a, "https://a-shop.example");
    const otherVisitorA = await openShopper(a, "https://a-shop.example");
    const shopperB = await openShopper(b, "https://b-shop.example");
    expect(otherVisitorA.open.conversationId).not.toBe(shopperA.open.conversationId);

    for (const [socket, target] of [
      [shopperB.socket, shopperA.open.conversationId],
      [otherVisitorA.socket, shopperA.open.conversationId],
    ] as const) {
      for (const [event, payload] of [
        ["message:send", { conversationId: target, clientMessageId: "evil", text: "injected" }],
        ["conversation:resume", { conversationId: target, afterSeq: 0 }],
        ["typing", { conversationId: target, isTyping: true }],
        ["message:read", { conversationId: target, seq: 1 }],
        ["conversation:human", { conversationId: target }],
      ] as const) {
        expect(await call(socket, event, payload), `${event}`).toMatchObject({ ok: false, error: { code: "not_found" } });
      }
    }
    const stored = await t.k.conversations.tenant(a.merchantId).messages.listAfter(shopperA.open.conversationId, 0);
    expect(stored.some((m) => m.text === "injected")).toBe(false);
  });

  it("an agent socket cannot watch, resume or act on another merchant's conversation, and hears nothing from it", async () => {
    const shopperA = await openShopper(a, "https://a-shop.example");
    const agentB = inboxClient(t.k.url, await login(t.k.url, b.email, b.password));
    await connected(agentB);
    const heard: string[] = [];
    agentB.onAny((event: string) => heard.push(event));
    const target = shopperA.open.conversationId;
    for (const [event, payload] of [
      ["conversation:watch", { conversationId: target }],
      ["conversation:resume", { conversationId: target, afterSeq: 0 }],
      ["conversation:takeover", { conversationId: target }],
      ["conversation:release", { conversationId: target }],
      ["conversation:close", { conversationId: target }],
      ["conversation:reopen", { conversationId: target }],
      ["conversation:assign", { conversationId: target, agentId: b.ownerId }],
      ["message:send", { conversationId: target, clientMessageId: "x", text: "hi from B" }],
      ["note:add", { conversationId: target, text: "note from B" }],
      ["typing", { conversationId: target, isTyping: true }],
      ["message:read", { conversationId: target, seq: 1 }],
    ] as const) {
      expect(await call(agentB, event, payload), event).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    await ok(shopperA.socket, "message:send", { conversationId: target, clientMessageId: "m1", text: "hello A" });
    await nextEvent(shopperA.socket, "message:done");
    expect(heard.filter((e) => e !== "presence")).toEqual([]);
    const conv = await t.k.conversations.get(a.merchantId, target);
    expect(conv.status).toBe("bot");
  });

  it("an agent of merchant A cannot assign to a user of merchant B", async () => {
    const shopperA = await openShopper(a, "https://a-shop.example");
    const agentA = inboxClient(t.k.url, await login(t.k.url, a.email, a.password));
    await connected(agentA);
    expect(await call(agentA, "conversation:assign", { conversationId: shopperA.open.conversationId, agentId: b.ownerId })).toMatchObject({
      ok: false,
      error: { code: "validation_failed" },
    });
  });
});

describe("origin and handshake", () => {
  for (const transport of ["websocket", "polling"]) {
    it(`refuses an Origin outside the merchant's allow-list (${transport})`, async () => {
      const evil = widgetClient(t.k.url, a.widgetKey, { origin: "https://evil.example", transports: [transport] });
      const err = (await connectError(evil)) as Error & { data?: { code?: string } };
      // The refusal says why, on both transports (a program reads it; a foreign page's polling gets no CORS header).
      expect(err.message).toBe("Origin not allowed");
      expect(err.data?.code).toBe("origin_not_allowed");
      // The merchant's own origin works on the same transport.
      const good = widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example", transports: [transport] });
      await connected(good);
    });
  }

  it("same-origin long-polling without an Origin header (Sec-Fetch-Site: same-origin) is checked as this host", async () => {
    const { io } = await import("socket.io-client");
    const own = await createMerchant(t.k, { allowedOrigins: [t.k.url] });
    const sameOrigin = (widgetKey: string) =>
      io(t.k.url + "/widget", {
        forceNew: true,
        reconnection: false,
        transports: ["polling"],
        query: { widgetKey },
        auth: { widgetKey },
        extraHeaders: { "Sec-Fetch-Site": "same-origin" },
      });
    const page = sameOrigin(own.widgetKey);
    await connected(page);
    const opened = await ok<ConversationOpenResult>(page, "conversation:open", {});
    expect(opened.visitorToken).toBeTruthy();
    page.disconnect();
    // A store that does not list this host is still refused.
    const other = sameOrigin(a.widgetKey);
    await connectError(other);
    other.disconnect();
  });

  it("an allowed origin of one store cannot borrow another store's widget key", async () => {
    const s = widgetClient(t.k.url, a.widgetKey, { origin: "https://b-shop.example" });
    await connectError(s);
    // Query key of B (origin allowed for B) but auth key of A: refused in the namespace.
    const { io } = await import("socket.io-client");
    const mixed = io(t.k.url + "/widget", {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      query: { widgetKey: b.widgetKey },
      auth: { widgetKey: a.widgetKey },
      extraHeaders: { Origin: "https://b-shop.example" },
    });
    const err = (await connectError(mixed)) as Error & { data?: { code?: string } };
    mixed.disconnect();
    expect(err.message).toMatch(/Origin not allowed|mismatch/);
    // A refusal in the namespace says why in `data.code` (socket.io passes it to connect_error).
    expect(err.data?.code).toBe("origin_not_allowed");
  });

  it("checks the protocol version clients send: an unknown major version is refused with protocol_unsupported", async () => {
    const codeOf = async (socket: ReturnType<typeof widgetClient>) => ((await connectError(socket)) as Error & { data?: { code?: string } }).data?.code;
    expect(await codeOf(widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example", auth: { protocol: 2 } }))).toBe("protocol_unsupported");
    const token = await login(t.k.url, a.email, a.password);
    expect(await codeOf(inboxClient(t.k.url, token, { auth: { protocol: 99 } }))).toBe("protocol_unsupported");
    // Version 1, and clients written before the version was sent, are served.
    await connected(widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example", auth: { protocol: 1 } }));
    await connected(widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example" }));
    await connected(inboxClient(t.k.url, token, { auth: { protocol: 1 } }));
    // A bad agent token says so with its own code.
    expect(await codeOf(inboxClient(t.k.url, "not-a-token"))).toBe("unauthorized");
  });

  it("the hub handles every client event of the protocol's tables, and only those", async () => {
    const { widgetClientEvents, inboxClientEvents } = await import("@kaleem/shared");
    const shopper = widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example" });
    await connected(shopper);
    const agent = inboxClient(t.k.url, await login(t.k.url, a.email, a.password));
    await connected(agent);
    // The widget's handlers are the namespace's (no listener per socket): each event answers a
    // malformed payload, an event outside the table is not answered (events are handled in order).
    let unknownAnswered = false;
    shopper.emit("conversation:delete", { conversationId: "x" }, () => (unknownAnswered = true));
    for (const event of Object.keys(widgetClientEvents)) {
      const ack = await call(shopper, event, "not an object");
      expect(ack.ok ? null : ack.error.code, event).toBe("validation_failed");
    }
    expect(unknownAnswered).toBe(false);
    const io = t.k.hub!.io;
    const bound = (ns: string, id: string | undefined) => (io.of(ns).sockets.get(id ?? "")?.eventNames() ?? []).filter((e) => e !== "disconnect" && e !== "disconnecting" && e !== "error");
    expect(new Set(bound("/inbox", agent.id))).toEqual(new Set(Object.keys(inboxClientEvents)));
  });

  it("an /inbox connection from a foreign origin is refused; same-host and no-origin are accepted", async () => {
    const token = await login(t.k.url, a.email, a.password);
    for (const transports of [["websocket"], ["polling"]]) {
      const err = (await connectError(inboxClient(t.k.url, token, { origin: "https://evil.example", transports }))) as Error & { data?: { code?: string } };
      expect(err.data?.code, transports[0]).toBe("origin_not_allowed");
    }
    await connected(inboxClient(t.k.url, token, { origin: t.k.url }));
    await connected(inboxClient(t.k.url, token));
  });

  it("without an Origin only stores that allow apps are served, whatever token comes with it", async () => {
    const codeOf = async (socket: ReturnType<typeof widgetClient>) => (await refusedWith(socket)).code;
    // Merchant A does not allow apps: no Origin is refused, with a valid visitor token too.
    const first = await openShopper(a, "https://a-shop.example");
    expect(await codeOf(widgetClient(t.k.url, a.widgetKey, { origin: null }))).toBe("origin_not_allowed");
    expect(await codeOf(widgetClient(t.k.url, a.widgetKey, { origin: null, visitorToken: first.open.visitorToken }))).toBe("origin_not_allowed");
    // Merchant B allows apps: no Origin and no token gets a fresh visitor; its token continues it.
    const appB = widgetClient(t.k.url, b.widgetKey, { origin: null });
    await connected(appB);
    const openB = await openConversation(t.k.store, appB, b.merchantId);
    expect(openB.visitorToken).toBeTruthy();
    const again = widgetClient(t.k.url, b.widgetKey, { origin: null, visitorToken: openB.visitorToken });
    await connected(again);
    expect((await ok<ConversationOpenResult>(again, "conversation:open", {})).conversationId).toBe(openB.conversationId);
  });

  it("visitor tokens are bound to their store and cannot be forged", async () => {
    const fromA = await openShopper(a, "https://a-shop.example");
    // A's token on B's widget is not B's visitor: a new visitor with no conversation.
    const onB = widgetClient(t.k.url, b.widgetKey, { origin: "https://b-shop.example", visitorToken: fromA.open.visitorToken });
    await connected(onB);
    const openB = await ok<ConversationOpenResult>(onB, "conversation:open", {});
    expect(openB.visitorToken).not.toBe(fromA.open.visitorToken);
    expect(openB.conversationId).toBeNull();
    // A tampered token (other visitor id, old signature) is not that visitor, even where apps are allowed.
    const victim = await openShopper(b, "https://b-shop.example");
    const [body, sig] = fromA.open.visitorToken.split(".");
    const claims = JSON.parse(Buffer.from(body!, "base64url").toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, m: b.merchantId, vid: visitorIdOf(victim.open.visitorToken) })).toString("base64url") + "." + sig;
    const app = widgetClient(t.k.url, b.widgetKey, { origin: null, visitorToken: forged });
    await connected(app);
    const opened = await ok<ConversationOpenResult>(app, "conversation:open", {});
    expect(opened.conversationId).toBeNull();
    expect(visitorIdOf(opened.visitorToken)).not.toBe(visitorIdOf(victim.open.visitorToken));
  });

  it("unknown widget keys and bad agent tokens are refused", async () => {
    await connectError(widgetClient(t.k.url, "wk_nope", { origin: "https://a-shop.example" }));
    await connectError(inboxClient(t.k.url, "not-a-jwt"));
    await connectError(inboxClient(t.k.url, ""));
  });
});

describe("payloads", () => {
  it("malformed and oversized payloads get {ok:false} and the server stays up", async () => {
    const s = await openShopper(a, "https://a-shop.example");
    const cid = s.open.conversationId;
    const cases: Array<[string, unknown, string]> = [
      ["message:send", "just a string", "validation_failed"],
      ["message:send", { conversationId: cid, text: "no client id" }, "validation_failed"],
      ["message:send", { conversationId: cid, clientMessageId: "c", text: "   " }, "validation_failed"],
      ["message:send", { conversationId: cid, clientMessageId: "c", text: 42 }, "validation_failed"],
      ["message:send", { conversationId: { $ne: null }, clientMessageId: "c", text: "x" }, "validation_failed"],
      ["message:send", { conversationId: cid, clientMessageId: "c", text: "x".repeat(4001) }, "payload_too_large"],
      ["conversation:resume", { conversationId: cid, afterSeq: -1 }, "validation_failed"],
      ["typing", null, "validation_failed"],
    ];
    for (const [event, payload, code] of cases) {
      expect(await call(s.socket, event, payload), JSON.stringify(payload).slice(0, 60)).toMatchObject({ ok: false, error: { code } });
    }
    // Events without an ack or with unknown names are ignored, not fatal.
    s.socket.emit("message:send", { broken: true });
    s.socket.emit("no:such:event", 1, 2, 3);
    expect((await ok<{ message: Message }>(s.socket, "message:send", { conversationId: cid, clientMessageId: "fine", text: "still works" })).message.text).toBe("still works");
    const stored = await t.k.conversations.tenant(a.merchantId).messages.listAfter(cid, 0);
    expect(stored.filter((m) => m.role === "shopper").map((m) => m.text)).toEqual(["still works"]);
  });

  it("a frame over the size limit closes that socket only", async () => {
    const s = await openShopper(a, "https://a-shop.example");
    const bystander = await openShopper(a, "https://a-shop.example");
    const gone = new Promise<string>((r) => s.socket.once("disconnect", (reason) => r(reason)));
    s.socket.emit("message:send", { conversationId: s.open.conversationId, clientMessageId: "big", text: "x".repeat(100 * 1024) });
    expect(await gone).toMatch(/transport (close|error)/);
    const res = await fetch(`${t.k.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await ok(bystander.socket, "typing", { conversationId: bystander.open.conversationId, isTyping: false })).toBeNull();
  });

  it("flooding is throttled with rate_limited acks, then disconnected", async () => {
    const s = await openShopper(a, "https://a-shop.example");
    const cid = s.open.conversationId;
    const acks = await Promise.all(Array.from({ length: FLOOD_LIMIT + 5 }, () => call(s.socket, "typing", { conversationId: cid, isTyping: true })));
    // Opening used two events of the window (the helper opens again once the conversation is in place).
    expect(acks.filter((x) => x.ok)).toHaveLength(FLOOD_LIMIT - 2);
    const limited = acks.filter((x) => !x.ok && x.error.code === "rate_limited");
    expect(limited.length).toBe(7);
    // Each refusal says when to come back.
    for (const x of limited) expect(x.ok ? 0 : x.error.retryAfterSeconds).toBeGreaterThan(0);
    const gone = new Promise<string>((r) => s.socket.once("disconnect", (reason) => r(reason)));
    for (let i = 0; i < FLOOD_LIMIT * 2; i++) s.socket.emit("typing", { conversationId: cid, isTyping: true });
    expect(await gone).toBe("io server disconnect");
    const fresh = await openShopper(a, "https://a-shop.example");
    expect(fresh.open.conversationId).toBeTruthy();
  });
});

describe("revocation", () => {
  it("logout disconnects the agent's sockets and the token cannot reconnect", async () => {
    const token = await login(t.k.url, a.email, a.password);
    const other = await login(t.k.url, a.email, a.password);
    const s1 = inboxClient(t.k.url, token);
    const s2 = inboxClient(t.k.url, token, { transports: ["polling"] });
    const untouched = inboxClient(t.k.url, other);
    await Promise.all([connected(s1), connected(s2), connected(untouched)]);
    const revoked = nextEvent<{ reason: string }>(s1, "session:revoked");
    const d1 = new Promise((r) => s1.once("disconnect", r));
    const d2 = new Promise((r) => s2.once("disconnect", r));
    const res = await fetch(`${t.k.url}/api/v1/auth/logout`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(204);
    await Promise.all([d1, d2]);
    expect(await revoked).toEqual({ reason: "revoked" });
    const err = await connectError(inboxClient(t.k.url, token));
    expect(err.message).toMatch(/revoked/);
    await until(() => untouched.connected, "other session still connected", 1000);
    expect(await ok(untouched, "presence:get", {})).toBeTruthy();
  });
});

describe("widget key rotation", () => {
  it("disconnects shoppers still on the old key, which no longer connects; the new key does", async () => {
    const shop = await createMerchant(t.k, { allowedOrigins: ["https://rotate.example"] });
    const token = await login(t.k.url, shop.email, shop.password);
    const old = widgetClient(t.k.url, shop.widgetKey, { origin: "https://rotate.example" });
    await connected(old);
    const other = widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example" });
    await connected(other);
    const dropped = new Promise((r) => old.once("disconnect", r));
    const res = await fetch(`${t.k.url}/api/v1/settings/widget/rotate-key`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const { key } = (await res.json()) as { key: string };
    await dropped;
    expect(other.connected).toBe(true);
    await connectError(widgetClient(t.k.url, shop.widgetKey, { origin: "https://rotate.example" }));
    await connected(widgetClient(t.k.url, key, { origin: "https://rotate.example" }));
  });
});

describe("team removal and identity", () => {
  it("a password change disconnects the agent's sockets and the old token cannot reconnect", async () => {
    const member = await addAgent(t.k, a.merchantId, "Rekey");
    const memberToken = await login(t.k.url, member.email, member.password);
    const socket = inboxClient(t.k.url, memberToken);
    await connected(socket);
    const gone = new Promise((r) => socket.once("disconnect", r));
    const ownerToken = await login(t.k.url, a.email, a.password);
    const res = await fetch(`${t.k.url}/api/v1/team/${member.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ownerToken}`, "Content-Type": "application/json" },
      body: JSON.stringify({ password: "a brand new password" }),
    });
    expect(res.status).toBe(200);
    await gone;
    const err = await connectError(inboxClient(t.k.url, memberToken));
    expect(err.message).toMatch(/revoked/);
  });

  it("removing an agent from the team disconnects their sockets and they cannot reconnect", async () => {
    const member = await addAgent(t.k, a.merchantId, "Temp");
    const memberToken = await login(t.k.url, member.email, member.password);
    const socket = inboxClient(t.k.url, memberToken);
    await connected(socket);
    const gone = new Promise((r) => socket.once("disconnect", r));
    const ownerToken = await login(t.k.url, a.email, a.password);
    const res = await fetch(`${t.k.url}/api/v1/team/${member.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${ownerToken}` } });
    expect(res.status).toBe(204);
    await gone;
    await connectError(inboxClient(t.k.url, memberToken));
  });

  it("identify links the visitor to a customer only with the store's HMAC signature", async () => {
    const s = await openShopper(a, "https://a-shop.example");
    const merchant = await t.k.conversations.tenant(a.merchantId).merchant.get();
    const bad = await call(s.socket, "identify", { email: "sara@example.com", signature: "00".repeat(32) });
    expect(bad).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    const signature = hmacSha256(merchant.widget.identitySecret, "sara@example.com");
    const good = await ok<{ customerId: string }>(s.socket, "identify", { email: "sara@example.com", name: "Sara", signature });
    const conv = await t.k.conversations.get(a.merchantId, s.open.conversationId);
    expect(conv.customerId).toBe(good.customerId);
    // The same person on another device lands on the same customer record.
    const other = await openShopper(a, "https://a-shop.example");
    const again = await ok<{ customerId: string }>(other.socket, "identify", { email: "sara@example.com", signature });
    expect(again.customerId).toBe(good.customerId);
  });

  it("identify trusts only the signed field: an unsigned phone cannot borrow another customer's record", async () => {
    const tenant = t.k.conversations.tenant(a.merchantId);
    const victim = await tenant.customers.create({ channel: "webchat", name: "Victim", phone: "+966500000777" });
    const merchant = await tenant.merchant.get();
    const s = await openShopper(a, "https://a-shop.example");
    // A real signature, but for the caller's own email; the phone next to it is not covered by it.
    const signature = hmacSha256(merchant.widget.identitySecret, "eve@example.com");
    const linked = await ok<{ customerId: string }>(s.socket, "identify", { email: "eve@example.com", phone: "+966500000777", signature });
    expect(linked.customerId).not.toBe(victim.id);
    const customer = await tenant.customers.get(linked.customerId);
    expect(customer).toMatchObject({ email: "eve@example.com", phone: null });
    expect((await tenant.customers.findByContact({ phone: "+966500000777" }))!.id).toBe(victim.id);
  });
});

describe("metrics", () => {
  it("exposes socket, event, stream and handoff metrics", async () => {
    const s = await openShopper(a, "https://a-shop.example");
    await ok(s.socket, "message:send", { conversationId: s.open.conversationId, clientMessageId: "met", text: "metrics please" });
    await nextEvent(s.socket, "message:done");
    await ok(s.socket, "conversation:resume", { conversationId: s.open.conversationId, afterSeq: 0 });
    await ok(s.socket, "conversation:human", { conversationId: s.open.conversationId });
    const body = await (await fetch(`${t.k.url}/metrics`)).text();
    expect(body).toMatch(/kaleem_socket_connected\{[^}]*namespace="widget"[^}]*\} [1-9]/);
    expect(body).toMatch(/kaleem_socket_events_in_total\{[^}]*event="message:send"/);
    expect(body).toMatch(/kaleem_socket_events_out_total\{[^}]*event="message:delta"/);
    expect(body).toMatch(/kaleem_stream_delta_lag_seconds_count\{[^}]*\} [1-9]/);
    expect(body).toMatch(/kaleem_stream_first_delta_seconds_count\{[^}]*\} [1-9]/);
    expect(body).toMatch(/kaleem_socket_resumes_total\{[^}]*namespace="widget"[^}]*\} [1-9]/);
    expect(body).toMatch(/kaleem_handoffs_total\{[^}]*kind="bot->waiting_human"/);
  });
});
