// One contract for every JobQueue implementation (in-process and BullMQ).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { UnrecoverableError } from "../../errors.js";
import type { JobQueue } from "../../ports/queue.js";
import { waitFor } from "../wait.js";

export interface QueueFactory {
  name: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  create(): Promise<JobQueue>;
}

const until = <T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> => waitFor(check, what);

export function queueContract(f: QueueFactory): void {
  describe(`JobQueue contract: ${f.name}`, () => {
    let queue: JobQueue;
    beforeAll(async () => f.setup?.());
    afterAll(async () => f.teardown?.());
    afterEach(async () => queue?.close());

    it("runs a job with its data, first attempt = 1", async () => {
      queue = await f.create();
      const seen: unknown[] = [];
      queue.process<{ n: number }>("simple", async (job) => {
        seen.push({ data: job.data, attempt: job.attempt, name: job.name });
      });
      await queue.add("simple", { n: 7 });
      await until(() => seen.length === 1, "job");
      expect(seen).toEqual([{ data: { n: 7 }, attempt: 1, name: "simple" }]);
    });

    it("jobs added before a processor exists run once it starts", async () => {
      queue = await f.create();
      await queue.add("early", { n: 1 });
      await queue.add("early", { n: 2 });
      expect(await queue.depth("early")).toBe(2);
      const seen: number[] = [];
      queue.process<{ n: number }>("early", async (job) => void seen.push(job.data.n));
      await until(() => seen.length === 2, "jobs");
      expect(seen.sort()).toEqual([1, 2]);
    });

    it("retries with backoff and succeeds on a later attempt", async () => {
      queue = await f.create();
      const attempts: number[] = [];
      let done = false;
      queue.process("flaky", async (job) => {
        attempts.push(job.attempt);
        if (job.attempt < 3) throw new Error("try again");
        done = true;
      });
      await queue.add("flaky", {}, { attempts: 5, backoff: { type: "exponential", delayMs: 20 } });
      await until(() => done, "success");
      expect(attempts).toEqual([1, 2, 3]);
      expect(await queue.deadLetters("flaky")).toEqual([]);
    });

    it("dead-letters a job after its last attempt, with the error", async () => {
      queue = await f.create();
      let tries = 0;
      queue.process("doomed", async () => {
        tries += 1;
        throw new Error(`boom ${tries}`);
      });
      await queue.add("doomed", { x: 1 }, { jobId: "doomed-1", attempts: 3, backoff: { type: "fixed", delayMs: 10 } });
      const dead = await until(async () => {
        const d = await queue.deadLetters("doomed");
        return d.length > 0 && d;
      }, "dead letter");
      expect(tries).toBe(3);
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id: "doomed-1", name: "doomed", data: { x: 1 }, error: "boom 3", attempts: 3 });
    });

    it("UnrecoverableError stops retries at once", async () => {
      queue = await f.create();
      let tries = 0;
      queue.process("fatal", async () => {
        tries += 1;
        throw new UnrecoverableError("bad payload");
      });
      await queue.add("fatal", {}, { attempts: 5, backoff: { type: "fixed", delayMs: 10 } });
      const dead = await until(async () => {
        const d = await queue.deadLetters("fatal");
        return d.length > 0 && d;
      }, "dead letter");
      expect(tries).toBe(1);
      expect(dead[0]).toMatchObject({ error: "bad payload", attempts: 1 });
    });

    it("a jobId added twice runs once, also after it completed", async () => {
      queue = await f.create();
      const runs: string[] = [];
      queue.process<{ v: string }>("dedupe", async (job) => void runs.push(job.data.v));
      await queue.add("dedupe", { v: "first" }, { jobId: "same" });
      await queue.add("dedupe", { v: "second" }, { jobId: "same" });
      await until(() => runs.length === 1, "first run");
      await queue.add("dedupe", { v: "third" }, { jobId: "same" });
      await queue.add("dedupe", { v: "other" }, { jobId: "different" });
      await until(() => runs.length === 2, "other run");
      expect(runs).toEqual(["first", "other"]);
    });

    it("runs up to `concurrency` jobs at the same time", async () => {
      queue = await f.create();
      let running = 0;
      let peak = 0;
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let finished = 0;
      queue.process(
        "parallel",
        async () => {
          running += 1;
          peak = Math.max(peak, running);
          await gate;
          running -= 1;
          finished += 1;
        },
        { concurrency: 2 },
      );
      for (let i = 0; i < 3; i++) await queue.add("parallel", { i });
      await until(() => running === 2, "two running");
      release();
      await until(() => finished === 3, "all finished");
      expect(peak).toBe(2);
    });
  });
}
