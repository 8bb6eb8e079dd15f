// Browser-test harness: builds the dashboard, starts a real embedded Kaleem on port 0 (which serves
// dashboard/dist at /dashboard/), and drives Debian's Chromium through playwright-core.
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startKaleem, type KaleemInstance } from "@kaleem/launcher";
import { createLogger, loadConfig, type BotEngine, type BotEvent, type OutgoingEmail } from "@kaleem/shared";
import { buildOncePerRun } from "@kaleem/shared/testing";
import { Writable } from "node:stream";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { io, type Socket } from "socket.io-client";

export const dashboardDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const artifactsDir = path.resolve(dashboardDir, "..", "test-artifacts", "dashboard");

/** Deterministic answers: "slow…" streams until stopped (a take-over window); anything else is a
 * short answer in several deltas with a product card. */
export class TestBot implements BotEngine {
  static readonly ANSWER = ["We have ", "black abayas ", "in sizes ", "S to XL, ", "from 250 SAR."];
  async *reply(input: Parameters<BotEngine["reply"]>[0], signal: AbortSignal): AsyncIterable<BotEvent> {
    const last = [...input.history].reverse().find((m) => m.role === "shopper");
    const text = last?.text ?? "";
    yield { type: "intent", intent: "product_search", confidence: 0.9 };
    if (text.startsWith("slow")) {
      // Long enough to take over mid-stream, bounded so a failed test cannot hold shutdown forever.
      for (let i = 0; i < 500 && !signal.aborted; i++) {
        yield { type: "delta", text: `word${i} ` };
        await new Promise((r) => setTimeout(r, 40));
      }
      return;
    }
    for (const piece of TestBot.ANSWER) {
      if (signal.aborted) return;
      yield { type: "delta", text: piece };
      await new Promise((r) => setTimeout(r, 30));
    }
    yield {
      type: "part",
      part: { type: "product_card", productId: "p-black-abaya", name: "Black abaya", price: 250, currency: "SAR", imageUrl: null, url: null, inStock: true },
    };
  }
}

export interface Demo {
  merchantId: string;
  storeName: string;
  email: string;
  password: string;
  widgetKey: string;
}

/** Builds dashboard/dist once per test run, never while another test file builds it (see buildOncePerRun). */
export function buildDashboard(): void {
  buildOncePerRun(path.join(dashboardDir, "dist"), () => {
    const vite = path.resolve(dashboardDir, "..", "node_modules", "vite", "bin", "vite.js");
    const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: dashboardDir, encoding: "utf8" });
    if (result.status !== 0) throw new Error(`dashboard build failed:\n${result.stdout}\n${result.stderr}`);
  });
}

export async function startInstance(env: Record<string, string> = {}): Promise<{ k: KaleemInstance; demo: Demo; emails: OutgoingEmail[]; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-dash-"));
  // Private addresses allowed: the commerce platform and the webhook receiver of the tests are local servers.
  // One signed-in owner walks every page in both languages in a few minutes (about 600 API calls a
  // minute, every page load reading /me and its lists again): ten times the default per-user limit,
  // so the suite tests the pages, not the limiter (REST's own tests cover that).
  const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", KALEEM_SEED_DEMO: "true", OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", RATE_LIMIT_PER_MINUTE: "6000", ...env });
  // The embedded default mailer saves each email under <data dir>/mail and logs which file (no email
  // service): read them there, as someone running Kaleem locally would.
  const emails: OutgoingEmail[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line.includes('"file"')) continue;
        const entry = JSON.parse(line) as { kind?: OutgoingEmail["kind"]; file?: string };
        if (!entry.kind || !entry.file) continue;
        const [head = "", ...body] = readFileSync(entry.file, "utf8").split("\n\n");
        const to = /^To: (.*)$/m.exec(head)?.[1] ?? "";
        const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? "";
        emails.push({ kind: entry.kind, to, subject, text: body.join("\n\n").replace(/\n$/, "") });
      }
      done();
    },
  });
  const logger = createLogger({ level: "info", destination: sink });
  const k = await startKaleem(config, { bot: new TestBot(), printCredentials: false, seedDemo: true, logger });
  const demo = JSON.parse(readFileSync(path.join(dataDir, "demo.json"), "utf8")) as Demo;
  return {
    k,
    demo,
    emails,
    async close() {
      try {
        await k.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

export async function launchBrowser(): Promise<{ context: BrowserContext; page: Page; close: () => Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

export function ensureArtifactsDir(): void {
  mkdirSync(artifactsDir, { recursive: true });
}

const sockets: Socket[] = [];
export function closeSockets(): void {
  for (const s of sockets.splice(0)) s.disconnect();
}

/** A shopper's widget connection, sending the instance's own origin (in the demo allow-list). */
export function shopperSocket(url: string, widgetKey: string, visitorToken?: string): Socket {
  const s = io(`${url}/widget`, { forceNew: true, reconnection: false, transports: ["websocket"], auth: { widgetKey, ...(visitorToken ? { visitorToken } : {}) }, extraHeaders: { Origin: url } });
  sockets.push(s);
  return s;
}

export function agentSocket(url: string, token: string): Socket {
  const s = io(`${url}/inbox`, { forceNew: true, reconnection: false, transports: ["websocket"], auth: { token }, extraHeaders: { Origin: url } });
  sockets.push(s);
  return s;
}

export function connected(s: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (s.connected) return resolve();
    s.once("connect", () => resolve());
    s.once("connect_error", (err) => reject(err));
  });
}

export async function ok<T>(s: Socket, event: string, payload: unknown): Promise<T> {
  const ack = (await s.timeout(10_000).emitWithAck(event, payload)) as { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}

export async function api<T>(url: string, method: string, p: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}/api/v1${p}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** Resolves with the first event matching `filter`. */
export function nextEvent<T>(s: Socket, event: string, filter: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, on);
      reject(new Error(`timed out waiting for ${event}`));
    }, 20_000);
    const on = (payload: T) => {
      if (!filter(payload)) return;
      clearTimeout(timer);
      s.off(event, on);
      resolve(payload);
    };
    s.on(event, on);
  });
}

// ---- a WhatsApp customer, as Meta's webhooks bring them (signed with the app secret) ----

let wamid = 0;
/** A customer's text message as the WhatsApp Cloud API posts it. */
export function whatsAppText(phoneNumberId: string, from: string, name: string, text: string): string {
  wamid += 1;
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "966110000000", phone_number_id: phoneNumberId },
    contacts: [{ profile: { name }, wa_id: from }],
    messages: [{ from, id: `wamid.DASH${wamid}`, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
  };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "WABA-DASH", changes: [{ field: "messages", value }] }] });
}

/** A delivery callback ("delivered", "read") for a message Kaleem sent. */
export function whatsAppStatus(phoneNumberId: string, providerMessageId: string, recipient: string, status: "delivered" | "read"): string {
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "966110000000", phone_number_id: phoneNumberId },
    statuses: [{ id: providerMessageId, status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: recipient }],
  };
  return JSON.stringify({ object: "whatsapp_business_account", entry: [{ id: "WABA-DASH", changes: [{ field: "messages", value }] }] });
}

export async function postMetaWebhook(url: string, channelId: string, raw: string, appSecret: string): Promise<number> {
  const signature = `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
  const res = await fetch(`${url}/webhooks/meta/${channelId}`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body: raw });
  return res.status;
}
