import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
beforeAll(async () => {
  t = await startTestRest({ AUTH_RATE_LIMIT_PER_MINUTE: "4", RATE_LIMIT_PER_MINUTE: "4" });
});
afterAll(async () => t?.close());

describe("rate limits", () => {
  it("limits auth routes per IP with 429 and Retry-After", async () => {
    const session = await t.signup("Limits"); // auth hits 1 and 2 (the form, then the emailed link)
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.request("POST", "/api/v1/auth/login", { body: { email: session.email, password: "wrong-password" } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
        expect(res.body.error.code).toBe("rate_limited");
      }
    }
    expect(statuses).toEqual([401, 401, 429]);

    // The general API limit is counted per user and is separate from the auth limit.
    const general: number[] = [];
    for (let i = 0; i < 5; i++) general.push((await t.request("GET", "/api/v1/me", { token: session.token })).status);
    expect(general).toEqual([200, 200, 200, 200, 429]);
  });
});
