// Attacks, family 6 (REST side): forged and misused JWTs. Every case of the shared list
// (shared/src/testing/attacks/jwt.ts) is presented to a read route and a write route and must be a
// 401 `unauthorized` that changes nothing; every forged refresh token is a 401 and leaves the
// victim's genuine session working. The socket side runs the same list in
// launcher/src/attacks.auth.test.ts.
import { asMerchantId } from "@kaleem/shared";
import { forgedAccessTokens, forgedRefreshTokens, type JwtSecrets } from "@kaleem/shared/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let victim: Session;
let other: Session;
let secrets: JwtSecrets;

beforeAll(async () => {
  t = await startTestRest();
  victim = await t.signup("Victim");
  other = await t.signup("Other");
  secrets = {
    accessSecret: t.config.secrets.jwtAccessSecret,
    refreshSecret: t.config.secrets.jwtRefreshSecret,
    issuer: t.config.auth.issuer,
    audience: t.config.auth.audience,
  };
});
afterAll(async () => t?.close());

describe("forged access tokens on REST", () => {
  it("the genuine token is accepted (so the refusals below are about the token)", async () => {
    expect((await t.request("GET", "/api/v1/me", { token: victim.token })).status).toBe(200);
  });

  it("refuses every forged or misused access token with 401 unauthorized, on reads and writes, storing nothing", async () => {
    const cases = forgedAccessTokens(secrets, { accessToken: victim.token, refreshToken: victim.refreshToken }, other.merchantId);
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const { name, token } of cases) {
      const read = await t.request("GET", "/api/v1/me", { token });
      expect(read.status, `${name}: ${read.text}`).toBe(401);
      expect(read.body.error.code, name).toBe("unauthorized");
      const write = await t.request("POST", "/api/v1/products", { token, body: { name: { en: `forged ${name}` }, price: 1, stock: 1 } });
      expect(write.status, `${name}: ${write.text}`).toBe(401);
    }
    for (const m of [victim, other]) {
      expect((await t.store.forMerchant(asMerchantId(m.merchantId)).products.list()).items, "a forged token created a product").toEqual([]);
    }
  });
});

describe("forged refresh tokens", () => {
  it("refuses every forged or misused refresh token with 401, and the victim's genuine session still refreshes", async () => {
    const cases = forgedRefreshTokens(secrets, { accessToken: victim.token, refreshToken: victim.refreshToken });
    for (const { name, token } of cases) {
      const res = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: token } });
      expect(res.status, `${name}: ${res.text}`).toBe(401);
      expect(res.body.error.code, name).toBe("unauthorized");
      expect(res.text, name).not.toMatch(/accessToken/);
    }
    // A forgery is not a reuse: it must not let an attacker end the victim's session either.
    const genuine = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: victim.refreshToken } });
    expect(genuine.status, genuine.text).toBe(200);
  });
});

describe("racing a stolen refresh token", () => {
  it("ten simultaneous refreshes with one token: at most one pair is issued, and the family then dies", async () => {
    const s = await t.signup("Race");
    const answers = await Promise.all(Array.from({ length: 10 }, () => t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: s.refreshToken } })));
    const issued = answers.filter((r) => r.status === 200);
    expect(issued.length, answers.map((r) => r.status).join(",")).toBe(1);
    for (const r of answers.filter((x) => x.status !== 200)) expect(r.status).toBe(401);
    // The other nine were reuses: the one pair that was issued is revoked with its family.
    const successor = await t.request("POST", "/api/v1/auth/refresh", { body: { refreshToken: issued[0]!.body.refreshToken } });
    expect(successor.status).toBe(401);
  });
});

describe("where a genuine token is accepted", () => {
  it("only as `Authorization: Bearer`: not in the query string (it would land in logs), a cookie, another scheme or twice", async () => {
    const token = victim.token;
    const attempts: Array<[string, string, Record<string, string>]> = [
      ["query access_token", `/api/v1/me?access_token=${token}`, {}],
      ["query token", `/api/v1/me?token=${token}`, {}],
      ["cookie", "/api/v1/me", { cookie: `token=${token}; accessToken=${token}` }],
      ["Basic scheme", "/api/v1/me", { authorization: `Basic ${token}` }],
      ["Token scheme", "/api/v1/me", { authorization: `Token ${token}` }],
      ["no scheme", "/api/v1/me", { authorization: token }],
      ["two tokens", "/api/v1/me", { authorization: `Bearer ${token} ${token}` }],
      ["X-Access-Token header", "/api/v1/me", { "x-access-token": token }],
    ];
    for (const [name, path, headers] of attempts) {
      const res = await t.request("GET", path, { headers });
      // A query the route does not take is a 400 before auth; everything else a 401.
      expect([400, 401], `${name}: ${res.status} ${res.text}`).toContain(res.status);
      expect(res.text, name).not.toContain(victim.email);
    }
  });
});
