// Attacks, family 6 (socket side): the forged and misused JWTs of shared/src/testing/attacks/jwt.ts
// presented at the /inbox handshake, on both transports. Each must be refused with connect_error
// `unauthorized`, and the genuine token must still connect. The REST side is
// rest/src/attacks.jwt.test.ts; logout across hub nodes is attacks.logout.cluster.test.ts.
import { INBOX_NAMESPACE } from "@kaleem/shared";
import { forgedAccessTokens } from "@kaleem/shared/testing";
import { io, type ManagerOptions, type SocketOptions } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, connected, createMerchant, inboxClient, refusedWith, startTestKaleem, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

let t: TestKaleem;
let victim: TestMerchant;
let other: TestMerchant;
let pair: { accessToken: string; refreshToken: string };

beforeAll(async () => {
  t = await startTestKaleem();
  victim = await createMerchant(t.k);
  other = await createMerchant(t.k);
  const res = await fetch(`${t.k.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: victim.email, password: victim.password }),
  });
  pair = (await res.json()) as typeof pair;
});
afterEach(() => closeAllClients());
afterAll(async () => t?.close());

describe("forged access tokens at the /inbox handshake", () => {
  it("the genuine token connects on both transports", async () => {
    await connected(inboxClient(t.k.url, pair.accessToken));
    await connected(inboxClient(t.k.url, pair.accessToken, { transports: ["polling"] }));
  });

  for (const transport of ["websocket", "polling"]) {
    it(`refuses every forged or misused token with connect_error unauthorized (${transport})`, async () => {
      const { config } = t.k;
      const cases = forgedAccessTokens(
        { accessSecret: config.secrets.jwtAccessSecret, refreshSecret: config.secrets.jwtRefreshSecret, issuer: config.auth.issuer, audience: config.auth.audience },
        pair,
        other.merchantId,
      );
      expect(cases.length).toBeGreaterThanOrEqual(20);
      for (const { name, token } of cases) {
        const refusal = await refusedWith(inboxClient(t.k.url, token, { transports: [transport] }));
        expect(refusal.code, name).toBe("unauthorized");
      }
    });
  }

  it("takes the genuine token only from the handshake's auth: not from the query string, a header or a cookie", async () => {
    const attempts: Array<{ name: string; options: Partial<ManagerOptions & SocketOptions> }> = [
      { name: "query", options: { query: { token: pair.accessToken } } },
      { name: "Authorization header", options: { extraHeaders: { Authorization: `Bearer ${pair.accessToken}` } } },
      { name: "cookie", options: { extraHeaders: { Cookie: `token=${pair.accessToken}` } } },
    ];
    for (const { name, options } of attempts) {
      const socket = io(t.k.url + INBOX_NAMESPACE, { forceNew: true, reconnection: false, transports: ["websocket"], ...options });
      try {
        const refusal = await refusedWith(socket);
        expect(refusal.code, name).toBe("unauthorized");
      } finally {
        socket.disconnect();
      }
    }
  });
});
