// Runs scripted shopper dialogues against the real product: an embedded Kaleem on a free port, a
// fresh store whose catalog and policies arrive through the REST API, and for every dialogue a
// fresh visitor on the /widget namespace who types (or taps) each turn and waits for the
// streamed answer. Each turn is checked against its expectations; every number in every answer
// must come from the store's data, the shopper's own words, or a cart the bot showed (checked
// against the catalog) — anything else is an invented number.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import {
  WIDGET_NAMESPACE,
  hashPassword,
  loadConfig,
  toWesternDigits,
  type Message,
  type MessagePart,
} from "@kaleem/shared";
import { extractNumbers } from "@kaleem/workers";
import { startKaleem, type KaleemInstance } from "../runtime.js";
import type { Dialogue, DialogueTurn, PoliciesFile, TurnExpect } from "./dialogue-files.js";

export interface DialogueEvalInput {
  catalog: { products: Array<Record<string, unknown>> };
  policies: PoliciesFile;
  dialogues: Dialogue[];
  /** How long to wait for an answer before counting the turn as unanswered (ms). */
  answerTimeoutMs?: number;
  /** After a handoff the bot may stay silent: how long to wait before concluding it did (ms). */
  quietMs?: number;
  out?: (line: string) => void;
  verbose?: boolean;
}

export interface TurnOutcome {
  say: string;
  answer: string;
  ok: boolean;
  problems: string[];
  invented: number[];
}
export interface DialogueOutcome {
  id: string;
  lang: string;
  ok: boolean;
  turns: TurnOutcome[];
}
export interface DialogueEvalResult {
  dialogues: DialogueOutcome[];
  dialogueSuccess: number;
  turnSuccess: number;
  inventedNumbers: number;
  lastLine: string;
}

const ORIGIN = "https://dialogues.eval.invalid";
const fmt = (x: number) => x.toFixed(4);
const round = (n: number) => (Math.round(n * 100) / 100).toFixed(2);

/** Numbers in a text, Arabic-Indic digits included; "2–4" gives 2 and 4 (the LLM guard reads them the same way). */
export const numbersIn = extractNumbers;

function numbersOf(value: unknown, into: Set<string>): void {
  if (typeof value === "number") into.add(round(value));
  else if (typeof value === "string") for (const n of numbersIn(value)) into.add(round(n));
  else if (Array.isArray(value)) for (const v of value) numbersOf(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) numbersOf(v, into);
}

/** Every sum of a subset of `fees` added to `base` (delivery, cash-on-delivery...). */
function withFees(base: number, fees: number[], into: Set<string>): void {
  const n = Math.min(fees.length, 8);
  for (let mask = 0; mask < 1 << n; mask++) {
    let sum = base;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) sum += fees[i] ?? 0;
    into.add(round(sum));
  }
}

const fold = (s: string) => toWesternDigits(s).toLowerCase().normalize("NFKC").replace(/[\u064B-\u0652\u0640]/g, "");

interface Answer {
  text: string;
  parts: MessagePart[];
  handoff: boolean;
  answered: boolean;
  intent: string | null;
}

function check(expect: TurnExpect, answer: Answer, cardsExt: string[]): string[] {
  const problems: string[] = [];
  const text = fold(answer.text);
  if (expect.answered !== undefined && expect.answered !== answer.answered) problems.push(expect.answered ? "no answer" : "answered while it should stay silent");
  if (expect.intent !== undefined) {
    const allowed = Array.isArray(expect.intent) ? expect.intent : [expect.intent];
    if (!allowed.includes(answer.intent ?? "")) problems.push(`intent ${answer.intent ?? "none"} not in ${allowed.join("|")}`);
  }
  if (expect.text) {
    for (const p of expect.text.all ?? []) if (!text.includes(fold(p))) problems.push(`text lacks "${p}"`);
    if (expect.text.any && !expect.text.any.some((p) => text.includes(fold(p)))) problems.push(`text has none of ${JSON.stringify(expect.text.any)}`);
    for (const p of expect.text.none ?? []) if (text.includes(fold(p))) problems.push(`text has "${p}"`);
    if (expect.text.startsWith) {
      const first = text.trimStart();
      if (!expect.text.startsWith.some((p) => first.startsWith(fold(p)))) problems.push(`text does not start with ${JSON.stringify(expect.text.startsWith)}`);
    }
  }
  if (expect.cards) {
    const c = expect.cards;
    if (c.empty === true && cardsExt.length > 0) problems.push(`cards shown: ${cardsExt.join(",")}`);
    if (c.empty === false && cardsExt.length === 0) problems.push("no cards");
    if (c.any && !c.any.some((id) => cardsExt.includes(id))) problems.push(`cards ${cardsExt.join(",") || "(none)"} have none of ${c.any.join(",")}`);
    if (c.top && !c.top.includes(cardsExt[0] ?? "")) problems.push(`top card ${cardsExt[0] ?? "(none)"} not in ${c.top.join(",")}`);
    for (const id of c.none ?? []) if (cardsExt.includes(id)) problems.push(`card ${id} shown`);
  }
  if (expect.handoff !== undefined && expect.handoff !== answer.handoff) problems.push(expect.handoff ? "no handoff" : "handed off");
  const hasOrder = answer.parts.some((p) => p.type === "order");
  if (expect.order !== undefined && expect.order !== hasOrder) problems.push(expect.order ? "no order placed" : "an order was shown");
  if (expect.cartTotal !== undefined) {
    const cart = answer.parts.find((p) => p.type === "cart");
    if (!cart || cart.type !== "cart" || round(cart.total) !== round(expect.cartTotal)) problems.push(`cart total ${cart && cart.type === "cart" ? cart.total : "(none)"} is not ${expect.cartTotal}`);
  }
  return problems;
}

async function api(base: string, token: string | null, method: string, url: string, body?: unknown): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (res.status === 429 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? "1")));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url} failed: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }
}

class Visitor {
  readonly done: Message[] = [];
  readonly news: Message[] = [];
  status = "bot";
  /** Null until the first turn: opening the widget creates no conversation. */
  conversationId: string | null = null;
  private constructor(readonly socket: Socket) {
    socket.on("message:done", (p: { message: Message }) => this.done.push(p.message));
    socket.on("message:new", (p: { message: Message }) => this.news.push(p.message));
    socket.on("conversation:updated", (p: { status?: string }) => {
      if (typeof p.status === "string") this.status = p.status;
    });
  }

  static async connect(url: string, widgetKey: string, locale: "en" | "ar" | undefined): Promise<Visitor> {
    const socket = io(url + WIDGET_NAMESPACE, {
      forceNew: true,
      reconnection: false,
      transports: ["websocket"],
      auth: { widgetKey },
      query: { widgetKey },
      extraHeaders: { Origin: ORIGIN },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", (err) => reject(err));
    });
    const v = new Visitor(socket);
    const open = await v.call<{ conversationId: string | null; status: string }>("conversation:open", locale ? { locale } : {});
    v.conversationId = open.conversationId;
    v.status = open.status;
    return v;
  }

  async call<T>(event: string, payload: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const ack = (await this.socket.timeout(15_000).emitWithAck(event, payload)) as
        | { ok: true; data: T }
        | { ok: false; error: { code: string; message: string; retryAfterSeconds?: number } };
      if (ack.ok) return ack.data;
      if (ack.error.code === "rate_limited" && attempt < 5) {
        await new Promise((r) => setTimeout(r, 1000 * (ack.error.retryAfterSeconds ?? 1)));
        continue;
      }
      throw new Error(`${event} failed: ${ack.error.code} ${ack.error.message}`);
    }
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** The payload a "tap" turn sends: the first quick reply (or card add) of the last answer. */
function tapPayload(prefix: string, last: Answer | null): string | null {
  if (!last) return null;
  for (const p of last.parts) {
    if (p.type === "quick_replies") for (const r of p.replies) if (r.payload.startsWith(prefix)) return r.payload;
  }
  for (const p of last.parts) if (p.type === "product_card" && `add:${p.productId}`.startsWith(prefix)) return `add:${p.productId}`;
  return null;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
}

async function runTurn(v: Visitor, turn: DialogueTurn, index: number, last: Answer | null, timeoutMs: number, quietMs: number): Promise<{ text: string; answer: Answer }> {
  const text = turn.say ?? tapPayload(turn.tap ?? "", last);
  if (text === null) {
    return { text: `(tap ${turn.tap})`, answer: { text: "", parts: [], handoff: false, answered: false, intent: null } };
  }
  const doneBefore = v.done.length;
  const newsBefore = v.news.length;
  const statusBefore = v.status;
  const sent = await v.call<{ message: Message }>("message:send", { conversationId: v.conversationId, clientMessageId: `turn-${index}-${Date.now()}`, text });
  v.conversationId = sent.message.conversationId;
  const isAnswer = (m: Message) => m.role === "bot" && m.seq > sent.message.seq;
  // A conversation waiting for a person may get no bot answer at all: wait less for it.
  const waiting = statusBefore !== "bot";
  const answered = await waitFor(() => v.done.slice(doneBefore).some(isAnswer), waiting ? quietMs : timeoutMs);
  // System lines (handoff notices) follow the answer closely.
  await new Promise((r) => setTimeout(r, 60));
  const bot = v.done.slice(doneBefore).filter(isAnswer);
  const system = v.news.slice(newsBefore).filter((m) => m.role === "system" && m.seq > sent.message.seq);
  const parts = bot.flatMap((m) => m.parts);
  const handoff = v.status !== "bot" && statusBefore === "bot";
  return {
    text,
    answer: {
      text: [...bot.map((m) => m.text), ...system.map((m) => m.text)].join("\n"),
      parts,
      handoff: handoff || parts.some((p) => p.type === "handoff"),
      answered,
      intent: sent.message.intent ?? null,
    },
  };
}

export async function runDialogueEval(input: DialogueEvalInput): Promise<DialogueEvalResult> {
  const out = input.out ?? ((line: string) => console.log(line));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-dialogues-"));
  let k: KaleemInstance | null = null;
  try {
    // Every dialogue is a new visitor from 127.0.0.1: the per-address widget budgets are not what is measured.
    const config = loadConfig({}, {
      KALEEM_DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      KALEEM_SEED_DEMO: "false",
      BOT_STREAM_DELAY_MS: "0",
      WIDGET_CONNECTS_PER_MINUTE_PER_IP: "100000",
      WIDGET_CONVERSATIONS_PER_MINUTE_PER_IP: "100000",
      WIDGET_MESSAGES_PER_MINUTE_PER_IP: "100000",
    });
    k = await startKaleem(config, { printCredentials: false });
    const password = "dialogue evaluation password";
    const email = `dialogues-${Date.now()}@example.invalid`;
    const { merchant } = await k.store.createMerchant(
      { name: "Dialogue evaluation store", currency: "SAR", widget: { allowedOrigins: [ORIGIN], allowApps: false } },
      { email, name: "Evaluator", role: "owner", passwordHash: await hashPassword(password) },
    );
    const { accessToken } = (await api(k.url, null, "POST", "/auth/login", { email, password })) as { accessToken: string };
    const imported = (await api(k.url, accessToken, "POST", "/products/import", { products: input.catalog.products })) as { failed: number; errors: unknown[] };
    if (imported.failed > 0) throw new Error(`catalog import refused ${imported.failed} rows: ${JSON.stringify(imported.errors.slice(0, 3))}`);
    for (const item of input.policies.knowledge) await api(k.url, accessToken, "POST", "/knowledge", item);
    if (input.policies.bot) await api(k.url, accessToken, "PATCH", "/settings/bot", input.policies.bot);

    // What the store itself says: any figure from here may appear in an answer.
    const storeNumbers = new Set<string>();
    numbersOf(input.catalog.products, storeNumbers);
    numbersOf(input.policies.knowledge, storeNumbers);
    const prices = new Map<string, number>();
    const extOf = new Map<string, string>();
    for (const p of await allProducts(k.url, accessToken)) {
      prices.set(p.id, p.price);
      if (p.externalId) extOf.set(p.id, p.externalId);
    }
    const fees: number[] = [];
    for (const item of input.policies.knowledge) {
      if (item.data.kind === "shipping") for (const z of item.data.policy.zones) if (z.fee > 0) fees.push(z.fee);
      if (item.data.kind === "payment") for (const m of item.data.policy.methods) if ((m.fee ?? 0) > 0) fees.push(m.fee ?? 0);
    }
    const distinctFees = [...new Set(fees)];

    const outcomes: DialogueOutcome[] = [];
    for (const dialogue of input.dialogues) {
      const visitor = await Visitor.connect(k.url, merchant.widget.key, dialogue.locale);
      const allowed = new Set(storeNumbers);
      const turns: TurnOutcome[] = [];
      let last: Answer | null = null;
      try {
        for (const [i, turn] of dialogue.turns.entries()) {
          const { text, answer } = await runTurn(visitor, turn, i, last, input.answerTimeoutMs ?? 20_000, input.quietMs ?? 2500);
          numbersOf(text, allowed);
          // A cart or order the bot showed is checked against the catalog; its totals may be quoted.
          for (const part of answer.parts) {
            if (part.type === "cart" || part.type === "order") {
              const items = part.type === "cart" ? part.items : [];
              const consistent = items.every((it) => prices.get(it.productId) === it.price);
              if (consistent) {
                const sum = items.reduce((s, it) => s + it.price * it.quantity, 0);
                for (const it of items) {
                  allowed.add(round(it.price * it.quantity));
                  allowed.add(round(it.quantity));
                }
                withFees(part.type === "cart" ? sum : part.total, distinctFees, allowed);
                withFees(part.total, distinctFees, allowed);
              }
              if (part.type === "order") allowed.add(round(Number(part.number)));
            }
          }
          allowed.add(round(1));
          const invented = numbersIn(answer.text).filter((n) => !allowed.has(round(n)));
          const cardsExt = answer.parts.flatMap((p) => (p.type === "product_card" ? [extOf.get(p.productId) ?? p.productId] : []));
          const problems = [...check(turn.expect, answer, cardsExt), ...invented.map((n) => `invented number ${n}`)];
          turns.push({ say: text, answer: answer.text, ok: problems.length === 0, problems, invented });
          if (answer.answered) last = answer;
        }
      } finally {
        visitor.close();
      }
      const ok = turns.every((t) => t.ok);
      outcomes.push({ id: dialogue.id, lang: dialogue.lang, ok, turns });
      if (input.verbose || !ok) {
        out(`${ok ? " " : "!"} ${dialogue.id} [${dialogue.lang}]`);
        for (const t of turns) {
          if (!input.verbose && t.ok) continue;
          out(`    ${t.ok ? "ok " : "BAD"} > ${t.say}`);
          out(`        < ${t.answer.replace(/\n/g, " ⏎ ").slice(0, 400)}`);
          for (const p of t.problems) out(`        - ${p}`);
        }
      }
    }
    const langs = [...new Set(outcomes.map((o) => o.lang))].sort();
    out("lang         n  dialogue_success  turn_success");
    for (const lang of langs) {
      const ds = outcomes.filter((o) => o.lang === lang);
      const ts = ds.flatMap((d) => d.turns);
      out(`${lang.padEnd(10)} ${String(ds.length).padStart(3)}  ${fmt(ds.filter((d) => d.ok).length / ds.length)}            ${fmt(ts.filter((t) => t.ok).length / ts.length)}`);
    }
    const allTurns = outcomes.flatMap((o) => o.turns);
    const dialogueSuccess = outcomes.filter((o) => o.ok).length / Math.max(1, outcomes.length);
    const turnSuccess = allTurns.filter((t) => t.ok).length / Math.max(1, allTurns.length);
    const inventedNumbers = allTurns.reduce((s, t) => s + t.invented.length, 0);
    const lastLine = `dialogue_success=${fmt(dialogueSuccess)} turn_success=${fmt(turnSuccess)} invented_numbers=${inventedNumbers} n=${outcomes.length}`;
    out(lastLine);
    return { dialogues: outcomes, dialogueSuccess, turnSuccess, inventedNumbers, lastLine };
  } finally {
    try {
      await k?.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}

async function allProducts(base: string, token: string): Promise<Array<{ id: string; price: number; externalId: string | null }>> {
  const all: Array<{ id: string; price: number; externalId: string | null }> = [];
  let cursor: string | null = null;
  do {
    const page = (await api(base, token, "GET", `/products?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)) as {
      items: Array<{ id: string; price: number; externalId: string | null }>;
      nextCursor: string | null;
    };
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}
