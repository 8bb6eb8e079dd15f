// Attacks, family 7: a stolen refresh token raced against its owner. Reuse must kill the whole
// family, including the pair the race's winner is being issued at that very moment. The winner is
// paused between spending the token and storing its successor (its user read waits on a gate the
// test opens) while the second presentation arrives, is seen as a reuse and revokes the family;
// then the winner finishes, and the successor it got must not work.
import type { Store } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type TestRest } from "./harness.test-helpers.js";

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

/** The real store, with every tenant's user reads passing the gate first. */
function gatedUsers(store: Store): Store {
  const bind = (target: object, value: unknown) => (typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value);
  return new Proxy(store, {
    get(target, prop) {
      if (prop !== "forMerchant") return bind(target, Reflect.get(target, prop));
      return (id: Parameters<Store["forMerchant"]>[0]) =>
        new Proxy(target.forMerchant(id), {
          get(tenant, p) {
            const value = Reflect.get(tenant, p);
            if (p !== "users") return bind(tenant, value);
            return new Proxy(value as object, {
              get(repo, name) {
                const fn = Reflect.get(repo, name);
                if (name !== "get" || typeof fn !== "function") return bind(repo, fn);
                return async (...args: unknown[]) => {
                  await gate.pass();
                  return (fn as (...a: unknown[]) => unknown).apply(repo, args);
                };
              },
            });
          },
        });
    },
  });
}

let t: TestRest;
beforeAll(async () => {
  t = await startTestRest({}, {}, { wrapStore: gatedUsers });
});
afterAll(async () => t?.close());

describe("refresh reuse while the winner is still being issued its pair", () => {
  it("the reuse revokes the pair the winner gets, even though it was stored after the revocation", async () => {
    const s = await t.signup("Race");
    const refresh = (refreshToken: string) => t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken } });
    const reached = gate.arm();
    const winner = refresh(s.refreshToken);
    await reached; // the token is spent; the successor is not stored yet
    const reuse = await refresh(s.refreshToken);
    expect(reuse.status).toBe(401);
    gate.open();
    const won = await winner;
    // Either the winner is told no, or what it got is dead already: the family is revoked.
    if (won.status === 200) {
      expect((await refresh(won.body.refreshToken as string)).status, "the successor outlived the reuse").toBe(401);
    } else {
      expect(won.status).toBe(401);
    }
  });

  it("a logout (or a password change) while a refresh is being issued leaves no pair alive either", async () => {
    for (const end of ["logout", "password change"] as const) {
      const s = await t.signup(`Race ${end}`);
      const refresh = (refreshToken: string) => t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken } });
      const reached = gate.arm();
      const racing = refresh(s.refreshToken);
      await reached;
      // The user read of the ending request must not wait on the gate, which is spent already.
      const ended =
        end === "logout"
          ? await t.request("POST", "/api/v1/auth/logout", { token: s.token, body: { refreshToken: s.refreshToken } })
          : await t.request("PATCH", `/api/v1/team/${s.userId}`, { token: s.token, body: { password: "a completely new passphrase 7" } });
      expect(ended.status, `${end}: ${ended.text}`).toBeLessThan(300);
      gate.open();
      const got = await racing;
      if (got.status === 200) expect((await refresh(got.body.refreshToken as string)).status, `${end}: the successor outlived it`).toBe(401);
      else expect(got.status).toBe(401);
    }
  });
});
