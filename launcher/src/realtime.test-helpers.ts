// Helpers for the realtime tests: an embedded Kaleem on port 0, real socket.io clients, and a
// scripted bot engine whose answers the tests know in advance.
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import {
  INBOX_NAMESPACE,
  WIDGET_NAMESPACE,
  asMerchantId,
  createLogger,
  hashPassword,
  loadConfig,
  type Ack,
  type BotEngine,
  type BotEvent,
  type ConversationOpenResult,
  type Env,
  type Locale,
  type Message,
  type MessageDelta,
  type Store,
} from "@kaleem/shared";
import { startKaleem, type KaleemInstance, type StartOptions } from "./runtime.js";

export const SHOP_ORIGIN = "https://shop.example";

/** Answers: "slow ..." streams until stopped; "handoff ..." asks for a human; anything else a short answer. */
export class ScriptedBot implements BotEngine {
  static readonly ANSWER = ["Here ", "are ", "our ", "black ", "abayas."];
  calls = 0;
  async *reply(input: Parameters<BotEngine["reply"]>[0], signal: AbortSignal): AsyncIterable<BotEvent> {
    this.calls += 1;
    const last = [...input.history].reverse().find((m) => m.role === "shopper");
    const text = last?.text ?? "";
    yield { type: "intent", intent: "product_search", confidence: 0.9 };
    if (text.startsWith("slow")) {
      for (let i = 0; i < 100_000 && !signal.aborted; i++) {
        yield { type: "delta", text: `w${i} ` };
        await new Promise((r) => setTimeout(r, 5));
      }
      return;
    }
    if (text.startsWith("handoff")) {
      yield { type: "delta", text: "Connecting you " };
      yield { type: "delta", text: "to a person." };
      yield { type: "handoff", reason: "asked" };
      return;
    }
    for (const piece of ScriptedBot.ANSWER) {
      if (signal.aborted) return;
      yield { type: "delta", text: piece };
      await new Promise((r) => setTimeout(r, 2));
    }
    yield {
      type: "part",
      part: { type: "product_card", productId: "p1", name: "Black abaya", price: 250, currency: "SAR", imageUrl: null, url: null, inStock: true },
    };
  }
}

export const GENEROUS_WIDGET_LIMITS = {
  WIDGET_CONNECTS_PER_MINUTE_PER_IP: "100000",
  WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: "100000",
  WIDGET_MESSAGES_PER_MINUTE_PER_IP: "100000",
} as const satisfies Partial<Record<keyof Env, string>>;

export interface TestKaleem {
  k: KaleemInstance;
  dataDir: string;
  /** Everything the instance logged so far (debug and up), one JSON line each. */
  logs(): string;
  close(): Promise<void>;
}

// Log redaction is tested on every run: each instance logs at debug into memory, and when it
// closes, no line may hold a value registered here — the passwords, emails and tokens the helpers
// create, and the provider secrets and contact details tests register with mustNotBeLogged().
const neverLogged = new Set<string>();
export function mustNotBeLogged(...values: string[]): void {
  for (const v of values) if (v.length >= 6) neverLogged.add(v);
}
let scannedLines = 0;
/** How many log lines the redaction scan has read in this test file (SECURITY.md reports it). */
export const logLinesScanned = (): number => scannedLines;

export function assertNothingSensitiveLogged(text: string): void {
  scannedLines += text.length === 0 ? 0 : text.trimEnd().split("\n").length;
  for (const value of neverLogged) {
    if (text.includes(value)) {
      const line = text.split("\n").find((l) => l.includes(value)) ?? "";
      throw new Error(`a log line holds a sensitive value (${value.slice(0, 3)}…): ${line.slice(0, 300)}`);
    }
  }
}

export async function startTestKaleem(
  options: { bot?: BotEngine; env?: Partial<Record<keyof Env, string>>; seedDemo?: boolean; start?: Pick<StartOptions, "s3TestServerWithoutAccessControl"> } = {},
): Promise<TestKaleem> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-rt-"));
  const config = loadConfig(
    {},
    {
      KALEEM_DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      KALEEM_SEED_DEMO: options.seedDemo ? "true" : "false",
      BOT_STREAM_DELAY_MS: "5",
      // Every test client comes from 127.0.0.1: the per-address widget budgets would be spent by a
      // file's tests together. The tests of those limits set them (hardening.flood.test.ts).
      ...GENEROUS_WIDGET_LIMITS,
      // The engine on the main thread, where a test's store patches and counters see it; the
      // engine threads have tests of their own (engine-pool.test.ts, realtime.bot.test.ts).
      BOT_ENGINE_THREADS: "0",
      ...options.env,
    },
  );
  const lines: string[] = [];
  const logger = createLogger({
    level: "debug",
    name: "kaleem-test",
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  const k = await startKaleem(config, { ...options.start, ...(options.bot ? { bot: options.bot } : {}), printCredentials: false, logger });
  return {
    k,
    dataDir,
    logs: () => lines.join(""),
    async close() {
      try {
        await k.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      assertNothingSensitiveLogged(lines.join(""));
    },
  };
}

export interface TestMerchant {
  merchantId: string;
  widgetKey: string;
  email: string;
  password: string;
  ownerId: string;
}

let counter = 0;
export async function createMerchant(
  k: KaleemInstance,
  widget: { allowedOrigins?: string[]; allowApps?: boolean } = {},
): Promise<TestMerchant> {
  counter += 1;
  const email = `owner${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = "correct horse battery staple";
  mustNotBeLogged(password);
  const { merchant, owner } = await k.store.createMerchant(
    { name: `Shop ${counter}`, widget: { allowedOrigins: widget.allowedOrigins ?? [SHOP_ORIGIN], allowApps: widget.allowApps ?? false } },
    { email, name: `Owner ${counter}`, role: "owner", passwordHash: await hashPassword(password) },
  );
  mustNotBeLogged(email);
  return { merchantId: merchant.id, widgetKey: merchant.widget.key, email, password, ownerId: owner.id };
}

export async function addAgent(k: KaleemInstance, merchantId: string, name: string): Promise<{ email: string; password: string; id: string }> {
  const email = `${name.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = "another long password";
  mustNotBeLogged(email, password);
  const user = await k.store.forMerchant(asMerchantId(merchantId)).users.create({ email, name, role: "agent", passwordHash: await hashPassword(password) });
  return { email, password, id: user.id };
}

export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const { accessToken, refreshToken } = (await res.json()) as { accessToken: string; refreshToken?: string };
  mustNotBeLogged(accessToken, ...(refreshToken ? [refreshToken] : []));
  return accessToken;
}

const opened: Socket[] = [];
export function closeAllClients(): void {
  for (const s of opened.splice(0)) s.disconnect();
}

/**
 * Client options that make socket.io-client in Node connect from `address`: the websocket transport
 * hands `localAddress` to ws, long-polling goes through the agent. Neither is in the browser-side
 * option types (they are Node-only), hence the cast.
 */
function fromAddress(address: string): Partial<ManagerOptions & SocketOptions> {
  return { localAddress: address, agent: new http.Agent({ localAddress: address }) } as unknown as Partial<ManagerOptions & SocketOptions>;
}

export function widgetClient(
  url: string,
  widgetKey: string,
  options: {
    origin?: string | null;
    visitorToken?: string;
    transports?: string[];
    query?: boolean;
    auth?: Record<string, unknown>;
    /** A loopback source address (127.0.0.x) to connect from, as another client on the network would. */
    from?: string;
    /** More socket.io-client options (a query, TLS trust for a proxy in front). */
    io?: Partial<ManagerOptions & SocketOptions>;
  } = {},
): Socket {
  const origin = options.origin === undefined ? SHOP_ORIGIN : options.origin;
  const socket = io(url + WIDGET_NAMESPACE, {
    forceNew: true,
    reconnection: false,
    transports: options.transports ?? ["websocket"],
    ...(options.from ? fromAddress(options.from) : {}),
    ...options.io,
    ...(options.query === false ? {} : { query: { ...(options.io?.query as Record<string, string> | undefined), widgetKey } }),
    auth: { widgetKey, ...(options.visitorToken ? { visitorToken: options.visitorToken } : {}), ...options.auth },
    ...(origin ? { extraHeaders: { Origin: origin } } : {}),
  });
  opened.push(socket);
  return socket;
}

export function inboxClient(
  url: string,
  token: string,
  options: { origin?: string | null; transports?: string[]; auth?: Record<string, unknown>; io?: Partial<ManagerOptions & SocketOptions> } = {},
): Socket {
  const socket = io(url + INBOX_NAMESPACE, {
    forceNew: true,
    reconnection: false,
    transports: options.transports ?? ["websocket"],
    ...options.io,
    auth: { token, ...options.auth },
    ...(options.origin ? { extraHeaders: { Origin: options.origin } } : {}),
  });
  opened.push(socket);
  return socket;
}

/** The visitor id a visitor token carries (tokens are signed, not encrypted). */
export function visitorIdOf(visitorToken: string): string {
  const body = visitorToken.split(".")[0] ?? "";
  return (JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { vid: string }).vid;
}

export type OpenedConversation = ConversationOpenResult & { conversationId: string };

/**
 * Opens the widget on `socket` with the visitor's conversation in place. Opening alone creates none
 * (the first message does); tests that act on a conversation before the shopper writes start it as
 * that first message would, then open again so the socket joins it like any returning shopper's.
 */
export async function openConversation(
  store: Store,
  socket: Socket,
  merchantId: string,
  payload: { locale?: Locale; pageUrl?: string } = {},
): Promise<OpenedConversation> {
  const first = await ok<ConversationOpenResult>(socket, "conversation:open", payload);
  if (first.conversationId !== null) return first as OpenedConversation;
  await store.forMerchant(asMerchantId(merchantId)).conversations.findOrCreateOpenByVisitor(visitorIdOf(first.visitorToken), {
    channel: "webchat",
    locale: payload.locale ?? null,
    status: "bot",
  });
  const again = await ok<ConversationOpenResult>(socket, "conversation:open", payload);
  if (again.conversationId === null) throw new Error("the conversation did not open");
  return again as OpenedConversation;
}

export function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once("connect", () => resolve());
    socket.once("connect_error", (err) => reject(err));
  });
}

export function connectError(socket: Socket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("connected but should have been refused")));
    socket.once("connect_error", (err) => resolve(err));
  });
}

/** What a refused handshake says (`err.data` of connect_error): its code and, for rate limits, when to retry. */
export interface Refusal {
  code?: string;
  retryAfterSeconds?: number;
}
export const refusalOf = (err: Error): Refusal => (err as Error & { data?: Refusal }).data ?? {};
/** The refusal of a connection that must be refused. */
export const refusedWith = async (socket: Socket): Promise<Refusal> => refusalOf(await connectError(socket));

export async function call<T = unknown>(socket: Socket, event: string, payload?: unknown): Promise<Ack<T>> {
  return (await socket.timeout(10_000).emitWithAck(event, payload)) as Ack<T>;
}

export async function ok<T = unknown>(socket: Socket, event: string, payload?: unknown): Promise<T> {
  const ack = await call<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

export function nextEvent<T>(socket: Socket, event: string, filter: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`timed out waiting for ${event}`));
    }, 20_000);
    const on = (payload: T) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      socket.off(event, on);
      resolve(payload);
    };
    socket.on(event, on);
  });
}

export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * What a client library does with one streaming answer: applies deltas by offset, keeps
 * partials from resume, and records every gap or overlap it had to repair.
 */
export class StreamAssembler {
  text = "";
  deltas = 0;
  /** Deltas whose offset was past the text we had (must never happen). */
  gaps = 0;
  /** Deltas that overlapped text we had (dropped; harmless). */
  overlaps = 0;
  done: Message | null = null;
  constructor(readonly messageId: string) {}
  delta(d: MessageDelta): void {
    if (d.messageId !== this.messageId || this.done) return;
    this.deltas += 1;
    if (d.offset > this.text.length) {
      this.gaps += 1;
      return;
    }
    if (d.offset + d.text.length <= this.text.length) {
      this.overlaps += 1;
      return;
    }
    this.text += d.text.slice(this.text.length - d.offset);
  }
  partial(text: string): void {
    if (text.length > this.text.length && text.startsWith(this.text)) this.text = text;
  }
  finish(message: Message): void {
    if (message.id === this.messageId) this.done = message;
  }
}

/** Records every message:delta / message:new / message:done a socket receives. */
export class Recorder {
  deltas: MessageDelta[] = [];
  news: Message[] = [];
  dones: Message[] = [];
  events: Array<{ event: string; payload: unknown }> = [];
  constructor(socket: Socket) {
    socket.on("message:delta", (d: MessageDelta) => this.deltas.push(d));
    socket.on("message:new", (p: { message: Message }) => this.news.push(p.message));
    socket.on("message:done", (p: { message: Message }) => this.dones.push(p.message));
    socket.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }
  deltasOf(messageId: string): MessageDelta[] {
    return this.deltas.filter((d) => d.messageId === messageId);
  }
  doneOf(pred: (m: Message) => boolean): Message | undefined {
    return this.dones.find(pred);
  }
}
