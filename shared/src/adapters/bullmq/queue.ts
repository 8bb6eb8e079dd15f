// JobQueue on BullMQ (cluster mode). Failed-for-good jobs stay in BullMQ's failed set, which is
// the dead-letter list; completed ones are kept an hour so a repeated jobId is still deduped.
// A RetryAfterError moves the running job back to the delayed set with Job.moveToDelayed (which
// leaves attemptsMade alone) and tells the worker so with BullMQ's DelayedError, the documented
// way to delay a job from inside its processor.
import { DelayedError, Job as BullJob, Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { AppJobSchemas } from "../../contracts/jobs.js";
import {
  DEAD_LETTER_LIST_LIMIT,
  DEFAULT_BACKOFF,
  DEFAULT_JOB_ATTEMPTS,
  assertKnownJob,
  inScope,
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
  type SchemasOption,
} from "../../ports/queue.js";

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
    const job = await this.queue(name).add(name, payload, {
      ...(options.jobId ? { jobId: options.jobId } : {}),
      attempts: Math.max(1, options.attempts ?? DEFAULT_JOB_ATTEMPTS),
      backoff: { type: backoff.type, delay: backoff.delayMs },
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
    return { id: job.id ?? options.jobId ?? "" };
  }

  process<N extends JobName<M>>(name: N, handler: JobHandler<JobData<M, N>>, options: { concurrency?: number } = {}): void {
    assertKnownJob(this.schemas, name);
    const worker = new Worker(
      name,
      async (job: BullJob, token?: string) => {
        const data = parseJobData(this.schemas, name, job.data) as JobData<M, N>;
        try {
          await handler({ id: job.id ?? "", name, data, attempt: job.attemptsMade + 1 });
        } catch (err) {
          const delayMs = retryAfterDelay(err);
          if (delayMs === null) throw err;
          await job.moveToDelayed(Date.now() + Math.max(1, delayMs), token);
          throw new DelayedError(err instanceof Error ? err.message : undefined);
        }
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
    try {
      await Promise.allSettled(this.workers.map((w) => w.close()));
      await Promise.allSettled([...this.queues.values()].map((q) => q.close()));
    } finally {
      for (const c of this.connections) c.disconnect();
    }
  }
}
