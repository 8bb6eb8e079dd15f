// The PresenceStore contract: agents online, viewers and typing per conversation, with expiry.
import { expect, it } from "vitest";
import type { PresenceStore } from "../../ports/realtime.js";
import { waitFor } from "../wait.js";
import { contractSuite, type ContractFactory } from "./suite.js";

export interface PresenceFactory extends ContractFactory {
  /** A fresh presence store (own key prefix). */
  presence(options?: { ttlMs?: number; typingTtlMs?: number }): Promise<PresenceStore>;
}

export function presenceContract(f: PresenceFactory): void {
  contractSuite("PresenceStore", f, () => {
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
