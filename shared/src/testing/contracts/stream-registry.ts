// The StreamRegistry contract: text so far of in-flight answers and stop requests, shared by
// every hub and workers node (in memory: one process; Redis: any node).
import { expect, it } from "vitest";
import type { StreamRegistry } from "../../ports/realtime.js";
import { waitFor } from "../wait.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface StreamRegistryFactory extends ContractFactory {
  /**
   * Two registries that share state (two nodes; in memory: one object twice). A producer's hold
   * must lapse within a second or so of its registry closing without finishing.
   */
  registries(): Promise<[StreamRegistry, StreamRegistry]>;
  /** Whether the text so far outlives its producer's process (Redis: yes; memory: it is the process). */
  textOutlivesProducer: boolean;
}

export function streamRegistryContract(f: StreamRegistryFactory): void {
  contractSuite("StreamRegistry", f, () => {
    it("records text so far with char offsets, scoped per conversation, ordered by seq", async () => {
      const [a, b] = await f.registries();
      try {
        const h1 = await a.start({ merchantId: "m1", conversationId: "c1", messageId: "x2", seq: 2 });
        const h0 = await a.start({ merchantId: "m1", conversationId: "c1", messageId: "x1", seq: 1 });
        await a.start({ merchantId: "m2", conversationId: "c1", messageId: "other", seq: 1 });
        expect(await h1.append("أهلاً")).toBe(0);
        expect(await h1.append(" bro")).toBe(5);
        expect(h1.length).toBe(9);
        await h0.append("x");
        expect(await b.partials("m1", "c1")).toEqual([
          { messageId: "x1", seq: 1, text: "x" },
          { messageId: "x2", seq: 2, text: "أهلاً bro" },
        ]);
        await h0.finish();
        expect((await b.partials("m1", "c1")).map((p) => p.messageId)).toEqual(["x2"]);
        expect(await b.partials("m1", "nope")).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("a stop requested from another node aborts only that conversation's producers", async () => {
      const [a, b] = await f.registries();
      try {
        const target = await a.start({ merchantId: "m1", conversationId: "stop-me", messageId: "s1", seq: 3 });
        const bystander = await a.start({ merchantId: "m1", conversationId: "keep-me", messageId: "s2", seq: 3 });
        const otherTenant = await a.start({ merchantId: "m9", conversationId: "stop-me", messageId: "s3", seq: 3 });
        await b.requestStop("m1", "stop-me");
        await waitFor(() => target.signal.aborted, "stop signal");
        expect(bystander.signal.aborted).toBe(false);
        expect(otherTenant.signal.aborted).toBe(false);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("reclaim leaves a live producer's stream alone and finds nothing once it finished", async () => {
      const [a, b] = await f.registries();
      try {
        const ref = { merchantId: "m1", conversationId: "c-live", messageId: "live-1" };
        const h = await a.start({ ...ref, seq: 4 });
        await h.append("still ");
        expect(await b.reclaim(ref)).toEqual({ alive: true });
        // Longer than the test lease: the producer renews its hold while it lives.
        await new Promise((r) => setTimeout(r, 1_200));
        expect(await b.reclaim(ref)).toEqual({ alive: true });
        await h.append("going");
        expect(await b.partials("m1", "c-live")).toEqual([{ messageId: "live-1", seq: 4, text: "still going" }]);
        await h.finish();
        expect(await b.reclaim(ref)).toEqual({ alive: false, text: null });
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("an abandoned stream is reclaimed once with its text; another store's ids reclaim nothing", async () => {
      const [a, b] = await f.registries();
      try {
        const ref = { merchantId: "m1", conversationId: "c-ab", messageId: "ab-1" };
        const h = await a.start({ ...ref, seq: 2 });
        await h.append("half an ans");
        await h.abandon();
        expect(await b.reclaim({ ...ref, merchantId: "m2" })).toEqual({ alive: false, text: null });
        expect(await b.reclaim(ref)).toEqual({ alive: false, text: "half an ans" });
        expect(await b.reclaim(ref)).toEqual({ alive: false, text: null });
        expect(await b.partials("m1", "c-ab")).toEqual([]);
      } finally {
        await a.close();
        await b.close();
      }
    });

    it("a producer that goes away without finishing stops holding its stream", async () => {
      const [a, b] = await f.registries();
      const ref = { merchantId: "m1", conversationId: "c-dead", messageId: "dead-1" };
      try {
        const h = await a.start({ ...ref, seq: 7 });
        await h.append("cut off mid");
        // The process ends: no finish, no abandon.
        await a.close();
        let result = await b.reclaim(ref);
        for (let i = 0; i < 60 && result.alive; i++) {
          await new Promise((r) => setTimeout(r, 50));
          result = await b.reclaim(ref);
        }
        expect(result).toEqual({ alive: false, text: f.textOutlivesProducer ? "cut off mid" : null });
      } finally {
        await a.close();
        await b.close();
      }
    });
  });
}
