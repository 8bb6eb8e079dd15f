// Row 6 of issue #16's end-to-end table: provider webhook ingest. Telegram updates and WhatsApp
// messages, signed as the providers sign them, POSTed to the embedded product (verify the raw
// bytes, store the event, queue its job, answer 200) and to a bare node:http handler that parses
// the JSON and answers 200, in the same run. Afterwards the events are counted in the store: every
// 200 must have left a webhook_events row (the ingest promise: stored before the 2xx).
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fig, fmt, fork, median, profileArgs, show, type E2eOptions, type E2eRow, type Proc } from "./e2e.js";

interface IngestChannelsReady {
  telegram: { id: string };
  whatsapp: { id: string };
}

/** webhook_events rows per source, read from the server's SQLite file (the server is still up: WAL readers are fine). */
function storedEvents(dbFile: string, merchantId: string): Map<string, { total: number; received: number }> {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare("SELECT source, COUNT(*) AS total, SUM(status = 'received') AS received FROM webhook_events WHERE merchant_id = ? GROUP BY source")
      .all(merchantId) as Array<{ source: string; total: number; received: number }>;
    return new Map(rows.map((r) => [r.source, { total: r.total, received: r.received }]));
  } finally {
    db.close();
  }
}

export async function webhookIngest(o: E2eOptions): Promise<E2eRow[]> {
  const requests = o.quick ? 2_000 : 10_000;
  const warmup = o.quick ? 500 : 2_000;
  const concurrency = 10;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-ingest-"));
  const k = await fork("kaleem-server", { dataDir, ingest: true }, profileArgs());
  const b = await fork("bare-webhook", {});
  const channels = k.ready.ingest as IngestChannelsReady;
  const kl = await fork("load-webhooks", { url: k.ready.url, concurrency, channels });
  const bl = await fork("load-webhooks", { url: b.ready.url, concurrency, channels: null });
  const rate = { k: [] as number[], b: [] as number[] };
  const p50 = { k: [] as number[], b: [] as number[] };
  const p99 = { k: [] as number[], b: [] as number[] };
  const perCpu = { k: [] as number[], b: [] as number[] };
  const sent = { k: 0, b: 0 };
  const accepted = { k: 0, b: 0 };
  const refused: Record<string, number> = {};
  let stored = new Map<string, { total: number; received: number }>();
  let depth = NaN;
  let parsed = NaN;
  try {
    const pairs: Array<[Proc, Proc, "k" | "b"]> = [
      [k.proc, kl.proc, "k"],
      [b.proc, bl.proc, "b"],
    ];
    const run = async (load: Proc, key: "k" | "b", n: number) => {
      const res = await load.ask({ type: "run", requests: n }, "result");
      sent[key] += Number(res.sent);
      accepted[key] += Number(res.accepted);
      if (key === "k") for (const [status, count] of Object.entries(res.refused as Record<string, number>)) refused[status] = (refused[status] ?? 0) + count;
      return res;
    };
    // One unmeasured, smaller repetition each first (JIT, prepared statements); its events count in the total.
    for (const [, load, key] of pairs) await run(load, key, warmup);
    for (let r = 0; r < o.reps; r++) {
      for (const [server, load, key] of pairs) {
        const before = await server.cpuMs();
        const res = await run(load, key, requests);
        const cpu = (await server.cpuMs()) - before;
        rate[key].push(requests / (Number(res.ms) / 1000));
        p50[key].push(Number(res.p50));
        p99[key].push(Number(res.p99));
        perCpu[key].push(requests / (cpu / 1000));
      }
    }
    depth = Number((await k.proc.ask({ type: "depth" }, "depth")).depth);
    parsed = Number((await b.proc.report()).parsed);
    stored = storedEvents(String(k.ready.dbFile), String(k.ready.merchantId));
  } finally {
    for (const p of [kl, bl, b, k]) p.proc.stop();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const tg = stored.get(`channel:${channels.telegram.id}`) ?? { total: 0, received: 0 };
  const wa = stored.get(`channel:${channels.whatsapp.id}`) ?? { total: 0, received: 0 };
  const total = tg.total + wa.total;
  const lost = accepted.k - total;
  const refusedText = Object.keys(refused).length === 0 ? "" : `; refused: ${Object.entries(refused).map(([s, n]) => `${n} × HTTP ${s}`).join(", ")}`;
  return [
    {
      n: 6,
      measure:
        `Webhook ingest: ${requests.toLocaleString("en-US")} POSTs per repetition, half Telegram updates (X-Telegram-Bot-Api-Secret-Token), half WhatsApp messages (X-Hub-Signature-256 over the raw body), ` +
        `each a distinct event, ${concurrency} keep-alive connections; Kaleem verifies, stores (webhook_events) and queues a channel-inbound job before its 200. ` +
        `The workers' channel-inbound processor is held in the bench server, so the jobs stay queued (processing — customer, conversation, bot answer, provider send — is not in these figures); ` +
        `WEBHOOK_RATE_LIMIT_PER_MINUTE lifted (one source address)`,
      kaleem:
        `${show(fig(rate.k), "req/s")}, p50 ${show(fig(p50.k), "ms", 1)}, p99 ${show(fig(p99.k), "ms", 1)}, ${show(fig(perCpu.k), "req/server CPU-s")}; ` +
        `${fmt(accepted.k)} of ${fmt(sent.k)} answered 200 (warm-up included), ${fmt(total)} stored (${fmt(tg.total)} Telegram, ${fmt(wa.total)} WhatsApp), lost: ${fmt(lost)}; ` +
        `${fmt(depth)} channel-inbound jobs queued after${refusedText}`,
      baseline: `node:http reading the body, JSON.parse, 200: ${show(fig(rate.b), "req/s")}, p50 ${show(fig(p50.b), "ms", 1)}, p99 ${show(fig(p99.b), "ms", 1)}, ${show(fig(perCpu.b), "req/server CPU-s")}; ${fmt(parsed)} of ${fmt(sent.b)} parsed`,
      ratio: `${(median(rate.k) / median(rate.b)).toFixed(2)}x req/s, ${(median(perCpu.k) / median(perCpu.b)).toFixed(2)}x per CPU-s`,
      target: "≥ 3,000 req/s, p99 ≤ 25 ms, lost: 0",
    },
  ];
}
