// The outbox relay: what writes recorded in the outbox (in the same transaction as the change) is
// turned into its job. Rows are claimed with a lease across all tenants, so several workers
// processes relay side by side and a relay that dies mid-batch leaves its rows to the others when
// the lease runs out. Queueing is idempotent (job id = outbox id): a row relayed twice runs once.
//
// The same loop sweeps webhook events (channel and commerce) that were stored but never processed (their process died
// between the 2xx and the job), so a stored event is always processed eventually.
import {
  CATALOG_INDEX_JOB,
  CATALOG_INDEX_JOB_OPTIONS,
  catalogIndexJobId,
  CHANNEL_DELIVER_JOB,
  channelDeliverJobId,
  inboundJobFor,
  INBOUND_JOB_OPTIONS,
  newId,
  WEBHOOK_DISPATCH_JOB,
  webhookDispatchJobId,
  outboxTopicSchemas,
  type JobQueue,
  type Logger,
  type OutboxEventRecord,
  type SystemStore,
} from "@kaleem/shared";
import { DELIVERY_ATTEMPTS } from "./channel-deliver.js";

export interface OutboxRelayOptions {
  system: SystemStore;
  queue: JobQueue;
  logger?: Logger;
  /** How often the relay looks for rows (embedded: a quarter second keeps channel replies prompt). */
  intervalMs?: number;
  leaseMs?: number;
  batch?: number;
  /** Stored webhook events older than this and still unprocessed are queued again. */
  staleAfterMs?: number;
  sweepEveryMs?: number;
}

export interface OutboxRelay {
  /** One pass now (tests, and writers that want their row out without waiting for the tick). */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const owner = `relay-${newId()}`;
  const intervalMs = options.intervalMs ?? 250;
  const leaseMs = options.leaseMs ?? 30_000;
  const batch = options.batch ?? 100;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const sweepEveryMs = options.sweepEveryMs ?? 30_000;
  let lastSweep = 0;
  let running: Promise<number> | null = null;
  let stopped = false;

  const publish = async (row: OutboxEventRecord): Promise<void> => {
    if (row.topic === "channel.deliver") {
      const payload = outboxTopicSchemas["channel.deliver"].parse(row.payload);
      await options.queue.add(
        CHANNEL_DELIVER_JOB,
        { ...payload, merchantId: row.merchantId, outboxId: row.id },
        { jobId: channelDeliverJobId(row.id), attempts: DELIVERY_ATTEMPTS, backoff: { type: "exponential", delayMs: 2_000 } },
      );
      return;
    }
    if (row.topic === "order.status_changed") {
      // A dashboard status move is an outgoing-webhook event too; endpoints that subscribe get it.
      const change = outboxTopicSchemas["order.status_changed"].parse(row.payload);
      await options.queue.add(
        WEBHOOK_DISPATCH_JOB,
        { eventId: row.id, type: "order.status_changed", createdAt: change.changedAt, data: change, merchantId: row.merchantId, outboxId: row.id },
        { jobId: webhookDispatchJobId(row.id), attempts: 5, backoff: { type: "exponential", delayMs: 2_000 } },
      );
      return;
    }
    if (row.topic === "webhook.event") {
      const payload = outboxTopicSchemas["webhook.event"].parse(row.payload);
      await options.queue.add(WEBHOOK_DISPATCH_JOB, { ...payload, merchantId: row.merchantId, outboxId: row.id }, { jobId: webhookDispatchJobId(row.id), attempts: 5, backoff: { type: "exponential", delayMs: 2_000 } });
      return;
    }
    if (row.topic === "catalog.changed") {
      const payload = outboxTopicSchemas["catalog.changed"].parse(row.payload);
      const job = { ...payload, merchantId: row.merchantId, outboxId: row.id };
      await options.queue.add(CATALOG_INDEX_JOB, job, { jobId: catalogIndexJobId(job), ...CATALOG_INDEX_JOB_OPTIONS });
      return;
    }
    throw new Error(`no relay for outbox topic ${row.topic}`);
  };

  const sweep = async (): Promise<void> => {
    for (const stale of await options.system.webhookEvents.listStale({ olderThanMs: staleAfterMs, limit: batch })) {
      // Channel and commerce events alike: the source says which job processes it.
      const job = inboundJobFor(stale.source, stale.merchantId, stale.id);
      await options.queue.add(job.name, job.data, { jobId: job.jobId, ...INBOUND_JOB_OPTIONS });
    }
  };

  const pass = async (): Promise<number> => {
    let published = 0;
    for (const row of await options.system.outbox.claim({ limit: batch, leaseMs, owner })) {
      try {
        await publish(row);
        await options.system.outbox.complete(row.id, owner);
        published += 1;
      } catch (err) {
        options.logger?.warn({ err, outboxId: row.id, topic: row.topic }, "outbox row not relayed; will retry");
        await options.system.outbox.release(row.id, owner, { error: err instanceof Error ? err.message : String(err), retryInMs: Math.min(60_000, 1_000 * 2 ** Math.min(row.attempts, 6)) });
      }
    }
    if (Date.now() - lastSweep >= sweepEveryMs) {
      lastSweep = Date.now();
      await sweep().catch((err: unknown) => options.logger?.warn({ err }, "stale webhook sweep failed"));
    }
    return published;
  };

  const runOnce = (): Promise<number> => {
    // One pass at a time; a call during a pass waits for it and then runs its own.
    const next = (running ?? Promise.resolve(0)).then(pass, pass);
    const tracked: Promise<number> = next.finally(() => {
      if (running === tracked) running = null;
    });
    // The caller handles `next`; this copy only tracks the pass and must not reject unhandled.
    tracked.catch(() => undefined);
    running = tracked;
    return next;
  };

  const timer = setInterval(() => {
    if (stopped || running) return;
    runOnce().catch((err: unknown) => options.logger?.warn({ err }, "outbox relay pass failed"));
  }, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
