// JobQueue on BullMQ (cluster mode). Failed-for-good jobs stay in BullMQ's failed set, which is
// the dead-letter list; completed ones are kept an hour so a repeated jobId is still deduped.
// A RetryAfterError moves the running job back to the delayed set with Job.moveToDelayed (which
// leaves attemptsMade alone) and tells the worker so with BullMQ's DelayedError, the documented
// way to delay a job from inside its processor.
// Fairness groups (BullMQ's own groups are a Pro feature): a job's group travels in its BullMQ job
// name; a consumer with `perGroupConcurrency` takes a lease in a Redis sorted set per group before
// running a job (renewed while it runs, so a crashed worker's slot frees itself) and, when the
// group is full, moves the job back to the delayed set like a RetryAfterError — the worker slot
// goes to the next job, whatever its group. The delay grows with the group's backlog, so a long
// backlog is re-checked less often. Each group's unfinished jobs are members of another sorted set
// (groupDepth).
import { DelayedError, Job as BullJob, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { AppJobSchemas } from "../../contracts/jobs.js";
import {
  DEAD_LETTER_LIST_LIMIT,
  DEFAULT_BACKOFF,
  DEFAULT_JOB_ATTEMPTS,
  assertKnownJob,
  inScope,
  isUnrecoverable,
  parseJobData,
  payloadMerchantId,
  retryAfterDelay,
  schemasOrDefault,
  validateJobInput,
  type DeadLetter,
  type DeadLetterScope,
  type JobData,
  type JobHandler,
  type JobInput,
  type JobName,
  type JobOptions,
  type JobQueue,
  type JobSchemas,
  type ProcessOptions,
  type SchemasOption,
} from "../../ports/queue.js";

/** A group's running slot is leased this long and renewed a third of it; a dead worker frees it after. */
const GROUP_LEASE_MS = 30_000;
/** Wait before a job of a full group looks again: grows with the group's backlog, within these bounds. */
const GROUP_RETRY_MIN_MS = 100;
const GROUP_RETRY_MAX_MS = 5_000;
/** Unfinished-job entries older than this are dropped from groupDepth (lost bookkeeping heals). */
const GROUP_PENDING_TTL_MS = 6 * 3600_000;
/** Job names of the table never contain it (they are words and dots). */
const GROUP_SEPARATOR = "#group:";

// KEYS[1] running leases of the group, KEYS[2] its unfinished jobs; ARGV job id, limit, lease ms.
// Returns {1} when the job holds a slot, {0, unfinished} when the group is full.
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) * 2)
  return {1, 0}
end
return {0, redis.call('ZCARD', KEYS[2])}
`;
const RENEW_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
return 1
`;

const bullJobName = (name: string, group: string | undefined) => (group ? `${name}${GROUP_SEPARATOR}${group}` : name);
const groupOf = (bullName: string): string | null => {
  const at = bullName.indexOf(GROUP_SEPARATOR);
  return at < 0 ? null : bullName.slice(at + GROUP_SEPARATOR.length);
};

export type BullJobQueueOptions<M extends JobSchemas = AppJobSchemas> = {
  redisUrl: string;
  /** Key prefix; unique per installation (and per test). */
  prefix: string;
  /**
   * How long a worker holds a job's lock between renewals' checks, and how often stalled jobs
   * (their worker died) are looked for: a job of a killed process runs again after about this long.
   */
  stallMs?: number;
} & SchemasOption<M>;

export class BullJobQueue<M extends JobSchemas = AppJobSchemas> implements JobQueue<M> {
  readonly schemas: M;
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private commands: Redis | null = null;
  private closed = false;

  constructor(private readonly options: BullJobQueueOptions<M>) {
    this.schemas = schemasOrDefault<M>(options);
  }

  /**
   * Workers need maxRetriesPerRequest: null so blocking commands survive reconnects. Producers
   * fail fast instead: an add() while Redis is down rejects at once (a webhook answers 503 and
   * the provider retries) rather than hanging on an offline queue until Redis returns.
   */
  private connection(kind: "producer" | "worker"): Redis {
    const c =
      kind === "worker"
        ? new Redis(this.options.redisUrl, { maxRetriesPerRequest: null })
        : new Redis(this.options.redisUrl, { maxRetriesPerRequest: null, enableOfflineQueue: false });
    this.connections.push(c);
    return c;
  }

  /**
   * One connection for the fairness bookkeeping (BullMQ's own connections block). It fails fast
   * like a producer: a send that checks its store's backlog while Redis is down is refused at once.
   */
  private redis(): Redis {
    this.commands ??= this.connection("producer");
    return this.commands;
  }

  /**
   * The bookkeeping connection once its first handshake is over. It is made on first use and has no
   * offline queue, so without this wait the first command of a fresh process (a hub's first
   * `message:send` checking its store's backlog) failed while it was still connecting. Later, a
   * Redis that is down still fails fast: a reconnecting client is not waited for.
   */
  private async ready(): Promise<Redis> {
    const c = this.redis();
    if (c.status === "wait" || c.status === "connecting" || c.status === "connect") {
      await new Promise<void>((resolve) => {
        const done = () => {
          c.off("ready", done).off("error", done).off("end", done);
          resolve();
        };
        c.once("ready", done).once("error", done).once("end", done);
      });
    }
    return c;
  }

  private groupKey(kind: "running" | "unfinished", name: string, group: string): string {
    return `${this.options.prefix}:fair:${name}:${kind}:${group}`;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection("producer"), prefix: this.options.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<N extends JobName<M>>(name: N, data: JobInput<M, N>, options: JobOptions = {}): Promise<{ id: string }> {
    if (this.closed) throw new Error("queue is closed");
    const payload = validateJobInput(this.schemas, name, data);
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    const job = await this.queue(name).add(bullJobName(name, options.group), payload, {
      ...(options.jobId ? { jobId: options.jobId } : {}),
      attempts: Math.max(1, options.attempts ?? DEFAULT_JOB_ATTEMPTS),
      backoff: { type: backoff.type, delay: backoff.delayMs },
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
    const id = job.id ?? options.jobId ?? "";
    if (options.group) await this.trackUnfinished(name, options.group, id);
    return { id };
  }

  /** Counts a group's job as unfinished unless it already finished (a jobId added again after it ran). */
  private async trackUnfinished(name: string, group: string, id: string): Promise<void> {
    const key = this.groupKey("unfinished", name, group);
    await (await this.ready()).zadd(key, "NX", Date.now(), id);
    const state = await this.queue(name).getJobState(id);
    if (state === "completed" || state === "failed") await (await this.ready()).zrem(key, id);
  }

  async groupDepth(name: JobName<M>, group: string): Promise<number> {
    const key = this.groupKey("unfinished", name, group);
    await (await this.ready()).zremrangebyscore(key, "-inf", Date.now() - GROUP_PENDING_TTL_MS);
    return (await this.ready()).zcard(key);
  }

  /** A slot for `job` in its group, or the delay after which to look again. */
  private async acquireSlot(name: string, group: string, id: string, limit: number): Promise<{ ok: true } | { ok: false; retryMs: number }> {
    const [ok, unfinished] = (await (await this.ready()).eval(ACQUIRE_SCRIPT, 2, this.groupKey("running", name, group), this.groupKey("unfinished", name, group), id, String(limit), String(GROUP_LEASE_MS))) as [number, number];
    if (ok === 1) return { ok: true };
    return { ok: false, retryMs: Math.min(GROUP_RETRY_MAX_MS, Math.max(GROUP_RETRY_MIN_MS, Math.ceil(unfinished / limit) * GROUP_RETRY_MIN_MS)) };
  }

  /** Runs `work` holding the group slot, renewing its lease, and frees the slot afterwards. */
  private async holdingSlot(name: string, group: string, id: string, work: () => Promise<void>): Promise<void> {
    const key = this.groupKey("running", name, group);
    const renew = setInterval(() => {
      this.redis().eval(RENEW_SCRIPT, 1, key, id, String(GROUP_LEASE_MS)).catch(() => undefined);
    }, GROUP_LEASE_MS / 3);
    this.timers.add(renew);
    try {
      await work();
    } finally {
      clearInterval(renew);
      this.timers.delete(renew);
      await (await this.ready()).zrem(key, id).catch(() => undefined);
    }
  }

  process<N extends JobName<M>>(name: N, handler: JobHandler<JobData<M, N>>, options: ProcessOptions = {}): void {
    assertKnownJob(this.schemas, name);
    const perGroup = options.perGroupConcurrency === undefined ? null : Math.max(1, options.perGroupConcurrency);
    const worker = new Worker(
      name,
      async (job: BullJob, token?: string) => {
        const id = job.id ?? "";
        const group = groupOf(job.name);
        const delay = async (delayMs: number, why: string | undefined): Promise<never> => {
          await job.moveToDelayed(Date.now() + Math.max(1, delayMs), token);
          throw new DelayedError(why);
        };
        const run = async () => {
          let data: JobData<M, N>;
          try {
            data = parseJobData(this.schemas, name, job.data) as JobData<M, N>;
            await handler({ id, name, data, attempt: job.attemptsMade + 1 });
          } catch (err) {
            const delayMs = retryAfterDelay(err);
            if (delayMs !== null) return delay(delayMs, err instanceof Error ? err.message : undefined);
            // Failing for good: no longer unfinished (a retried dead letter counts again).
            if (group && (isUnrecoverable(err) || job.attemptsMade + 1 >= (job.opts.attempts ?? 1))) {
              await (await this.ready()).zrem(this.groupKey("unfinished", name, group), id);
            }
            throw err;
          }
          if (group) await (await this.ready()).zrem(this.groupKey("unfinished", name, group), id);
        };
        if (!group || perGroup === null) return run();
        const slot = await this.acquireSlot(name, group, id, perGroup);
        if (!slot.ok) return delay(slot.retryMs, `group ${group} is at its limit`);
        return this.holdingSlot(name, group, id, run);
      },
      {
        connection: this.connection("worker"),
        prefix: this.options.prefix,
        concurrency: Math.max(1, options.concurrency ?? 1),
        ...(this.options.stallMs ? { lockDuration: this.options.stallMs, stalledInterval: this.options.stallMs } : {}),
      },
    );
    // Errors surface through job failure; without a listener an 'error' event would crash.
    worker.on("error", () => {});
    this.workers.push(worker);
  }

  async deadLetters(name: JobName<M>, scope?: DeadLetterScope): Promise<DeadLetter[]> {
    const failed = await this.queue(name).getFailed(0, DEAD_LETTER_LIST_LIMIT - 1);
    return failed
      .filter((job) => inScope(job, scope))
      .map((job) => ({
        id: job.id ?? "",
        name,
        merchantId: payloadMerchantId(job.data),
        data: job.data as unknown,
        error: job.failedReason,
        attempts: job.attemptsMade,
        failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
      }));
  }

  async retryDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean> {
    if (this.closed) throw new Error("queue is closed");
    const job = await this.deadJob(name, id, scope);
    if (!job) return false;
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    const group = groupOf(job.name);
    if (group) await (await this.ready()).zadd(this.groupKey("unfinished", name, group), "NX", Date.now(), id);
    return true;
  }

  async removeDeadLetter(name: JobName<M>, id: string, scope?: DeadLetterScope): Promise<boolean> {
    const job = await this.deadJob(name, id, scope);
    if (!job) return false;
    await job.remove();
    return true;
  }

  private async deadJob(name: string, id: string, scope: DeadLetterScope | undefined): Promise<BullJob | null> {
    const job = await BullJob.fromId(this.queue(name), id);
    if (!job || !inScope(job, scope)) return null;
    return (await job.isFailed()) ? job : null;
  }

  async depth(name: JobName<M>): Promise<number> {
    const counts = await this.queue(name).getJobCounts("wait", "delayed", "prioritized");
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    try {
      await Promise.allSettled(this.workers.map((w) => w.close()));
      await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    } finally {
      for (const c of this.connections) c.disconnect();
    }
  }
}
