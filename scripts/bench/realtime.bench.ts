// Streaming an answer through Kaleem (queue → bot job → stream record → message store → room
// emits to the shopper and watching agents) against a raw Socket.IO server emitting the same
// number of same-sized events to the same clients. Both on loopback, same process, same run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { INBOX_NAMESPACE, loadConfig, WIDGET_NAMESPACE, type BotEngine, type BotEvent, type ConversationOpenResult } from "@kaleem/shared";
import { startKaleem } from "@kaleem/launcher";
import { compare, result, type BenchResult } from "./harness.js";

const DELTAS = 200;
const AGENTS = 5;
const WORD = "token ";

class FixedStreamBot implements BotEngine {
  async *reply(_input: unknown, signal: AbortSignal): AsyncIterable<BotEvent> {
    yield { type: "intent", intent: "other", confidence: 1 };
    for (let i = 0; i < DELTAS && !signal.aborted; i++) yield { type: "delta", text: WORD };
  }
}

const connected = (s: Socket) => new Promise<void>((resolve, reject) => {
  s.once("connect", () => resolve());
  s.once("connect_error", reject);
});

function ack<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    s.emit(event, payload, (r: { ok: boolean; data?: T; error?: { message: string } }) => (r.ok ? resolve(r.data as T) : reject(new Error(r.error?.message)))),
  );
}

async function kaleemRounds(): Promise<{ run: () => Promise<number>; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-rt-"));
  const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", BOT_STREAM_DELAY_MS: "0" });
  const k = await startKaleem(config, { bot: new FixedStreamBot(), printCredentials: false, seedDemo: true });
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as { email: string; password: string; widgetKey: string };
  const login = await fetch(`${k.url}/api/v1/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: demo.email, password: demo.password }) });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const shopper = io(k.url + WIDGET_NAMESPACE, { transports: ["websocket"], forceNew: true, query: { widgetKey: demo.widgetKey }, auth: { widgetKey: demo.widgetKey }, extraHeaders: { Origin: k.url } });
  await connected(shopper);
  await ack<ConversationOpenResult>(shopper, "conversation:open", { locale: "en" });
  // Opening creates no conversation: a first question starts it, then the agents watch it.
  const firstAnswer = new Promise<void>((resolve) => shopper.once("message:done", () => resolve()));
  const first = await ack<{ message: { conversationId: string } }>(shopper, "message:send", { clientMessageId: "b-start", text: "hello" });
  await firstAnswer;
  const open = { conversationId: first.message.conversationId };
  const agents = Array.from({ length: AGENTS }, () => io(k.url + INBOX_NAMESPACE, { transports: ["websocket"], forceNew: true, auth: { token: accessToken } }));
  await Promise.all(agents.map(connected));
  await Promise.all(agents.map((a) => ack(a, "conversation:watch", { conversationId: open.conversationId })));
  const clients = [shopper, ...agents];
  let n = 0;
  return {
    async run() {
      const done = clients.map((c) => new Promise<void>((resolve) => c.once("message:done", () => resolve())));
      const start = performance.now();
      await ack(shopper, "message:send", { conversationId: open.conversationId, clientMessageId: `b${n++}`, text: "hello" });
      await Promise.all(done);
      return (performance.now() - start) / (DELTAS * clients.length);
    },
    async close() {
      for (const c of clients) c.disconnect();
      await k.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function rawRounds(): Promise<{ run: () => Promise<number>; close: () => Promise<void> }> {
  const server = http.createServer();
  const ioServer = new Server(server);
  const nsp = ioServer.of("/raw");
  nsp.on("connection", (s) => {
    void s.join("room");
    s.on("go", (_p: unknown, cb: () => void) => {
      cb();
      let offset = 0;
      for (let i = 0; i < DELTAS; i++) {
        nsp.to("room").emit("message:delta", { conversationId: "c", messageId: "m", offset, text: WORD });
        offset += WORD.length;
      }
      nsp.to("room").emit("message:done", { message: { id: "m", text: WORD.repeat(DELTAS) } });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/raw`;
  const clients = Array.from({ length: AGENTS + 1 }, () => io(url, { transports: ["websocket"], forceNew: true }));
  await Promise.all(clients.map(connected));
  return {
    async run() {
      const done = clients.map((c) => new Promise<void>((resolve) => c.once("message:done", () => resolve())));
      const start = performance.now();
      await new Promise<void>((r) => clients[0]!.emit("go", {}, r));
      await Promise.all(done);
      return (performance.now() - start) / (DELTAS * clients.length);
    },
    async close() {
      for (const c of clients) c.disconnect();
      await new Promise((r) => ioServer.close(r));
    },
  };
}

export async function benchRealtime(rounds = 7): Promise<BenchResult[]> {
  const kaleem = await kaleemRounds();
  const raw = await rawRounds();
  try {
    await kaleem.run();
    await raw.run();
    const ms = await compare(rounds, kaleem.run, raw.run);
    return [
      result(
        `Streamed answer, ${DELTAS} deltas to 1 shopper + ${AGENTS} agents`,
        "deltas delivered",
        { candidate: "Kaleem (store + stream record + rooms)", baseline: "raw Socket.IO room emit" },
        ms,
      ),
    ];
  } finally {
    await kaleem.close();
    await raw.close();
  }
}
