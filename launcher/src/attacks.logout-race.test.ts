// Attacks, family 7: a stolen token reconnecting at the moment its owner logs out. The handshake's
// token check passes, then — before the socket has joined its rooms — the logout blacklists the
// token and disconnects the session's rooms, which this socket is not in yet. The handshake is held
// in exactly that place (its user read waits on a gate the test opens), the logout runs, and the
// socket that then connects must still be closed: it may not outlive the logout until its token
// expires. The same holds for a removal from the team.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "@kaleem/shared";
import { addAgent, closeAllClients, createMerchant, inboxClient, login, startTestKaleem, until, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;
let m: TestMerchant;
const gate = {
  armed: false,
  reached: () => {},
  open: () => {},
  arm(): Promise<void> {
    this.armed = true;
    return new Promise<void>((resolve) => (this.reached = resolve));
  },
  async pass(): Promise<void> {
    if (!this.armed) return;
    this.armed = false;
    const opened = new Promise<void>((resolve) => (this.open = resolve));
    this.reached();
    await opened;
  },
};

/** Puts the gate in front of every tenant's user reads on the live store (the hub's and REST's). */
function gateUserReads(store: Store): void {
  const forMerchant = store.forMerchant.bind(store);
  store.forMerchant = (id) => {
    const tenant = forMerchant(id);
    const users = tenant.users;
    const get = users.get.bind(users);
    return new Proxy(tenant, {
      get(target, p) {
        if (p !== "users") {
          const value = Reflect.get(target, p) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        }
        return new Proxy(users, {
          get(repo, name) {
            if (name === "get") {
              return async (userId: string) => {
                await gate.pass();
                return get(userId);
              };
            }
            const value = Reflect.get(repo, name) as unknown;
            return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(repo) : value;
          },
        });
      },
    });
  };
}

beforeAll(async () => {
  t = await startTestKaleem();
  m = await createMerchant(t.k);
  gateUserReads(t.k.store);
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

async function heldHandshake(token: string) {
  const reached = gate.arm();
  const socket = inboxClient(t.k.url, token);
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
});
