import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealSignup } from "./auth/signup-token.js";
import { startTestRest, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
const revoked: string[] = [];
beforeAll(async () => {
  t = await startTestRest({}, { realtime: { sessionRevoked: (id) => revoked.push(id), userRemoved() {}, widgetKeyRotated() {}, visitorBlocked() {}, conversationChanged() {} } });
});
afterAll(async () => t?.close());

describe("auth", () => {
  it("signs up a store and its owner through the emailed link", async () => {
    const res = await t.request("POST", "/api/v1/auth/signup", {
      body: { storeName: "متجر النخبة", email: "  Owner@Example.COM ", password: "long-enough-pw", role: "agent", merchantId: "evil" },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "confirmation_sent", email: "owner@example.com" });
    expect(res.body.message).toContain("Check your inbox");
    // Nothing exists until the link is opened.
    expect(await t.store.lookup.usersByEmail("owner@example.com", 10)).toEqual([]);

    const mail = await t.emailTo("owner@example.com");
    expect(mail.kind).toBe("signup_confirm");
    expect(mail.text).toMatch(/\/dashboard\/confirm#token=[A-Za-z0-9_-]+/);
    expect(mail.text).not.toContain("long-enough-pw");

    const confirmed = await t.request("POST", "/api/v1/auth/signup/confirm", { body: { token: t.signupToken("owner@example.com") } });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.user).toMatchObject({ email: "owner@example.com", role: "owner" });
    expect(confirmed.body.merchant).toMatchObject({ name: "متجر النخبة" });
    expect(confirmed.body.merchant.id).not.toBe("evil");
    expect(confirmed.body.merchant.widget.key).toMatch(/^wk_/);
    expect(confirmed.body.merchant.widget.identitySecret).toBeUndefined();
    expect(confirmed.body.tokenType).toBe("Bearer");
    expect(typeof confirmed.body.accessToken).toBe("string");
    expect(typeof confirmed.body.refreshToken).toBe("string");

    const audit = await t.request("GET", "/api/v1/audit", { token: confirmed.body.accessToken });
    expect(audit.body.items.map((a: { action: string }) => a.action)).toContain("auth.signup");
    const login = await t.request("POST", "/api/v1/auth/login", { body: { email: "owner@example.com", password: "long-enough-pw" } });
    expect(login.status).toBe(200);
  });

  it("a link creates one store only, and an altered or expired link creates none", async () => {
    await t.request("POST", "/api/v1/auth/signup", { body: { storeName: "Once", email: "once@example.com", password: "long-enough-pw" } });
    await t.emailTo("once@example.com");
    const token = t.signupToken("once@example.com");
    const [a, b] = await Promise.all([
      t.request("POST", "/api/v1/auth/signup/confirm", { body: { token } }),
      t.request("POST", "/api/v1/auth/signup/confirm", { body: { token } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect(await t.store.lookup.usersByEmail("once@example.com", 10)).toHaveLength(1);

    const flipped = token.slice(0, -2) + (token.endsWith("A") ? "BB" : "AA");
    for (const bad of [flipped, "not-a-token", sealSignup(t.config, { storeName: "Old", email: "old@example.com", passwordHash: "h" }, Date.now() - 25 * 3600_000)]) {
      const res = await t.request("POST", "/api/v1/auth/signup/confirm", { body: { token: bad } });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe("token");
    }
    expect(await t.store.lookup.usersByEmail("old@example.com", 10)).toEqual([]);
  });

  it("rejects bad signup input (400 with details)", async () => {
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
