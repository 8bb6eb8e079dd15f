import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asMerchantId } from "@kaleem/shared";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

let t: TestRest;
let s: Session;
beforeAll(async () => {
  t = await startTestRest();
  s = await t.signup("Settings");
});
afterAll(async () => t?.close());

const api = (method: string, path: string, body?: unknown) => t.request(method, `/api/v1${path}`, { token: s.token, ...(body !== undefined && { body }) });

describe("widget settings", () => {
  it("reads and changes widget settings, without ever exposing the identity secret", async () => {
    const before = await api("GET", "/settings/widget");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ allowedOrigins: [], languages: ["en", "ar"] });
    expect(before.body.identitySecret).toBeUndefined();

    const res = await api("PATCH", "/settings/widget", {
      allowedOrigins: ["https://shop.example.com", "http://localhost:3000", "https://shop.example.com"],
      color: "#FF8800",
      greeting: { ar: "مرحبا" },
      languages: ["ar"],
      allowApps: true,
      key: "wk_chosen_by_client",
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      allowedOrigins: ["https://shop.example.com", "http://localhost:3000"],
      color: "#ff8800",
      greeting: { en: before.body.greeting.en, ar: "مرحبا" },
      languages: ["ar"],
      allowApps: true,
      key: before.body.key,
    });
    expect(res.body.identitySecret).toBeUndefined();
  });

  it("reads through the cache, and every write to the settings is in the next read (PATCH, key rotation)", async () => {
    const first = await api("GET", "/settings/widget");
    const again = await api("GET", "/settings/widget");
    expect(again.body).toEqual(first.body);
    expect((await t.metrics.render()).body).toMatch(/kaleem_cache_hits_total\{[^}]*layer="l1"[^}]*cache="merchant-profile"[^}]*\} [1-9]/);

    expect((await api("PATCH", "/settings/widget", { color: "#123456" })).status).toBe(200);
    expect((await api("GET", "/settings/widget")).body.color).toBe("#123456");

    const rotated = await api("POST", "/settings/widget/rotate-key");
    expect(rotated.status).toBe(200);
    expect((await api("GET", "/settings/widget")).body.key).toBe(rotated.body.key);
    expect((await api("GET", "/settings/widget")).body.identitySecret).toBeUndefined();
  });

  it("rejects origins that are not bare origins, bad colours and empty language lists", async () => {
    for (const body of [
      { allowedOrigins: ["https://shop.example.com/"] },
      { allowedOrigins: ["https://shop.example.com/path"] },
      { allowedOrigins: ["shop.example.com"] },
      { allowedOrigins: ["javascript:alert(1)"] },
      { allowedOrigins: ["*"] },
      { color: "red" },
      { color: "#12345" },
      { languages: [] },
      { languages: ["fr"] },
    ]) {
      const res = await api("PATCH", "/settings/widget", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });

  it("rotates the public key: the new one resolves to the store, the old one no longer does", async () => {
    const old = (await api("GET", "/settings/widget")).body.key;
    const rotated = await api("POST", "/settings/widget/rotate-key");
    expect(rotated.status).toBe(200);
    expect(rotated.body.key).toMatch(/^wk_/);
    expect(rotated.body.key).not.toBe(old);
    expect(await t.store.lookup.merchantByWidgetKey(rotated.body.key)).toBe(s.merchantId);
    expect(await t.store.lookup.merchantByWidgetKey(old)).toBeNull();
  });

  it("issues a new identity secret once, for the store's server to sign Kaleem.identify with", async () => {
    const before = (await t.store.forMerchant(asMerchantId(s.merchantId)).merchant.get()).widget.identitySecret;
    const res = await api("POST", "/settings/widget/identity-secret");
    expect(res.status).toBe(200);
    expect(typeof res.body.identitySecret).toBe("string");
    expect(res.body.identitySecret.length).toBeGreaterThanOrEqual(32);
    expect(res.body.identitySecret).not.toBe(before);
    // The hub verifies signatures with the stored secret: it must be the one handed out.
    expect((await t.store.forMerchant(asMerchantId(s.merchantId)).merchant.get()).widget.identitySecret).toBe(res.body.identitySecret);
    expect((await api("GET", "/settings/widget")).body.identitySecret).toBeUndefined();
  });
});

describe("bot settings", () => {
  it("reads and patches bot settings with cross-field validation", async () => {
    const before = await api("GET", "/settings/bot");
    expect(before.body).toMatchObject({ lowConfidence: "clarify", checkout: "cod" });
    const res = await api("PATCH", "/settings/bot", { lowConfidence: "handoff", handoffKeywords: ["agent", "موظف"], handoffOrderValue: 2000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lowConfidence: "handoff", handoffKeywords: ["agent", "موظف"], handoffOrderValue: 2000, checkout: "cod" });
    const noUrl = await api("PATCH", "/settings/bot", { checkout: "platform" });
    expect(noUrl.status).toBe(400);
    const withUrl = await api("PATCH", "/settings/bot", { checkout: "platform", platformCheckoutUrl: "https://shop.example.com/checkout" });
    expect(withUrl.status).toBe(200);
    expect((await api("PATCH", "/settings/bot", { llmMonthlyTokenBudget: -5 })).status).toBe(400);
  });

  it("keeps the merchant's own intent examples, validated", async () => {
    expect((await api("GET", "/settings/bot")).body.intentExamples).toEqual([]);
    const examples = [{ text: "wain el shipment", intent: "order_status" }, { text: "ابي ابو فهد", intent: "human" }];
    const res = await api("PATCH", "/settings/bot", { intentExamples: examples });
    expect(res.status).toBe(200);
    expect(res.body.intentExamples).toEqual(examples);
    const bad = await api("PATCH", "/settings/bot", { intentExamples: [{ text: "x", intent: "teleport" }] });
    expect(bad.status).toBe(400);
    expect((await api("PATCH", "/settings/bot", { intentExamples: [{ text: "  ", intent: "human" }] })).status).toBe(400);
    expect((await api("GET", "/settings/bot")).body.intentExamples).toEqual(examples);
  });
});

describe("audit log", () => {
  it("records settings changes and key rotation with the actor and IP", async () => {
    const audit = await api("GET", "/audit?limit=100");
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["settings.widget_updated", "settings.widget_key_rotated", "settings.bot_updated"]));
    const rotation = audit.body.items.find((a: { action: string }) => a.action === "settings.widget_key_rotated");
    expect(rotation.actorId).toBe(s.userId);
    expect(rotation.ip).toBeTruthy();
    expect(JSON.stringify(audit.body)).not.toContain("wk_");
  });
});
