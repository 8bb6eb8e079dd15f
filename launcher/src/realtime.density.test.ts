// Connection density (issue #16, row 4 of BENCHMARKS.md): what an idle shopper socket with an open
// conversation holds on the server. Counts, not timings: the costs removed once must not come back
// — a listener and closure per event and socket, a promise chain kept per idle socket, a property
// added to the long-lived request (engine.io deletes one of its own later, which turns a request
// carrying an extra property into a dictionary-mode object of ~1.6 KB), a close listener per
// Engine.IO session, extra timers.
import { setFlagsFromString } from "node:v8";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasPendingEvents } from "@kaleem/hub";
import { closeAllClients, connected, createMerchant, openConversation, startTestKaleem, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;
let a: TestMerchant;

beforeAll(async () => {
  t = await startTestKaleem();
  a = await createMerchant(t.k, { allowedOrigins: ["https://a-shop.example"] });
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

/** V8's own answer on whether an object keeps fast (shape-based) properties. */
function hasFastProperties(): (o: object) => boolean {
  setFlagsFromString("--allow-natives-syntax");
  // Natives syntax only parses in code compiled after the flag is set, hence a Function.
  return new Function("o", "return %HasFastProperties(o)") as (o: object) => boolean;
}

const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("an idle widget socket with an open conversation", () => {
  it("holds one shared disconnect listener, one event guard, no pending chain, a fast request and no timer of Kaleem's", async () => {
    const shoppers = [0, 1, 2, 3].map(() => widgetClient(t.k.url, a.widgetKey, { origin: "https://a-shop.example" }));
    const before = timers();
    for (const s of shoppers) {
      await connected(s);
      await openConversation(t.k.store, s, a.merchantId);
    }
    const added = timers() - before;
    const ns = t.k.hub!.io.of("/widget");
    const sockets = shoppers.map((s) => ns.sockets.get(s.id ?? "")!);
    const fast = hasFastProperties();
    for (const socket of sockets) {
      expect(socket.rooms.size, "own id, widget key, visitor, token generation, conversation").toBe(5);
      // The handlers are the namespace's: nothing per event on the socket ("error" is Socket.IO's
      // own no-op), and the listeners there are the same functions for every socket.
      expect([...socket.eventNames()].sort()).toEqual(["disconnect", "error"]);
      for (const event of ["disconnect", "error"]) expect(socket.listeners(event)).toEqual(sockets[0]!.listeners(event));
      expect(socket.listenerCount("disconnect")).toBe(1);
      // Socket.IO's middleware list (not in its types): the event guard alone.
      expect((socket as unknown as { fns: unknown[] }).fns).toHaveLength(1);
      expect(hasPendingEvents(socket)).toBe(false);
      expect(fast(socket.request)).toBe(true);
      // The origin guard binds a session through engine.io's own table: no close listener of ours.
      // (The two there are engine.io's session table and Socket.IO's client; a third grows their array to ~20 slots.)
      expect(socket.conn.listenerCount("close")).toBe(2);
    }
    // Per socket: Engine.IO's heartbeat on the server and the test client's own ping timeout; none of Kaleem's.
    expect(added).toBeLessThanOrEqual(2 * shoppers.length);
  });
});
