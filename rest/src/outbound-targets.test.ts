// "Also seen" in issue 15: a channel's or commerce connection's apiBaseUrl pointing at the cloud
// metadata service or at this machine. With the default configuration the API refuses to save it,
// however the address is written; an operator who runs test doubles on loopback opts in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const TG = { botToken: "123456789:AAE-tg-bot-token-SECRET-aaa", secretToken: "tg_secret_TOKEN-bbb" };
const SALLA = { merchantId: "1234509876", webhookSecret: "salla-SECRET-222" };
const INTERNAL = [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://[::ffff:169.254.169.254]/latest/meta-data/",
  "http://127.0.0.1:6379/",
  "http://2130706433/",
  "http://10.0.0.5/admin",
  "http://localhost:8080/api/v1",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://redis:6379/",
];

let t: TestRest;
let owner: Session;
beforeAll(async () => {
  t = await startTestRest();
  owner = await t.signup("SSRF");
});
afterAll(async () => t?.close());

const api = (method: string, path: string, body: unknown) => t.request(method, `/api/v1${path}`, { token: owner.token, body });

describe("apiBaseUrl must point at a public host", () => {
  it("refuses internal targets when a channel is created or changed", async () => {
    for (const apiBaseUrl of INTERNAL) {
      const res = await api("POST", "/channels", { type: "telegram", name: "Bot", config: { ...TG, apiBaseUrl } });
      expect(res.status, apiBaseUrl).toBe(400);
      expect(res.body.error.details[0].path).toBe("config.apiBaseUrl");
    }
    const channel = await api("POST", "/channels", { type: "telegram", name: "Bot", config: { ...TG, apiBaseUrl: "https://93.184.216.34/bot" } });
    expect(channel.status).toBe(201);
    for (const apiBaseUrl of INTERNAL) {
      const res = await api("PATCH", `/channels/${channel.body.id}`, { config: { apiBaseUrl } });
      expect(res.status, apiBaseUrl).toBe(400);
    }
    const stored = await api("GET", `/channels/${channel.body.id}`, undefined);
    expect(stored.body.config.apiBaseUrl).toBe("https://93.184.216.34/bot");
    // Other fields still change without the base URL being judged again.
    expect((await api("PATCH", `/channels/${channel.body.id}`, { name: "Renamed" })).status).toBe(200);
  });

  it("refuses internal targets for commerce connections", async () => {
    for (const apiBaseUrl of INTERNAL) {
      const res = await api("POST", "/commerce-connections", { platform: "salla", config: { ...SALLA, apiBaseUrl } });
      expect(res.status, apiBaseUrl).toBe(400);
      expect(res.body.error.details[0].path).toBe("config.apiBaseUrl");
    }
    expect((await api("POST", "/commerce-connections", { platform: "salla", config: SALLA })).status).toBe(201);
  });

  it("allows loopback targets only when the operator set OUTBOUND_ALLOW_PRIVATE_NETWORKS", async () => {
    const open = await startTestRest({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: "true" });
    try {
      const session = await open.signup("Test doubles");
      const res = await open.request("POST", "/api/v1/channels", {
        token: session.token,
        body: { type: "telegram", name: "Local double", config: { ...TG, apiBaseUrl: "http://127.0.0.1:9/tg" } },
      });
      expect(res.status).toBe(201);
    } finally {
      await open.close();
    }
  });
});
