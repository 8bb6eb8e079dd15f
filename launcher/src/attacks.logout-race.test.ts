// Attacks, family 7: a stolen token reconnecting at the moment its owner logs out. The handshake's
// token check passes, then — before the socket has joined its rooms — the logout blacklists the
// token and disconnects the session's rooms, which this socket is not in yet. The handshake is held
// in exactly that place (its user read waits on a gate the test opens), the logout runs, and the
// socket that then connects must still be closed: it may not outlive the logout until its token
// expires. The same holds for a removal from the team.
import { SqliteStore } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@kaleem/shared";
import { addAgent, closeAllClients, connected, createMerchant, inboxClient, login, ok, SHOP_ORIGIN, startTestKaleem, until, visitorIdOf, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";
import type { Socket } from "socket.io-client";

let t: TestKaleem;
let m: TestMerchant;
const gate = {
  armed: false,
  /** Gated calls to let through before holding one (the widget's origin check reads the store first). */
  skip: 0,
  reached: () => {},
  open: () => {},
  arm(skip = 0): Promise<void> {
    this.armed = true;
    this.skip = skip;
    return new Promise<void>((resolve) => (this.reached = resolve));
  },
  async pass(): Promise<void> {
    if (!this.armed) return;
    if (this.skip > 0) {
      this.skip -= 1;
      return;
    }
    this.armed = false;
    const opened = new Promise<void>((resolve) => (this.open = resolve));
    this.reached();
    await opened;
  },
};

/** Which repository read the armed gate holds: the inbox handshake's user read or the widget handshake's visitor read. */
let gatedRepo: "users" | "visitors" = "users";

/**
 * Puts the gate in front of every tenant's `users.get` and `visitors.get` on the SQLite store (the
 * hub's and REST's): patched on the class, so it holds under any wrapper the composition root
 * puts around the store (the read cache's invalidation). Restored after the file.
 */
const originalForMerchant = SqliteStore.prototype.forMerchant;
function gateReads(): void {
  const bind = (target: object, value: unknown) => (typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value);
  SqliteStore.prototype.forMerchant = function (this: SqliteStore, id: Parameters<Store["forMerchant"]>[0]) {
    return new Proxy(originalForMerchant.call(this, id), {
      get(tenant, p) {
        const value = Reflect.get(tenant, p) as unknown;
        if (p !== "users" && p !== "visitors") return bind(tenant, value);
        return new Proxy(value as object, {
          get(repo, name) {
            const fn = Reflect.get(repo, name) as unknown;
            if (name !== "get" || typeof fn !== "function") return bind(repo, fn);
            return async (...args: unknown[]) => {
              if (gatedRepo !== p) return (fn as (...a: unknown[]) => unknown).apply(repo, args);
              // The user read is held before it runs; the visitor read after it has read (a block
              // landing now is one the handshake did not see).
              if (p === "users") await gate.pass();
              const result = await (fn as (...a: unknown[]) => unknown).apply(repo, args);
              if (p === "visitors") await gate.pass();
              return result;
            };
          },
        });
      },
    });
  };
}

beforeAll(async () => {
  t = await startTestKaleem();
  m = await createMerchant(t.k);
  gateReads();
});
afterAll(async () => {
  SqliteStore.prototype.forMerchant = originalForMerchant;
  closeAllClients();
  await t?.close();
});

async function heldHandshake(token: string) {
  gatedRepo = "users";
  return held(() => inboxClient(t.k.url, token));
}

async function held(open: () => Socket, skip = 0) {
  const reached = gate.arm(skip);
  const socket = open();
  // Refused at the handshake, or connected and then closed by the server.
  const outcome = new Promise<string>((resolve) => {
    socket.once("connect_error", (err) => resolve(`refused: ${err.message}`));
    socket.once("connect", () => socket.once("disconnect", (reason) => resolve(`closed: ${reason}`)));
  });
  await reached; // the token check passed; the socket has not joined its rooms
  return { socket, outcome };
}

describe("a handshake in flight when the session ends", () => {
  it("a logout between the handshake's token check and its joining the rooms still closes that socket", async () => {
    const token = await login(t.k.url, m.email, m.password);
    const { socket, outcome } = await heldHandshake(token);
    const out = await fetch(`${t.k.url}/api/v1/auth/logout`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    gate.open();
    await until(() => socket.connected || !socket.active, "the handshake to finish");
    // Connected past the logout: it must be closed by the server, not left open for the token's lifetime.
    await until(() => !socket.connected, "the server to close the socket that outlived the logout");
    expect(await outcome).toMatch(/^(refused|closed: io server disconnect)/);
  });

  it("so does a removal from the team", async () => {
    const agent = await addAgent(t.k, m.merchantId, "Leaving");
    const token = await login(t.k.url, agent.email, agent.password);
    const owner = await login(t.k.url, m.email, m.password);
    const { socket, outcome } = await heldHandshake(token);
    const removed = await fetch(`${t.k.url}/api/v1/team/${agent.id}`, { method: "DELETE", headers: { Authorization: `Bearer ${owner}` } });
    expect(removed.status).toBe(204);
    gate.open();
    expect(await outcome).toMatch(/^(refused|closed: io server disconnect)/);
    await until(() => !socket.connected, "the socket is closed", 2000);
  });

  it("a widget-key rotation or a block while a shopper's handshake is being admitted still closes that socket", async () => {
    for (const end of ["rotation", "block"] as const) {
      const shop = await createMerchant(t.k);
      const owner = await login(t.k.url, shop.email, shop.password);
      // A returning visitor (their token names them, so a block can name them too).
      const first = widgetClient(t.k.url, shop.widgetKey, { origin: SHOP_ORIGIN });
      await connected(first);
      const { visitorToken } = await ok<{ visitorToken: string }>(first, "conversation:open", {});
      await t.k.store.forMerchant(shop.merchantId as Parameters<Store["forMerchant"]>[0]).conversations.findOrCreateOpenByVisitor(visitorIdOf(visitorToken), { channel: "webchat", status: "bot" });
      first.disconnect();
      gatedRepo = "visitors";
      // Held at the namespace's read of the returning visitor (the widget key and the merchant were
      // found valid by then, from the handshake's own reads), before the socket joins its rooms.
      const { socket, outcome } = await held(() => widgetClient(t.k.url, shop.widgetKey, { origin: SHOP_ORIGIN, visitorToken }));
      gatedRepo = "users";
      const res =
        end === "rotation"
          ? await fetch(`${t.k.url}/api/v1/settings/widget/rotate-key`, { method: "POST", headers: { Authorization: `Bearer ${owner}` } })
          : await fetch(`${t.k.url}/api/v1/visitors/${visitorIdOf(visitorToken)}/block`, { method: "PUT", headers: { Authorization: `Bearer ${owner}`, "Content-Type": "application/json" }, body: "{}" });
      expect(res.status, `${end}: ${await res.clone().text()}`).toBeLessThan(300);
      gate.open();
      await until(() => socket.connected || !socket.active, `${end}: the handshake to finish`);
      await until(() => !socket.connected, `${end}: the server to close the shopper socket that outlived it`);
      expect(await outcome, end).toMatch(/^(refused|closed: io server disconnect)/);
    }
  });
});
