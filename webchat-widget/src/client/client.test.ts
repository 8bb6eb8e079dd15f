// The client library against a real embedded Kaleem (hub, workers, built-in bot, demo store).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { INBOX_NAMESPACE, LOAD_BALANCING_QUERY, asMerchantId, hmacSha256, type Ack, type Message, type WatchResult } from "@kaleem/shared";
import { createKaleemClient, type KaleemClient, type KaleemClientOptions, type KaleemStorage } from "./index.js";
import { startDemoKaleem, waitFor, type DemoKaleem } from "../test/kaleem.js";

let kal: DemoKaleem;
const clients: KaleemClient[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  // Slow enough streaming that a test can act in the middle of an answer.
  kal = await startDemoKaleem({ BOT_STREAM_DELAY_MS: "25" });
});
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.disconnect();
});
afterAll(async () => {
  await kal?.close();
});

function memoryStorage(): KaleemStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k) => map.get(k) ?? null,
    set: async (k, v) => void (v === null ? map.delete(k) : map.set(k, v)),
  };
}

function client(storage: KaleemStorage, extra: Partial<KaleemClientOptions> = {}): KaleemClient {
  const c = createKaleemClient({
    url: kal.url,
    widgetKey: kal.widgetKey,
    storage,
    // A browser page on the Kaleem host sends this Origin; Node's client must set it by hand.
    socketOptions: { extraHeaders: { Origin: kal.url }, transports: ["websocket"] },
    ...extra,
  });
  clients.push(c);
  return c;
}

const tenant = () => kal.k.store.forMerchant(asMerchantId(kal.merchantId));
const stored = async (conversationId: string): Promise<Message[]> => tenant().messages.listAfter(conversationId, 0);
const lastBot = (c: KaleemClient) => [...c.getState().messages].reverse().find((m) => m.role === "bot");
const finalBot = (c: KaleemClient, after = 0) =>
  c.getState().messages.find((m) => m.role === "bot" && m.status !== "streaming" && (m.seq ?? 0) > after);

async function agentSocket(): Promise<Socket> {
  const res = await fetch(`${kal.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: kal.email, password: kal.password }),
  });
  expect(res.status).toBe(200);
  const { accessToken } = (await res.json()) as { accessToken: string };
  const s = io(kal.url + INBOX_NAMESPACE, { forceNew: true, transports: ["websocket"], auth: { token: accessToken }, extraHeaders: { Origin: kal.url } });
  sockets.push(s);
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}
async function agentCall<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await s.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

describe("shopper client with a real hub", () => {
  it("opens the widget, keeps the visitor token, starts the conversation with the first message and streams the answer by deltas to the stored text", async () => {
    const storage = memoryStorage();
    const c = client(storage);
    const ready = new Promise<{ conversationId: string | null }>((resolve) => c.on("ready", resolve));
    const state = await waitFor(() => c.getState().ready && c.getState(), "widget open");
    // Opening creates nothing in the inbox: the conversation starts with the first message.
    expect(state.conversationId).toBeNull();
    expect((await ready).conversationId).toBeNull();
    expect(state.status).toBe("bot");
    expect(state.connection).toBe("connected");
    expect([...storage.map.keys()].some((k) => k.endsWith(":vt"))).toBe(true);
    const before = (await tenant().conversations.list({}, { limit: 100 })).items.length;

    const grown: string[] = [];
    c.on("delta", (d) => grown.push(d.text));
    c.send("do you have black abayas?");
    const answer = await waitFor(() => finalBot(c), "final answer");
    expect(c.getState().conversationId).toBe(answer.conversationId);
    expect((await tenant().conversations.list({}, { limit: 100 })).items.length).toBe(before + 1);

    expect(new Set(grown.map((t) => t.length)).size).toBeGreaterThanOrEqual(2);
    for (const t of grown) expect(answer.text.startsWith(t)).toBe(true);
    const rows = await stored(answer.conversationId);
    const storedAnswer = rows.find((m) => m.id === answer.id);
    expect(storedAnswer?.text).toBe(answer.text);
    expect(answer.seq).toBe(storedAnswer?.seq);
    const cards = answer.parts.filter((p) => p.type === "product_card");
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.every((p) => p.type === "product_card" && p.price > 0 && p.currency === "SAR")).toBe(true);
    // The shopper's own message is acknowledged in place: one copy, with its server seq.
    const mine = c.getState().messages.filter((m) => m.role === "shopper");
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ delivery: "sent", text: "do you have black abayas?" });
    expect(mine[0]?.seq).toBe(rows.find((m) => m.role === "shopper")?.seq);
  });

  it("retries an unacknowledged send with the same client message id: one message, one answer", async () => {
    // The first send is slow on the server (as behind a congested link): the client's ack timeout
    // passes and it sends again. (A room echo of the stored message would count as an ack, so the
    // delay comes before the message is stored.)
    const service = kal.k.conversations;
    const original = service.shopperSend.bind(service);
    let calls = 0;
    service.shopperSend = async (...args: Parameters<typeof original>) => {
      if (++calls === 1) await new Promise((r) => setTimeout(r, 600));
      return original(...args);
    };
    try {
      const c = client(memoryStorage(), { ackTimeoutMs: 200 });
      const sends: string[] = [];
      c.socket.onAnyOutgoing((event: string, payload: { clientMessageId?: string }) => {
        if (event === "message:send" && payload.clientMessageId) sends.push(payload.clientMessageId);
      });
      await waitFor(() => c.getState().ready && c.getState(), "widget open");
      const cmid = c.send("hello there");
      await waitFor(() => c.getState().messages.find((m) => m.clientMessageId === cmid && m.delivery === "sent"), "acknowledged");
      await waitFor(() => finalBot(c), "answer");
      await waitFor(() => calls >= 2, "retry reached the server");
      const rows = await stored(c.getState().conversationId!);
      expect(sends.length).toBeGreaterThan(1);
      expect(new Set(sends)).toEqual(new Set([cmid]));
      expect(rows.filter((m) => m.clientMessageId === cmid)).toHaveLength(1);
      expect(rows.filter((m) => m.role === "bot")).toHaveLength(1);
      expect(c.getState().messages.filter((m) => m.role === "shopper")).toHaveLength(1);
    } finally {
      service.shopperSend = original;
    }
  });

  it("sends one load-balancing key per client on every connection, reconnections included", async () => {
    const a = client(memoryStorage());
    const b = client(memoryStorage());
    await waitFor(() => a.getState().connection === "connected" && b.getState().connection === "connected", "both connected");
    const keyOf = (c: KaleemClient) => (c.socket.io.engine.transport.query as Record<string, string>)[LOAD_BALANCING_QUERY];
    const first = keyOf(a);
    expect(first).toMatch(/^[0-9a-f-]{16,}$/);
    expect(keyOf(b)).not.toBe(first);
    const engine = a.socket.io.engine;
    engine.close();
    await waitFor(() => a.socket.io.engine !== engine && a.getState().connection === "connected", "reconnected");
    // nginx hashes this key: the same one after the reconnection keeps a polling client on one hub.
    expect(keyOf(a)).toBe(first);
  });

  it("resumes after the transport drops mid-stream: the answer ends complete, with no repeats", async () => {
    const c = client(memoryStorage());
    await waitFor(() => c.getState().ready && c.getState(), "widget open");
    const seen: string[] = [];
    c.on("delta", (d) => seen.push(d.text));
    let reconnects = 0;
    c.on("connection", (s) => {
      if (s === "reconnecting") reconnects++;
    });
    const resumes: number[] = [];
    c.socket.onAnyOutgoing((event: string, payload: { afterSeq?: number }) => {
      if (event === "conversation:resume" && typeof payload.afterSeq === "number") resumes.push(payload.afterSeq);
    });
    c.send("what is your return policy and how long does shipping to Jeddah take?");
    await waitFor(() => lastBot(c)?.status === "streaming" && (lastBot(c)?.text.length ?? 0) > 0, "answer streaming");
    // Cut the connection under the client (as a network change or a dead node would).
    c.socket.io.engine.close();
    const answer = await waitFor(() => finalBot(c), "final answer", 30_000);
    expect(reconnects).toBeGreaterThan(0);
    // Resumed from below the streaming answer: the shopper's question (seq 1) was the last final message.
    expect(resumes[0]).toBe(1);
    const storedAnswer = (await stored(c.getState().conversationId!)).find((m) => m.id === answer.id);
    expect(answer.text).toBe(storedAnswer?.text);
    expect(answer.status).toBe(storedAnswer?.status);
    for (const t of seen) expect(answer.text.startsWith(t)).toBe(true);
    expect(c.getState().messages.filter((m) => m.id === answer.id)).toHaveLength(1);
  });

  it("continues the same conversation after a reload, without duplicates", async () => {
    const storage = memoryStorage();
    const first = client(storage);
    await waitFor(() => first.getState().ready && first.getState(), "widget open");
    first.send("do you sell dates?");
    await waitFor(() => finalBot(first), "answer");
    const { conversationId } = first.getState();
    const before = first.getState().messages.map((m) => m.id);
    first.close();

    const second = client(storage);
    const state = await waitFor(() => second.getState().ready && second.getState(), "reopened");
    expect(state.conversationId).toBe(conversationId);
    expect(state.messages.map((m) => m.id)).toEqual(before);
    expect(state.messages.map((m) => m.id)).toEqual((await stored(conversationId!)).map((m) => m.id));
    // The answer was seen before the reload only if the shopper had the chat in view; nothing is
    // read here, so the bot's answer counts as unread.
    expect(state.unread).toBe(1);
    second.setActive(true);
    await waitFor(() => second.getState().unread === 0, "read");
    const lastSeq = Math.max(...state.messages.map((m) => m.seq ?? 0));
    await waitFor(async () => (await tenant().conversations.get(conversationId!))?.shopperReadSeq === lastSeq, "read seq stored");
  });

  it("follows handoff: waiting, agent takes over, typing with the agent's name, agent replies, read receipts", async () => {
    const c = client(memoryStorage());
    await waitFor(() => c.getState().ready && c.getState(), "widget open");
    const cmid = c.send("hi, I have a question about my order");
    await waitFor(() => finalBot(c), "bot answer");
    const { conversationId } = c.getState();
    expect(await c.requestHuman()).toBe("waiting_human");
    await waitFor(() => c.getState().status === "waiting_human", "waiting status");

    const agent = await agentSocket();
    await agentCall<WatchResult>(agent, "conversation:watch", { conversationId });
    await agentCall(agent, "conversation:takeover", { conversationId });
    const taken = await waitFor(() => c.getState().status === "human" && c.getState(), "human status");
    expect(taken.agentName).toBeTruthy();
    const agentName = taken.agentName!;

    agent.emit("typing", { conversationId, isTyping: true });
    const typing = await waitFor(() => c.getState().typing, "agent typing");
    expect(typing).toEqual({ role: "agent", name: agentName });

    await agentCall(agent, "message:send", { conversationId, clientMessageId: "agent-1", text: "Hello, I can help with that." });
    const reply = await waitFor(() => c.getState().messages.find((m) => m.role === "agent"), "agent reply");
    expect(reply.authorName).toBe(agentName);
    expect(c.getState().typing).toBeNull();

    const mine = c.getState().messages.find((m) => m.clientMessageId === cmid);
    await agentCall(agent, "message:read", { conversationId, seq: reply.seq });
    await waitFor(() => c.getState().messages.find((m) => m.id === mine?.id)?.delivery === "read", "read receipt");
  });

  it("identifies the shopper with a server-computed signature, keeps the rotated token, and refuses a forged one", async () => {
    const merchant = await tenant().merchant.get();
    const email = "sara@example.com";
    const storage = memoryStorage();
    const tokens: string[] = [];
    const set = storage.set;
    storage.set = async (k, v) => {
      if (k.endsWith(":vt") && v) tokens.push(v);
      return set(k, v);
    };
    const c = client(storage);
    // Called right away, before the widget is open: the client waits for it.
    const { customerId } = await c.identify({ name: "Sara", email }, hmacSha256(merchant.widget.identitySecret, email));
    // The token from opening, then the one identify rotated to (a new generation), kept last.
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(storage.map.get([...storage.map.keys()].find((k) => k.endsWith(":vt"))!)).toBe(tokens[1]);
    await expect(c.identify({ name: "Sara", email }, "00".repeat(32))).rejects.toMatchObject({ code: "unauthorized" });
    expect(customerId).toBeTruthy();
    // The conversation the first message creates belongs to the identified customer.
    c.send("hello");
    await waitFor(() => c.getState().conversationId, "conversation started");
    expect((await tenant().conversations.get(c.getState().conversationId!))?.customerId).toBe(customerId);
  });

  it("a blocked visitor's client is disconnected, says so once and stops reconnecting", async () => {
    const c = client(memoryStorage());
    await waitFor(() => c.getState().ready, "widget open");
    c.send("hello");
    const conversationId = await waitFor(() => c.getState().conversationId, "conversation started");
    const visitorId = (await tenant().conversations.get(conversationId))!.visitorId!;
    const errors: string[] = [];
    c.on("error", (e) => errors.push(e.code));
    let connects = 0;
    c.socket.io.on("reconnect_attempt", () => connects++);
    const login = await fetch(`${kal.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: kal.email, password: kal.password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const res = await fetch(`${kal.url}/api/v1/visitors/${visitorId}/block`, {
      method: "PUT",
      headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(res.status).toBe(200);
    await waitFor(() => errors.includes("forbidden"), "blocked error");
    expect(c.getState().connection).toBe("closed");
    const attemptsThen = connects;
    // Nothing more is tried: the next reconnection would have come within a few seconds.
    await new Promise((r) => setTimeout(r, 3000));
    expect(connects).toBe(attemptsThen);
    expect(c.socket.connected).toBe(false);
  });

  it("survives the server going away mid-stream and coming back (same port, same data)", async () => {
    const c = client(memoryStorage());
    await waitFor(() => c.getState().ready && c.getState(), "widget open");
    const seen: string[] = [];
    c.on("delta", (d) => seen.push(d.text));
    c.send("do you have perfumes for women?");
    await waitFor(() => lastBot(c)?.status === "streaming" && (lastBot(c)?.text.length ?? 0) > 0, "answer streaming");
    await kal.restart();
    const answer = await waitFor(() => finalBot(c), "final answer", 40_000);
    await waitFor(() => c.getState().connection === "connected", "reconnected");
    const storedAnswer = (await stored(c.getState().conversationId!)).find((m) => m.id === answer.id);
    expect(answer.text).toBe(storedAnswer?.text);
    for (const t of seen) expect(answer.text.startsWith(t)).toBe(true);
    expect(new Set(c.getState().messages.map((m) => m.id)).size).toBe(c.getState().messages.length);
  });
});
