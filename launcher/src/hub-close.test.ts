// Closing a hub with agents online: the presence updates their disconnects start finish before
// close() returns, so none of them publishes after the launcher has closed the connections it
// goes through (in a cluster, an unhandled "Connection is closed" on the Redis adapter's client).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RoomEmitter, type PresenceEntry } from "@kaleem/shared";
import { connected, createMerchant, inboxClient, login, startTestKaleem, until, type TestKaleem } from "./realtime.test-helpers.js";

let t: TestKaleem;
beforeAll(async () => {
  t = await startTestKaleem();
});
afterAll(async () => t?.close());

describe("hub close", () => {
  it("waits for the presence update of every agent it disconnects", async () => {
    const shop = await createMerchant(t.k);
    const token = await login(t.k.url, shop.email, shop.password);
    const agent = inboxClient(t.k.url, token);
    await connected(agent);
    const presence: string[] = [];
    const toInbox = RoomEmitter.prototype.toInbox;
    RoomEmitter.prototype.toInbox = function (this: RoomEmitter, ...args: Parameters<RoomEmitter["toInbox"]>) {
      if (args[1] === "presence") presence.push(String(args[0]));
      return toInbox.apply(this, args);
    };
    // A slow presence store (Redis under load): the offline write ends well after the disconnect.
    const offline = t.k.presence.offline.bind(t.k.presence);
    t.k.presence.offline = async (entry: PresenceEntry) => {
      await new Promise((r) => setTimeout(r, 150));
      await offline(entry);
    };
    try {
      await until(async () => (await t.k.presence.snapshot(shop.merchantId)).online.length === 1, "agent online");
      const before = presence.length;
      await t.k.hub!.close();
      // Broadcast before close() returned, not after.
      expect(presence.length).toBe(before + 1);
      expect((await t.k.presence.snapshot(shop.merchantId)).online).toEqual([]);
    } finally {
      RoomEmitter.prototype.toInbox = toInbox;
      t.k.presence.offline = offline;
      agent.close();
    }
  });
});
