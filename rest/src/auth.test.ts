import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
const revoked: string[] = [];
beforeAll(async () => {
  t = await startTestRest({}, { realtime: { sessionRevoked: (id) => revoked.push(id), userRemoved() {}, widgetKeyRotated() {}, conversationChanged() {} } });
});
afterAll(async () => t?.close());

describe("auth", () => {
  it("signs up a store and its owner", async () => {
    const res = await t.request("POST", "/api/v1/auth/signup", {
      body: { storeName: "متجر النخبة", email: "  Owner@Example.COM ", password: "long-enough-pw", role: "agent", merchantId: "evil" },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: "owner@example.com", role: "owner" });
    expect(res.body.merchant).toMatchObject({ name: "متجر النخبة" });
    expect(res.body.merchant.id).not.toBe("evil");
    expect(res.body.merchant.widget.key).toMatch(/^wk_/);
    expect(res.body.merchant.widget.identitySecret).toBeUndefined();
    expect(res.body.tokenType).toBe("Bearer");
    expect(typeof res.body.accessToken).toBe("string");
    expect(typeof res.body.refreshToken).toBe("string");

    const audit = await t.request("GET", "/api/v1/audit", { token: res.body.accessToken });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain("auth.signup");
  });

  it("rejects a second signup with the same email (409) and bad input (400 with details)", async () => {
    const dup = await t.request("POST", "/api/v1/auth/signup", {
      body: { storeName: "Other", email: "owner@example.com", password: "long-enough-pw" },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("conflict");

    const bad = await t.request("POST", "/api/v1/auth/signup", { body: { storeName: "", email: "nope", password: "short" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("validation_failed");
    const paths = bad.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(["email", "password", "storeName"]);
  });

  it("logs in, and audits both failed and successful logins", async () => {
    const s = await t.signup();
    const wrong = await t.request("POST", "/api/v1/auth/login", { body: { email: s.email, password: "wrong-password" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toEqual({ code: "unauthorized", message: "Invalid email or password" });
    const unknown = await t.request("POST", "/api/v1/auth/login", { body: { email: "nobody@example.com", password: "whatever1" } });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe(wrong.body.error.message);

    const ok = await t.request("POST", "/api/v1/auth/login", { body: { email: s.email.toUpperCase(), password: s.password } });
    expect(ok.status).toBe(200);
    expect(ok.body.user.id).toBe(s.userId);

    const me = await t.request("GET", "/api/v1/me", { token: ok.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(s.userId);
    expect(me.body.merchant.id).toBe(s.merchantId);

    const audit = await t.request("GET", "/api/v1/audit", { token: ok.body.accessToken });
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions).toContain("auth.login_failed");
    expect(actions).toContain("auth.login");
  });

  it("rotates refresh tokens, and a reused one revokes the whole family", async () => {
    const s = await t.signup();
    const first = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(s.refreshToken);
    const me = await t.request("GET", "/api/v1/me", { token: first.body.accessToken });
    expect(me.status).toBe(200);

    // The original token is spent: presenting it again is a reuse.
    const reuse = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } });
    expect(reuse.status).toBe(401);
    // ...which killed the family, including the token issued by the legitimate rotation.
    const afterReuse = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: first.body.refreshToken } });
    expect(afterReuse.status).toBe(401);

    const audit = await t.request("GET", "/api/v1/audit", { token: first.body.accessToken });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain("auth.refresh_reuse");
  });

  it("does not accept access tokens as refresh tokens or the other way round", async () => {
    const s = await t.signup();
    const asRefresh = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.token } });
    expect(asRefresh.status).toBe(401);
    const asAccess = await t.request("GET", "/api/v1/me", { token: s.refreshToken });
    expect(asAccess.status).toBe(401);
    const none = await t.request("GET", "/api/v1/me");
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe("unauthorized");
  });

  it("logout rejects the access token from then on and revokes the given refresh family", async () => {
    const s = await t.signup();
    const out = await t.request("POST", "/api/v1/auth/logout", { token: s.token, body: { refreshToken: s.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.text).toBe("");
    const me = await t.request("GET", "/api/v1/me", { token: s.token });
    expect(me.status).toBe(401);
    const refresh = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } });
    expect(refresh.status).toBe(401);
    const claims = await t.rest.tokens.verifyRefresh(s.refreshToken);
    expect(claims.userId).toBe(s.userId);
    expect(revoked.length).toBeGreaterThan(0);

    // Other sessions of the same user keep working.
    const again = await t.request("POST", "/api/v1/auth/login", { body: { email: s.email, password: s.password } });
    const audit = await t.request("GET", "/api/v1/audit", { token: again.body.accessToken });
    expect(audit.status).toBe(200);
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain("auth.logout");
  });

  it("logout without a body works and tells the realtime hook which token ended", async () => {
    const s = await t.signup();
    const claims = await t.rest.tokens.verifyAccess(s.token);
    const out = await t.request("POST", "/api/v1/auth/logout", { token: s.token });
    expect(out.status).toBe(204);
    expect(revoked).toContain(claims.tokenId);
    // The refresh token was not given, so that session can still be refreshed.
    const refresh = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } });
    expect(refresh.status).toBe(200);
  });
});
