// Issue 15, item 8, against the embedded product with real sockets: visitor tokens expire (and are
// renewed while in use), do not survive a widget-key rotation, are rotated by identify, and a
// store can block a visitor — disconnected on the spot, refused at every later connect.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId, hmacSha256, type ConversationOpenResult, type Message, type ResumeResult } from "@kaleem/shared";
import { VisitorTokens } from "@kaleem/hub";
import {
  addAgent,
  closeAllClients,
  connected,
  createMerchant,
  login,
  ok,
  openConversation,
  refusedWith,
  ScriptedBot,
  SHOP_ORIGIN,
  startTestKaleem,
  visitorIdOf,
  widgetClient,
  type TestKaleem,
  type TestMerchant,
} from "./realtime.test-helpers.js";

const TTL = 7 * 86400;
let t: TestKaleem;
let shop: TestMerchant;
let apps: TestMerchant;

beforeAll(async () => {
  t = await startTestKaleem({ bot: new ScriptedBot(), env: { VISITOR_TOKEN_TTL_SECONDS: String(TTL) } });
  shop = await createMerchant(t.k);
  apps = await createMerchant(t.k, { allowApps: true });
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

/** A token this installation would have issued at `issuedAtMs` (same secret, another clock). */
const tokenIssuedAt = (m: TestMerchant, issuedAtMs: number, visitor: { visitorId?: string; generation?: number } = {}) =>
  new VisitorTokens(t.k.config.secrets.visitorTokenSecret, { ttlSeconds: TTL, now: () => issuedAtMs }).issue(m.merchantId, m.widgetKey, visitor).token;

async function visitorWithConversation(m: TestMerchant, origin: string | null = SHOP_ORIGIN) {
  const socket = widgetClient(t.k.url, m.widgetKey, { origin });
  await connected(socket);
  const sent = await ok<{ message: Message }>(socket, "message:send", { clientMessageId: "first", text: "hello" });
  const open = await ok<ConversationOpenResult>(socket, "conversation:open", {});
  return { socket, open, conversationId: sent.message.conversationId };
}

const refusalCode = async (socket: ReturnType<typeof widgetClient>) => (await refusedWith(socket)).code;

describe("visitor token lifetime", () => {
  it("a token past its lifetime (or issued in 2001) no longer names the visitor; with an Origin the shopper starts as a new visitor", async () => {
    const { open, conversationId } = await visitorWithConversation(shop);
    const visitorId = visitorIdOf(open.visitorToken);
    for (const issuedAt of [Date.now() - (TTL + 60) * 1000, Date.UTC(2001, 0, 1)]) {
      const socket = widgetClient(t.k.url, shop.widgetKey, { visitorToken: tokenIssuedAt(shop, issuedAt, { visitorId }) });
      await connected(socket);
      const again = await ok<ConversationOpenResult>(socket, "conversation:open", {});
      expect(again.conversationId).toBeNull();
      expect(visitorIdOf(again.visitorToken)).not.toBe(visitorId);
      expect(await ok<unknown>(socket, "conversation:resume", { conversationId, afterSeq: 0 }).catch((e: Error) => e.message)).toMatch(/not_found/);
    }
  });

  it("is renewed while in use: past half its lifetime, open and resume hand out a fresh token for the same visitor and conversation", async () => {
    const { open, conversationId } = await visitorWithConversation(shop);
    const visitorId = visitorIdOf(open.visitorToken);
    const aging = tokenIssuedAt(shop, Date.now() - TTL * 0.6 * 1000, { visitorId });
    const socket = widgetClient(t.k.url, shop.widgetKey, { visitorToken: aging });
    await connected(socket);
    const reopened = await ok<ConversationOpenResult>(socket, "conversation:open", {});
    expect(reopened.conversationId).toBe(conversationId);
    expect(reopened.visitorToken).not.toBe(aging);
    expect(visitorIdOf(reopened.visitorToken)).toBe(visitorId);
    const resumed = await ok<ResumeResult>(socket, "conversation:resume", { conversationId, afterSeq: 0 });
    expect(resumed.visitorToken).toBe(reopened.visitorToken);
    // The renewed token works on its own.
    const later = widgetClient(t.k.url, shop.widgetKey, { visitorToken: reopened.visitorToken });
    await connected(later);
    expect((await ok<ConversationOpenResult>(later, "conversation:open", {})).conversationId).toBe(conversationId);
  });

  it("does not survive a widget-key rotation", async () => {
    const m = await createMerchant(t.k, { allowApps: true });
    const { open } = await visitorWithConversation(m);
    const token = await login(t.k.url, m.email, m.password);
    const res = await fetch(`${t.k.url}/api/v1/settings/widget/rotate-key`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    const { key } = (await res.json()) as { key: string };
    for (const origin of [SHOP_ORIGIN, null]) {
      const socket = widgetClient(t.k.url, key, { origin, visitorToken: open.visitorToken });
      await connected(socket);
      const again = await ok<ConversationOpenResult>(socket, "conversation:open", {});
      expect(again.conversationId).toBeNull();
      expect(visitorIdOf(again.visitorToken)).not.toBe(visitorIdOf(open.visitorToken));
    }
  });
});

describe("identify rotates the visitor token", () => {
  it("returns a new token, disconnects sockets still on the old one, and the old one no longer opens the identified conversation", async () => {
    const first = await visitorWithConversation(shop);
    const copy = widgetClient(t.k.url, shop.widgetKey, { visitorToken: first.open.visitorToken });
    await connected(copy);
    expect((await ok<ConversationOpenResult>(copy, "conversation:open", {})).conversationId).toBe(first.conversationId);
    const dropped = new Promise((r) => copy.once("disconnect", r));
    const merchant = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).merchant.get();
    const email = "noura@example.com";
    const identified = await ok<{ customerId: string; visitorToken: string }>(first.socket, "identify", { email, signature: hmacSha256(merchant.widget.identitySecret, email) });
    expect(identified.visitorToken).not.toBe(first.open.visitorToken);
    expect(visitorIdOf(identified.visitorToken)).toBe(visitorIdOf(first.open.visitorToken));
    await dropped;
    // The socket that identified carries on.
    expect(await ok(first.socket, "typing", { conversationId: first.conversationId, isTyping: false })).toBeNull();
    // The copy made before identifying is nobody now.
    const stale = widgetClient(t.k.url, shop.widgetKey, { visitorToken: first.open.visitorToken });
    await connected(stale);
    expect((await ok<ConversationOpenResult>(stale, "conversation:open", {})).conversationId).toBeNull();
    // The new token is the identified visitor.
    const fresh = widgetClient(t.k.url, shop.widgetKey, { visitorToken: identified.visitorToken });
    await connected(fresh);
    expect((await ok<ConversationOpenResult>(fresh, "conversation:open", {})).conversationId).toBe(first.conversationId);
  });

  it("before the first message, links the customer to the conversation that message creates", async () => {
    const socket = widgetClient(t.k.url, shop.widgetKey);
    await connected(socket);
    await ok(socket, "conversation:open", {});
    const merchant = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).merchant.get();
    const email = "early@example.com";
    const { customerId } = await ok<{ customerId: string }>(socket, "identify", { email, signature: hmacSha256(merchant.widget.identitySecret, email) });
    const sent = await ok<{ message: Message }>(socket, "message:send", { clientMessageId: "after-identify", text: "hi" });
    const conversation = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).conversations.get(sent.message.conversationId);
    expect(conversation?.customerId).toBe(customerId);
  });
});

describe("blocking a visitor", () => {
  const api = (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${t.k.url}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("disconnects the visitor's sockets, refuses them at connect with visitor_blocked, and an owner can lift it", async () => {
    const { socket, open } = await visitorWithConversation(shop);
    const tab = widgetClient(t.k.url, shop.widgetKey, { visitorToken: open.visitorToken, transports: ["polling"] });
    await connected(tab);
    const bystander = await visitorWithConversation(shop);
    const visitorId = visitorIdOf(open.visitorToken);
    const agent = await addAgent(t.k, shop.merchantId, "Mod");
    const agentToken = await login(t.k.url, agent.email, agent.password);
    const gone = Promise.all([new Promise((r) => socket.once("disconnect", r)), new Promise((r) => tab.once("disconnect", r))]);

    const blocked = await api(agentToken, "PUT", `/visitors/${visitorId}/block`, { reason: "abusive\u202E messages" });
    expect(blocked.status).toBe(200);
    expect(await blocked.json()).toMatchObject({ visitorId, blockReason: "abusive messages" });
    await gone;
    expect(bystander.socket.connected).toBe(true);
    expect(await refusalCode(widgetClient(t.k.url, shop.widgetKey, { visitorToken: open.visitorToken }))).toBe("visitor_blocked");
    const view = await api(agentToken, "GET", `/visitors/${visitorId}`);
    expect(await view.json()).toMatchObject({ visitorId, blockedBy: agent.id });
    const listed = (await (await api(agentToken, "GET", "/visitors/blocked")).json()) as { items: Array<{ visitorId: string }> };
    expect(listed.items.map((v) => v.visitorId)).toContain(visitorId);
    const audit = await t.k.store.forMerchant(asMerchantId(shop.merchantId)).audit.list({ limit: 50 });
    expect(audit.items.some((r) => r.action === "visitor.blocked" && r.target === visitorId)).toBe(true);

    // Lifting a block is for owners and admins.
    expect((await api(agentToken, "DELETE", `/visitors/${visitorId}/block`)).status).toBe(403);
    const ownerToken = await login(t.k.url, shop.email, shop.password);
    expect((await api(ownerToken, "DELETE", `/visitors/${visitorId}/block`)).status).toBe(200);
    const back = widgetClient(t.k.url, shop.widgetKey, { visitorToken: open.visitorToken });
    await connected(back);
    expect((await ok<ConversationOpenResult>(back, "conversation:open", {})).conversationId).toBe(open.conversationId);
  });

  it("names only visitors of the caller's store", async () => {
    const { open } = await visitorWithConversation(apps, null);
    const ownerToken = await login(t.k.url, shop.email, shop.password);
    expect((await api(ownerToken, "PUT", `/visitors/${visitorIdOf(open.visitorToken)}/block`, {})).status).toBe(404);
    expect((await api(ownerToken, "GET", `/visitors/${visitorIdOf(open.visitorToken)}`)).status).toBe(404);
    expect((await api(ownerToken, "PUT", "/visitors/v_never_seen/block", {})).status).toBe(404);
    // And the other store's visitor is untouched.
    const app = widgetClient(t.k.url, apps.widgetKey, { origin: null, visitorToken: open.visitorToken });
    await connected(app);
  });
});

describe("connections without an Origin", () => {
  it("are served only for stores that allow apps, whatever token they bring", async () => {
    const { open } = await openWithConversation(shop);
    expect(await refusalCode(widgetClient(t.k.url, shop.widgetKey, { origin: null, visitorToken: open.visitorToken }))).toBe("origin_not_allowed");
    const app = widgetClient(t.k.url, apps.widgetKey, { origin: null });
    await connected(app);
  });
});

async function openWithConversation(m: TestMerchant) {
  const socket = widgetClient(t.k.url, m.widgetKey);
  await connected(socket);
  return { socket, open: await openConversation(t.k.store, socket, m.merchantId) };
}
