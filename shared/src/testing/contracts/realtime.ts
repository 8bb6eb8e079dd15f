// One contract for every StreamRegistry / PresenceStore implementation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PresenceStore, StreamRegistry } from "../../ports/realtime.js";
import { waitFor } from "../wait.js";

export interface RealtimeFactory {
  name: string;
  setup?(): Promise<void>;
  teardown?(): Promise<void>;
  /** Two registries/presence stores that share state (two nodes, or one process twice). */
  registries(): Promise<[StreamRegistry, StreamRegistry]>;
  presence(options?: { ttlMs?: number; typingTtlMs?: number }): Promise<PresenceStore>;
}

export function realtimeContract(f: RealtimeFactory): void {
  describe(`realtime contract: ${f.name}`, () => {
    beforeAll(async () => f.setup?.());
    afterAll(async () => f.teardown?.());

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

    it("presence: agents online, viewers and typing per conversation, offline removes a socket", async () => {
      const p = await f.presence();
      try {
        const ann = { merchantId: "pm1", agentId: "u1", name: "Ann", socketId: "s1" };
        const bob = { merchantId: "pm1", agentId: "u2", name: "Bob", socketId: "s2" };
        await p.online(ann);
        await p.online(bob);
        await p.online({ merchantId: "pm2", agentId: "u3", name: "Eve", socketId: "s3" });
        await p.setViewing(ann, "c1", true);
        await p.setViewing(bob, "c1", true);
        await p.setTyping(bob, "c1", true);
        let snap = await p.snapshot("pm1");
        expect(snap.online).toEqual([
          { agentId: "u1", name: "Ann" },
          { agentId: "u2", name: "Bob" },
        ]);
        expect(snap.conversations.c1).toEqual({ viewers: ["u1", "u2"], typing: ["u2"] });
        await p.setTyping(bob, "c1", false);
        await p.offline(ann);
        snap = await p.snapshot("pm1");
        expect(snap.online).toEqual([{ agentId: "u2", name: "Bob" }]);
        expect(snap.conversations.c1).toEqual({ viewers: ["u2"], typing: [] });
      } finally {
        await p.close();
      }
    });

    it("presence entries expire without a heartbeat", async () => {
      // Long enough that a stalled CI machine still sees the entry before it expires.
      const p = await f.presence({ ttlMs: 1500, typingTtlMs: 1500 });
      try {
        const ann = { merchantId: "pm3", agentId: "u1", name: "Ann", socketId: "s1" };
        await p.online(ann);
        await p.setTyping(ann, "c1", true);
        expect((await p.snapshot("pm3")).online).toHaveLength(1);
        const empty = JSON.stringify({ online: [], conversations: {} });
        await waitFor(async () => JSON.stringify(await p.snapshot("pm3")) === empty, "presence to expire");
      } finally {
        await p.close();
      }
    });
  });
}
