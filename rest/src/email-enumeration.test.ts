// Issue 15, item 6: nobody learns from Kaleem's answers whether an address has an account — not
// at signup, not when inviting a team member, not across stores. What the person behind the
// address needs to know goes to their mailbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let existing: Session;
let other: Session;
beforeAll(async () => {
  t = await startTestRest();
  existing = await t.signup("Existing");
  other = await t.signup("Other");
});
afterAll(async () => t?.close());

const signup = (email: string, password = "a-new-long-password") =>
  t.request("POST", "/api/v1/auth/signup", { body: { storeName: "Second Shop", email, password } });
const login = (email: string, password: string, merchantId?: string) =>
  t.request("POST", "/api/v1/auth/login", { body: { email, password, ...(merchantId ? { merchantId } : {}) } });

describe("signup", () => {
  it("answers a taken address exactly as a new one, and tells only the mailbox", async () => {
    const fresh = `fresh-${Date.now()}@example.com`;
    const since = t.outbox.length;
    const [taken, untaken] = await Promise.all([signup(existing.email.toUpperCase()), signup(fresh)]);
    expect(taken.status).toBe(202);
    expect(untaken.status).toBe(202);
    const neutral = (body: { email: string; message: string }) => ({ ...body, email: "*", message: body.message.replace(body.email, "*") });
    expect(neutral(taken.body)).toEqual(neutral(untaken.body));
    expect([...taken.headers.keys()].sort()).toEqual([...untaken.headers.keys()].sort());

    const toExisting = await t.emailTo(existing.email, "signup_confirm", since);
    const toFresh = await t.emailTo(fresh, "signup_confirm", since);
    expect(toExisting.text).toContain("already signs in to");
    expect(toExisting.text).toContain("Existing");
    expect(toFresh.text).not.toContain("already signs in to");
  });

  it("a confirmed second signup is a separate store; a password that opens both asks which one", async () => {
    const confirmed = await t.request("POST", "/api/v1/auth/signup/confirm", { body: { token: t.signupToken(existing.email) } });
    expect(confirmed.status).toBe(201);
    const second = confirmed.body.merchant.id as string;
    expect(second).not.toBe(existing.merchantId);

    // Different passwords: each opens its own store.
    expect((await login(existing.email, existing.password)).body.user.merchantId).toBe(existing.merchantId);
    expect((await login(existing.email, "a-new-long-password")).body.user.merchantId).toBe(second);

    // The same password in both: the answer names the stores it opens, and merchantId picks one.
    await t.request("PATCH", `/api/v1/team/${confirmed.body.user.id}`, { token: confirmed.body.accessToken, body: { password: existing.password } });
    const both = await login(existing.email, existing.password);
    expect(both.status).toBe(409);
    expect(both.body.error.code).toBe("store_choice_required");
    expect(both.body.error.details.stores.map((s: { merchantId: string }) => s.merchantId).sort()).toEqual([existing.merchantId, second].sort());
    expect(both.body.accessToken).toBeUndefined();
    const picked = await login(existing.email, existing.password, second);
    expect(picked.status).toBe(200);
    expect(picked.body.user.merchantId).toBe(second);
    // A wrong password never reveals the store list.
    const wrong = await login(existing.email, "not-the-password-at-all");
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.details).toBeUndefined();
  });
});

describe("team invitations", () => {
  it("inviting another store's owner looks exactly like inviting a new address, and creates an account in this store only", async () => {
    const invite = (email: string) =>
      t.request("POST", "/api/v1/team", { token: other.token, body: { email, name: "New Agent", role: "agent", password: "agent-password-1" } });
    const elsewhere = await invite(existing.email);
    const nowhere = await invite(`nowhere-${Date.now()}@example.com`);
    expect(elsewhere.status).toBe(201);
    expect(nowhere.status).toBe(201);
    expect(Object.keys(elsewhere.body.user).sort()).toEqual(Object.keys(nowhere.body.user).sort());
    expect(elsewhere.body.user.merchantId).toBe(other.merchantId);
    expect((await t.emailTo(existing.email, "team_invite")).text).toContain("Other");

    // Only this store's own team can collide.
    const again = await invite(existing.email);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("This email is already on your team");

    // The person's own store is untouched, and the invitation's password opens only the new account.
    expect((await login(existing.email, "agent-password-1")).body.user.merchantId).toBe(other.merchantId);
    const list = await t.request("GET", "/api/v1/team", { token: existing.token });
    expect(list.body.items.map((u: { merchantId: string }) => u.merchantId).every((m: string) => m === existing.merchantId)).toBe(true);
  });
});
