// Tracing end to end: a Telegram webhook (REST) queues a channel-inbound job on BullMQ in real
// Redis, the worker turns it into a conversation and the hub emits it to the inbox. With an OTLP
// endpoint configured the spans reach a local OTLP/HTTP receiver (JSON) as one trace with the
// right parents, and the log lines written inside carry its id; without one nothing is exported
// and no log line has a trace id.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotEngine } from "@kaleem/shared";
import { startRedisServer, uniquePrefix, type RedisServer } from "@kaleem/shared/testing";
import { startFakeTelegram, type FakeTelegram } from "@kaleem/workers/channels/testing";
import { createMerchant, login, startTestKaleem, until, type TestKaleem } from "./realtime.test-helpers.js";

/** Fails every answer: the worker then writes a log line inside the bot-reply job. */
const failingBot: BotEngine = {
  // eslint-disable-next-line require-yield
  async *reply() {
    throw new Error("engine down for the tracing test");
  },
};

const BOT_TOKEN = "123456789:AAEtestTokenForTheTracingFlowTelegram1";
const TG_SECRET = "tg-secret-token_for-tracing";

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  events?: Array<{ name: string; attributes?: Array<{ key: string; value: { stringValue?: string } }> }>;
  service: string;
}

/** A collector's OTLP/HTTP traces endpoint: keeps every JSON export it is sent. */
async function startOtlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; requests: () => number; close(): Promise<void> }> {
  const spans: OtlpSpan[] = [];
  let requests = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests += 1;
      if (req.method !== "POST" || req.url !== "/v1/traces" || !String(req.headers["content-type"]).includes("application/json")) {
        res.writeHead(400).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString()) as {
        resourceSpans: Array<{ resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> }; scopeSpans: Array<{ spans: Omit<OtlpSpan, "service">[] }> }>;
      };
      for (const rs of body.resourceSpans) {
        const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ ...span, service });
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, spans, requests: () => requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let redis: RedisServer;
let tg: FakeTelegram;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  redis = await startRedisServer();
  tg = await startFakeTelegram({ botToken: BOT_TOKEN });
  receiver = await startOtlpReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await tg?.close();
  await redis?.stop();
});

let updateId = 9000;
function telegramText(chatId: number, text: string): string {
  updateId += 1;
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(Date.now() / 1000), text, chat: { id: chatId, type: "private", first_name: "Salem" }, from: { id: chatId, is_bot: false, first_name: "Salem", language_code: "en" } },
  });
}

/** Starts Kaleem on BullMQ (so the job crosses Redis), connects a Telegram channel and delivers one customer message. */
async function deliverOneMessage(env: Record<string, string>): Promise<TestKaleem> {
  const t = await startTestKaleem({
    bot: failingBot,
    env: { OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true", PUBLIC_URL: "https://kaleem-tracing.example", REDIS_URL: redis.url, REDIS_PREFIX: uniquePrefix("tracing"), KALEEM_SINGLE_HOST: "true", ...env },
  });
  try {
    const shop = await createMerchant(t.k);
    const owner = await login(t.k.url, shop.email, shop.password);
    const created = await fetch(`${t.k.url}/api/v1/channels`, {
      method: "POST",
      headers: { authorization: `Bearer ${owner}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "telegram", name: "Shop bot", config: { botToken: BOT_TOKEN, secretToken: TG_SECRET, apiBaseUrl: tg.apiBaseUrl } }),
    });
    expect(created.status).toBe(201);
    const channelId = ((await created.json()) as { id: string }).id;
    const res = await fetch(`${t.k.url}/webhooks/telegram/${channelId}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": TG_SECRET },
      body: telegramText(7101, "hello, is anyone there?"),
    });
    expect(res.status).toBe(200);
    // No inbox socket is connected (one leaving would publish presence while Redis closes); the
    // hub still emits to the inbox room. Closing before the bot job ends would cut it short.
    await until(() => t.logs().includes('"bot engine failed"'), "the bot job ran");
    return t;
  } catch (err) {
    await t.close();
    throw err;
  }
}

const logLines = (t: TestKaleem): Array<Record<string, unknown>> =>
  t
    .logs()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("tracing", () => {
  it("on: the webhook request, the queued job and the worker are one trace, parents linked, the inbox emit an event on the job's span; log lines carry the trace id", async () => {
    const t = await deliverOneMessage({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: "kaleem-trace-test" });
    const lines = logLines(t);
    // Closing flushes the batch of spans to the receiver.
    await t.close();

    const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
    const job = receiver.spans.find((s) => s.name === "job channel-inbound");
    expect(job, "the worker's span for the channel-inbound job").toBeDefined();
    const producer = byId.get(job!.parentSpanId ?? "");
    expect(producer?.name).toBe("queue.add channel-inbound");
    const server = byId.get(producer!.parentSpanId ?? "");
    expect(server?.name).toBe("HTTP POST");
    expect(server?.parentSpanId ?? "").toBe("");
    // OTLP span kinds: 2 server, 4 producer, 5 consumer.
    expect([server!.kind, producer!.kind, job!.kind]).toEqual([2, 4, 5]);
    const traceId = server!.traceId;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect([producer!.traceId, job!.traceId]).toEqual([traceId, traceId]);
    expect(server!.service).toBe("kaleem-trace-test");
    // The hub emit that told the inbox about the conversation is an event on the job's span.
    const emits = (job!.events ?? []).filter((e) => e.name === "hub.emit");
    expect(emits.map((e) => e.attributes?.find((a) => a.key === "realtime.event")?.value.stringValue)).toContain("conversation:new");

    // The request's log line and the worker's lines inside the job carry the trace id.
    const inTrace = lines.filter((l) => l.traceId === traceId);
    const request = inTrace.find((l) => l.msg === "request" && String(l.url).startsWith("/webhooks/telegram/"));
    expect(request?.spanId).toBe(server!.spanId);
    // The job queued a bot reply: its span continues the same trace, and the worker's log line
    // inside it (the engine failed) carries the trace and that span.
    const botJob = receiver.spans.find((s) => s.name === "job bot-reply");
    expect(botJob?.traceId).toBe(traceId);
    expect(byId.get(botJob!.parentSpanId ?? "")?.name).toBe("queue.add bot-reply");
    expect(byId.get(byId.get(botJob!.parentSpanId ?? "")!.parentSpanId ?? "")?.spanId).toBe(job!.spanId);
    const failed = lines.find((l) => l.msg === "bot engine failed");
    expect(failed).toMatchObject({ traceId, spanId: botJob!.spanId });
  });

  it("off: no SDK starts, nothing is exported and no log line has a trace id", async () => {
    const before = receiver.requests();
    const t = await deliverOneMessage({});
    const lines = logLines(t);
    await t.close();
    expect(receiver.requests()).toBe(before);
    expect(lines.some((l) => l.msg === "request")).toBe(true);
    expect(lines.filter((l) => "traceId" in l || "spanId" in l)).toEqual([]);
  });
});
