// The StreamRegistry contract: text so far of in-flight answers and stop requests, shared by
// every hub and workers node (in memory: one process; Redis: any node).
import { expect, it } from "vitest";
import type { StreamRegistry } from "../../ports/realtime.js";
import { waitFor } from "../wait.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface StreamRegistryFactory extends ContractFactory {
  /** Two registries that share state (two nodes; in memory: one object twice). */
  registries(): Promise<[StreamRegistry, StreamRegistry]>;
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
  });
}
