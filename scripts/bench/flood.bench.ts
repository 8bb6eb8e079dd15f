// How long a shopper of one store waits for the bot while another store's widget is flooded
// (issue 15, item 2): 40 sockets × 12 messages from four loopback addresses, against a bot whose
// answers take about as long as a short model answer. Reported, not asserted: the test suite checks
// that the other shopper is answered at all (launcher/src/hardening.flood.test.ts), this says how
// long it takes — with the default limits and per-store fairness, and with the limits lifted and the
// flooding store allowed every bot slot, in the same run. (The in-process queue still takes stores
// round-robin in the second run; only the per-store cap and the budgets are off.)
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { hashPassword, loadConfig, WIDGET_NAMESPACE, type BotEngine, type BotEvent, type Env, type Message } from "@kaleem/shared";
import { startKaleem, type KaleemInstance } from "@kaleem/launcher";
import { latencyResult, type BenchResult } from "./harness.js";

const ORIGIN = "https://shop.example";
const FLOOD_SOCKETS = 40;
const FLOOD_MESSAGES = 12;
const ASKS = 5;
/** Each answer: five pieces 20 ms apart (~100 ms), a short answer of a hosted model. */
const PIECES = 5;
const PIECE_MS = 20;

class PacedBot implements BotEngine {
  async *reply(_input: unknown, signal: AbortSignal): AsyncIterable<BotEvent> {
    yield { type: "intent", intent: "other", confidence: 1 };
    for (let i = 0; i < PIECES && !signal.aborted; i++) {
      await new Promise((r) => setTimeout(r, PIECE_MS));
      yield { type: "delta", text: `piece ${i} ` };
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function widget(url: string, widgetKey: string, from: string): Socket {
  const options = {
    forceNew: true,
    reconnection: false,
    transports: ["websocket"],
    query: { widgetKey },
    auth: { widgetKey },
    extraHeaders: { Origin: ORIGIN },
    localAddress: from,
    agent: new http.Agent({ localAddress: from }),
  };
  return io(url + WIDGET_NAMESPACE, options as unknown as Partial<ManagerOptions & SocketOptions>);
}

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
const call = (s: Socket, event: string, payload: unknown) => s.timeout(60_000).emitWithAck(event, payload) as Promise<{ ok: boolean }>;

interface Setup {
  k: KaleemInstance;
  dataDir: string;
  flooding: string;
  other: string;
}

async function setUp(env: Partial<Record<keyof Env, string>>): Promise<Setup> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-flood-"));
  const config = loadConfig({}, { KALEEM_DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", KALEEM_SEED_DEMO: "false", ...env });
  const k = await startKaleem(config, { bot: new PacedBot(), printCredentials: false });
  const merchant = async (name: string) =>
    (
      await k.store.createMerchant(
        { name, widget: { allowedOrigins: [ORIGIN], allowApps: false } },
        { email: `${name.toLowerCase()}@bench.example`, name, role: "owner", passwordHash: await hashPassword("bench password 1") },
      )
    ).merchant.widget.key;
  return { k, dataDir, flooding: await merchant("Flooding"), other: await merchant("Other") };
}

/** The other store's shopper asks once: milliseconds from the send to the answer's last piece. */
async function ask(shopper: Socket, n: number): Promise<number> {
  const done = new Promise<void>((resolve) => {
    const on = (p: { message: Message }) => {
      if (p.message.role !== "bot") return;
      shopper.off("message:done", on);
      resolve();
    };
    shopper.on("message:done", on);
  });
  const start = performance.now();
  await call(shopper, "message:send", { clientMessageId: `ask-${n}-${Date.now()}`, text: "do you deliver to Riyadh?" });
  await done;
  return performance.now() - start;
}

/** Floods the first store from four addresses of `net` and measures the other store's asks meanwhile. */
async function measure(setup: Setup, net: string): Promise<{ idleMs: number; floodMs: number; accepted: number }> {
  const shopper = widget(setup.k.url, setup.other, `${net}.100`);
  await connected(shopper);
  await call(shopper, "conversation:open", {});
  const idle: number[] = [];
  for (let i = 0; i < ASKS; i++) idle.push(await ask(shopper, i));

  const flooders = await Promise.all(
    Array.from({ length: FLOOD_SOCKETS }, async (_, i) => {
      const s = widget(setup.k.url, setup.flooding, `${net}.${1 + (i % 4)}`);
      await connected(s);
      await call(s, "conversation:open", {});
      return s;
    }),
  );
  const flood = Promise.all(
    flooders.flatMap((s, i) => Array.from({ length: FLOOD_MESSAGES }, (_, n) => call(s, "message:send", { clientMessageId: `f-${i}-${n}`, text: `flood ${n}` }))),
  );
  // The asks start once the flood has been sent: they queue behind what it got in.
  const acks = await flood;
  const during = [await ask(shopper, ASKS)];
  for (const s of [shopper, ...flooders]) s.disconnect();
  // The first ask after the flood is the one that meets its backlog (later ones find it drained).
  return { idleMs: median(idle), floodMs: during[0] ?? NaN, accepted: acks.filter((a) => a.ok).length };
}

async function tearDown(setup: Setup): Promise<void> {
  await setup.k.close();
  rmSync(setup.dataDir, { recursive: true, force: true });
}

export async function benchFlood(): Promise<BenchResult[]> {
  const flood = `${FLOOD_SOCKETS} sockets × ${FLOOD_MESSAGES} messages from 4 addresses`;
  const guarded = await setUp({});
  let protectedRun: Awaited<ReturnType<typeof measure>>;
  try {
    protectedRun = await measure(guarded, "127.0.2");
  } finally {
    await tearDown(guarded);
  }
  const open = await setUp({
    WIDGET_MESSAGES_PER_MINUTE_PER_IP: "100000",
    WIDGET_MESSAGES_PER_MINUTE_PER_STORE: "100000",
    BOT_MAX_CONCURRENT_PER_STORE: "8",
    BOT_MAX_PENDING_PER_STORE: "100000",
  });
  let openRun: Awaited<ReturnType<typeof measure>>;
  try {
    openRun = await measure(open, "127.0.3");
  } finally {
    await tearDown(open);
  }
  return [
    latencyResult(
      `Another store's answer while one store floods (${flood}), default limits and per-store fairness`,
      { candidate: "first ask after the flood", baseline: `no flood (median of ${ASKS})` },
      { candidateMs: protectedRun.floodMs, baselineMs: protectedRun.idleMs },
      `(${protectedRun.accepted} of ${FLOOD_SOCKETS * FLOOD_MESSAGES} flood messages accepted)`,
    ),
    latencyResult(
      `The same flood with the widget limits lifted and one store allowed every bot slot (round-robin between stores still on)`,
      { candidate: "first ask after the flood", baseline: `no flood (median of ${ASKS})` },
      { candidateMs: openRun.floodMs, baselineMs: openRun.idleMs },
      `(${openRun.accepted} of ${FLOOD_SOCKETS * FLOOD_MESSAGES} accepted)`,
    ),
  ];
}
