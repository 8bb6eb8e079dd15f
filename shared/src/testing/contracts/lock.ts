// The KeyedLock contract: holders of one key run one at a time, across every handle given (two
// handles on one Redis stand for two workers processes).
import { expect, it } from "vitest";
import type { KeyedLock } from "../../ports/lock.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface LockFactory extends ContractFactory {
  /** One or more handles on the same lock space (fresh per call). */
  locks(): Promise<KeyedLock[]>;
}

const tick = () => new Promise((r) => setTimeout(r, 5));

/** Read-modify-write with a pause in between: lost updates show when two run at once. */
async function counterRace(locks: KeyedLock[], key: string, runs: number): Promise<number> {
  let counter = 0;
  await Promise.all(
    Array.from({ length: runs }, (_, i) =>
      locks[i % locks.length]!.run(key, async () => {
        const seen = counter;
        await tick();
        counter = seen + 1;
      }),
    ),
  );
  return counter;
}

export function lockContract(f: LockFactory): void {
  contractSuite("KeyedLock", f, () => {
    it("runs holders of one key one at a time", async () => {
      expect(await counterRace(await f.locks(), "conversation-1", 12)).toBe(12);
    });

    it("does not serialize different keys", async () => {
      const locks = await f.locks();
      const order: string[] = [];
      let releaseA: (() => void) | null = null;
      const a = locks[0]!.run("a", () => new Promise<void>((r) => (releaseA = () => (order.push("a"), r()))));
      await locks[locks.length - 1]!.run("b", async () => void order.push("b"));
      // A Redis lock takes "a" after a round trip: its holder may not have started yet.
      while (!releaseA) await new Promise((r) => setTimeout(r, 5));
      (releaseA as () => void)();
      await a;
      expect(order).toEqual(["b", "a"]);
    });

    it("returns what the holder returns and frees the key when the holder throws", async () => {
      const [lock] = await f.locks();
      await expect(lock!.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
      expect(await lock!.run("k", async () => "next")).toBe("next");
    });
  });
}
