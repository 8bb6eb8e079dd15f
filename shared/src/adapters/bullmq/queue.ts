// JobQueue on BullMQ (cluster mode). Failed-for-good jobs stay in BullMQ's failed set, which is
// the dead-letter list; completed ones are kept an hour so a repeated jobId is still deduped.
import { Queue, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import {
  DEFAULT_BACKOFF,
  DEFAULT_JOB_ATTEMPTS,
  type DeadLetter,
  type JobHandler,
  type JobOptions,
  type JobQueue,
} from "../../ports/queue.js";

export interface BullJobQueueOptions {
  redisUrl: string;
  /** Key prefix; unique per installation (and per test). */
  prefix: string;
}

export class BullJobQueue implements JobQueue {
  private readonly queues = new Map<string, Queue>();
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private closed = false;

  constructor(private readonly options: BullJobQueueOptions) {}

  private connection(): Redis {
    // BullMQ needs maxRetriesPerRequest: null so blocking commands survive reconnects.
    const c = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.connections.push(c);
    return c;
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection(), prefix: this.options.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  async add<T>(name: string, data: T, options: JobOptions = {}): Promise<{ id: string }> {
    if (this.closed) throw new Error("queue is closed");
    const backoff = options.backoff ?? DEFAULT_BACKOFF;
    const job = await this.queue(name).add(name, data, {
      ...(options.jobId ? { jobId: options.jobId } : {}),
      attempts: Math.max(1, options.attempts ?? DEFAULT_JOB_ATTEMPTS),
      backoff: { type: backoff.type, delay: backoff.delayMs },
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: false,
    });
    return { id: job.id ?? options.jobId ?? "" };
  }

  process<T>(name: string, handler: JobHandler<T>, options: { concurrency?: number } = {}): void {
    const worker = new Worker(
      name,
      async (job: BullJob) => {
        await handler({ id: job.id ?? "", name, data: job.data as T, attempt: job.attemptsMade + 1 });
      },
      { connection: this.connection(), prefix: this.options.prefix, concurrency: Math.max(1, options.concurrency ?? 1) },
    );
    // Errors surface through job failure; without a listener an 'error' event would crash.
    worker.on("error", () => {});
    this.workers.push(worker);
  }

  async deadLetters(name: string): Promise<DeadLetter[]> {
    const failed = await this.queue(name).getFailed(0, 999);
    return failed.map((job) => ({
      id: job.id ?? "",
      name,
      data: job.data as unknown,
      error: job.failedReason,
      attempts: job.attemptsMade,
      failedAt: new Date(job.finishedOn ?? Date.now()).toISOString(),
    }));
  }

  async depth(name: string): Promise<number> {
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
