import { asMerchantId } from "@kaleem/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let owner: Session;
let agentToken: string;
let conversationId: string;
const changed: Array<[string, string]> = [];

beforeAll(async () => {
  t = await startTestRest({}, { realtime: { sessionRevoked() {}, userRemoved() {}, widgetKeyRotated() {}, visitorBlocked() {}, conversationChanged: (m, c) => changed.push([m, c]) } });
  owner = await t.signup("Labels");
  const email = `agent-${Date.now()}@example.com`;
  await t.request("POST", "/api/v1/team", { token: owner.token, body: { email, name: "Agent", role: "agent", password: "agent-password-1" } });
  agentToken = (await t.request("POST", "/api/v1/auth/login", { body: { email, password: "agent-password-1" } })).body.accessToken;
  conversationId = (await t.store.forMerchant(asMerchantId(owner.merchantId)).conversations.create({ channel: "webchat", visitorId: "v-1" })).id;
});
afterAll(async () => t?.close());

describe("PATCH /conversations/:id labels", () => {
  it("replaces the labels (trimmed, duplicates in any case dropped); agents may label", async () => {
    const res = await t.request("PATCH", `/api/v1/conversations/${conversationId}`, {
      token: agentToken,
      body: { labels: [" VIP ", "vip", "طلب مستعجل", "refund"] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: conversationId, labels: ["VIP", "طلب مستعجل", "refund"] });
    const read = await t.request("GET", `/api/v1/conversations/${conversationId}`, { token: owner.token });
    expect(read.body.labels).toEqual(["VIP", "طلب مستعجل", "refund"]);
    const cleared = await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: owner.token, body: { labels: [] } });
    expect(cleared.body.labels).toEqual([]);
  });

  it("tells the realtime side, so open inboxes show the new labels", async () => {
    changed.length = 0;
    await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: agentToken, body: { labels: ["vip"] } });
    expect(changed).toEqual([[owner.merchantId, conversationId]]);
    await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: agentToken, body: { labels: "vip" } });
    await t.request("PATCH", "/api/v1/conversations/nope", { token: agentToken, body: { labels: ["vip"] } });
    expect(changed).toHaveLength(1);
  });

  it("validates the labels", async () => {
    for (const labels of [["x".repeat(41)], [""], ["   "], Array.from({ length: 21 }, (_, i) => `l${i}`), ["bad\u0007bell"], "vip"]) {
      const res = await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: owner.token, body: { labels } });
      expect(res.status, JSON.stringify(labels)).toBe(400);
    }
    const ok = await t.request("PATCH", `/api/v1/conversations/${conversationId}`, {
      token: owner.token,
      body: { labels: Array.from({ length: 20 }, (_, i) => `${i}`.padStart(40, "x")) },
    });
    expect(ok.status).toBe(200);
    expect((await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: owner.token, body: { status: "closed" } })).status).toBe(400);
  });

  it("answers 404 for another store's conversation and changes nothing", async () => {
    await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: owner.token, body: { labels: ["mine"] } });
    const other = await t.signup("Other");
    const res = await t.request("PATCH", `/api/v1/conversations/${conversationId}`, { token: other.token, body: { labels: ["stolen"] } });
    expect(res.status).toBe(404);
    expect((await t.request("GET", `/api/v1/conversations/${conversationId}`, { token: owner.token })).body.labels).toEqual(["mine"]);
  });
});
