// The embedded job runner: same contract as the BullMQ queue (attempts, backoff, dead letters,
// jobId dedupe), in process and without persistence.
import {
  DEFAULT_BACKOFF,
  DEFAULT_JOB_ATTEMPTS,
  backoffDelay,
  type DeadLetter,
  type JobHandler,
  type JobOptions,
  type JobQueue,
} from "../../ports/queue.js";
import { newId } from "../../ids.js";
import { isUnrecoverable } from "../../ports/queue.js";

interface QueuedJob {
  id: string;
  name: string;
  data: unknown;
  attemptsMade: number;
  attempts: number;
  backoff: NonNullable<JobOptions["backoff"]>;
}

/** Completed job ids are remembered this long for jobId dedupe (BullMQ keeps them as long). */
const COMPLETED_RETENTION_MS = 3600_000;

export class MemoryJobQueue implements JobQueue {
  private readonly waiting = new Map<string, QueuedJob[]>();
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; concurrency: number; running: number }>();
  private readonly known = new Map<string, number>();
  private readonly dead = new Map<string, DeadLetter[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private delayed = new Map<string, number>();
  private closed = false;

  async add<T>(name: string, data: T, options: JobOptions = {}): Promise<{ id: string }> {
    if (this.closed) throw new Error("queue is closed");
    const id = options.jobId ?? newId();
    const knownKey = `${name}\u0000${id}`;
    if (this.known.size > 10_000) this.forgetOld();
    const seenAt = this.known.get(knownKey);
    if (seenAt !== undefined && seenAt > Date.now() - COMPLETED_RETENTION_MS) return { id };
    this.known.set(knownKey, Number.MAX_SAFE_INTEGER);
    const job: QueuedJob = {
      id,
      name,
      data: structuredClone(data),
      attemptsMade: 0,
      attempts: Math.max(1, options.attempts ?? DEFAULT_JOB_ATTEMPTS),
      backoff: options.backoff ?? DEFAULT_BACKOFF,
    };
    this.enqueue(job, options.delayMs ?? 0);
    return { id };
  }

  process<T>(name: string, handler: JobHandler<T>, options: { concurrency?: number } = {}): void {
    if (this.handlers.has(name)) throw new Error(`a processor for ${name} is already registered`);
    this.handlers.set(name, { handler: handler as JobHandler<unknown>, concurrency: Math.max(1, options.concurrency ?? 1), running: 0 });
    this.pump(name);
  }

  async deadLetters(name: string): Promise<DeadLetter[]> {
    return [...(this.dead.get(name) ?? [])];
  }

  async depth(name: string): Promise<number> {
    return (this.waiting.get(name)?.length ?? 0) + (this.delayed.get(name) ?? 0);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.delayed = new Map();
    await Promise.allSettled([...this.inFlight]);
  }

  private forgetOld(): void {
    const cutoff = Date.now() - COMPLETED_RETENTION_MS;
    for (const [k, at] of this.known) if (at < cutoff) this.known.delete(k);
  }

  private enqueue(job: QueuedJob, delayMs: number): void {
    if (this.closed) return;
    if (delayMs <= 0) {
      const list = this.waiting.get(job.name) ?? [];
      list.push(job);
      this.waiting.set(job.name, list);
      this.pump(job.name);
      return;
    }
    this.delayed.set(job.name, (this.delayed.get(job.name) ?? 0) + 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.delayed.set(job.name, (this.delayed.get(job.name) ?? 1) - 1);
      this.enqueue(job, 0);
    }, delayMs);
    this.timers.add(timer);
  }

  private pump(name: string): void {
    const h = this.handlers.get(name);
    const list = this.waiting.get(name);
    while (h && list && list.length > 0 && h.running < h.concurrency && !this.closed) {
      const job = list.shift()!;
      h.running += 1;
      const run = this.run(job, h.handler).finally(() => {
        h.running -= 1;
        this.inFlight.delete(run);
        this.pump(name);
      });
      this.inFlight.add(run);
    }
  }

  private async run(job: QueuedJob, handler: JobHandler<unknown>): Promise<void> {
    const knownKey = `${job.name}\u0000${job.id}`;
    try {
      // A macrotask between jobs keeps a failing job from starving I/O.
      await new Promise((r) => setImmediate(r));
      await handler({ id: job.id, name: job.name, data: job.data, attempt: job.attemptsMade + 1 });
      this.known.set(knownKey, Date.now());
    } catch (err) {
      job.attemptsMade += 1;
      if (isUnrecoverable(err) || job.attemptsMade >= job.attempts || this.closed) {
        const list = this.dead.get(job.name) ?? [];
        list.push({
          id: job.id,
          name: job.name,
          data: job.data,
          error: err instanceof Error ? err.message : String(err),
          attempts: job.attemptsMade,
          failedAt: new Date().toISOString(),
        });
        this.dead.set(job.name, list);
      } else {
        this.enqueue(job, backoffDelay(job.backoff, job.attemptsMade));
      }
    }
  }
}
