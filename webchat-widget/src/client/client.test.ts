// The client library against a real embedded Kaleem (hub, workers, built-in bot, demo store).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { INBOX_NAMESPACE, asMerchantId, hmacSha256, type Ack, type Message, type WatchResult } from "@kaleem/shared";
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
  it("opens a conversation, keeps the visitor token, and streams the answer by deltas to the stored text", async () => {
    const storage = memoryStorage();
    const c = client(storage);
    const state = await waitFor(() => c.getState().ready && c.getState(), "conversation open");
    expect(state.conversationId).toBeTruthy();
    expect(state.status).toBe("bot");
    expect(state.connection).toBe("connected");
    expect([...storage.map.keys()].some((k) => k.endsWith(":vt"))).toBe(true);

    const grown: string[] = [];
    c.on("delta", (d) => grown.push(d.text));
    c.send("do you have black abayas?");
    const answer = await waitFor(() => finalBot(c), "final answer");

    expect(new Set(grown.map((t) => t.length)).size).toBeGreaterThanOrEqual(2);
    for (const t of grown) expect(answer.text.startsWith(t)).toBe(true);
    const rows = await stored(state.conversationId!);
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
      const { conversationId } = await waitFor(() => c.getState().ready && c.getState(), "conversation open");
      const cmid = c.send("hello there");
      await waitFor(() => c.getState().messages.find((m) => m.clientMessageId === cmid && m.delivery === "sent"), "acknowledged");
      await waitFor(() => finalBot(c), "answer");
      await waitFor(() => calls >= 2, "retry reached the server");
      const rows = await stored(conversationId!);
      expect(sends.length).toBeGreaterThan(1);
      expect(new Set(sends)).toEqual(new Set([cmid]));
      expect(rows.filter((m) => m.clientMessageId === cmid)).toHaveLength(1);
      expect(rows.filter((m) => m.role === "bot")).toHaveLength(1);
      expect(c.getState().messages.filter((m) => m.role === "shopper")).toHaveLength(1);
    } finally {
      service.shopperSend = original;
    }
  });

  it("resumes after the transport drops mid-stream: the answer ends complete, with no repeats", async () => {
    const c = client(memoryStorage());
    const { conversationId } = await waitFor(() => c.getState().ready && c.getState(), "conversation open");
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
    const storedAnswer = (await stored(conversationId!)).find((m) => m.id === answer.id);
    expect(answer.text).toBe(storedAnswer?.text);
    expect(answer.status).toBe(storedAnswer?.status);
    for (const t of seen) expect(answer.text.startsWith(t)).toBe(true);
    expect(c.getState().messages.filter((m) => m.id === answer.id)).toHaveLength(1);
  });

  it("continues the same conversation after a reload, without duplicates", async () => {
    const storage = memoryStorage();
    const first = client(storage);
    const { conversationId } = await waitFor(() => first.getState().ready && first.getState(), "conversation open");
    first.send("do you sell dates?");
    await waitFor(() => finalBot(first), "answer");
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
    const { conversationId } = await waitFor(() => c.getState().ready && c.getState(), "conversation open");
    const cmid = c.send("hi, I have a question about my order");
    await waitFor(() => finalBot(c), "bot answer");
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

  it("identifies the shopper with a server-computed signature and refuses a forged one", async () => {
    const merchant = await tenant().merchant.get();
    const email = "sara@example.com";
    const c = client(memoryStorage());
    // Called right away, before the conversation is open: the client waits for it.
    const identified = c.identify({ name: "Sara", email }, hmacSha256(merchant.widget.identitySecret, email));
    const { customerId } = await identified;
    const { conversationId } = c.getState();
    await expect(c.identify({ name: "Sara", email }, "00".repeat(32))).rejects.toMatchObject({ code: "unauthorized" });
    expect(customerId).toBeTruthy();
    expect((await tenant().conversations.get(conversationId!))?.customerId).toBe(customerId);
  });

  it("survives the server going away mid-stream and coming back (same port, same data)", async () => {
    const c = client(memoryStorage());
    const { conversationId } = await waitFor(() => c.getState().ready && c.getState(), "conversation open");
    const seen: string[] = [];
    c.on("delta", (d) => seen.push(d.text));
    c.send("do you have perfumes for women?");
    await waitFor(() => lastBot(c)?.status === "streaming" && (lastBot(c)?.text.length ?? 0) > 0, "answer streaming");
    await kal.restart();
    const answer = await waitFor(() => finalBot(c), "final answer", 40_000);
    await waitFor(() => c.getState().connection === "connected", "reconnected");
    const storedAnswer = (await stored(conversationId!)).find((m) => m.id === answer.id);
    expect(answer.text).toBe(storedAnswer?.text);
    for (const t of seen) expect(answer.text.startsWith(t)).toBe(true);
    expect(new Set(c.getState().messages.map((m) => m.id)).size).toBe(c.getState().messages.length);
  });
});
