// Webhook authenticity per platform, over the raw bytes: the format each platform sends and the
// mistakes that look close (hex for base64 and back, a re-serialized body, a missing or doubled
// header, Salla's token strategy against its signature strategy, Zid's Basic credentials).
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { existingDir, sharedSpecsDir } from "../channels/testing/reference-files.js";
import { verifySalla, verifyShopify, verifyZid } from "./common/signatures.js";

const SECRET = "shpss_test-secret-1";
const body = Buffer.from('{"id":788032119674292922,"title":"عباية","price":"19.99"}', "utf8");
const hmac = (secret: string, bytes: Buffer, encoding: "base64" | "hex") => createHmac("sha256", secret).update(bytes).digest(encoding);

describe("Shopify: base64 HMAC-SHA256 of the raw body", () => {
  it("accepts the classic and the lower-case events header", () => {
    expect(verifyShopify(body, { "X-Shopify-Hmac-Sha256": hmac(SECRET, body, "base64") }, SECRET)).toEqual({ ok: true });
    expect(verifyShopify(body, { "shopify-hmac-sha256": hmac(SECRET, body, "base64") }, SECRET)).toEqual({ ok: true });
  });

  const vectorDir = existingDir(path.join(sharedSpecsDir, "commerce"));
  it.runIf(vectorDir !== null)("matches Shopify's library test vector (../shared/specs/commerce)", () => {
    const vector = JSON.parse(readFileSync(path.join(vectorDir!, "shopify-webhook-hmac-test-vector.json"), "utf8")) as { api_secret_key: string; raw_body: string; expected_x_shopify_hmac_sha256: string };
    const raw = Buffer.from(vector.raw_body, "utf8");
    expect(verifyShopify(raw, { "X-Shopify-Hmac-Sha256": vector.expected_x_shopify_hmac_sha256 }, vector.api_secret_key)).toEqual({ ok: true });
    expect(verifyShopify(raw, { "X-Shopify-Hmac-Sha256": vector.expected_x_shopify_hmac_sha256 }, "kitties are cute!")).toEqual({ ok: false, reason: "signature_mismatch" });
  });
  it.skipIf(vectorDir !== null)("../shared/specs/commerce is absent: Shopify's test vector not checked", () => undefined);

  it("refuses hex (Salla's format), a tampered or re-serialized body, a missing, empty or doubled header, no secret", () => {
    expect(verifyShopify(body, { "x-shopify-hmac-sha256": hmac(SECRET, body, "hex") }, SECRET)).toEqual({ ok: false, reason: "malformed_signature" });
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))), "utf8");
    expect(reserialized.equals(body)).toBe(false);
    expect(verifyShopify(reserialized, { "x-shopify-hmac-sha256": hmac(SECRET, body, "base64") }, SECRET)).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyShopify(body, { "x-shopify-hmac-sha256": hmac("other", body, "base64") }, SECRET)).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyShopify(body, {}, SECRET)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyShopify(body, { "x-shopify-hmac-sha256": "" }, SECRET)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyShopify(body, { "x-shopify-hmac-sha256": [hmac(SECRET, body, "base64"), hmac(SECRET, body, "base64")] }, SECRET)).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifyShopify(Buffer.alloc(0), { "x-shopify-hmac-sha256": hmac(SECRET, Buffer.alloc(0), "base64") }, SECRET)).toEqual({ ok: false, reason: "empty_body" });
    expect(verifyShopify(body, { "x-shopify-hmac-sha256": hmac("", body, "base64") }, "")).toEqual({ ok: false, reason: "missing_secret" });
  });
});

describe("Salla: signature strategy (hex) or token strategy (the secret in Authorization)", () => {
  const secret = "salla-webhook-secret-1";
  it("signature: 64 hex digits of the raw body's HMAC, either case", () => {
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "hex") }, secret, "signature")).toEqual({ ok: true });
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "hex").toUpperCase(), "x-salla-security-strategy": "Signature" }, secret, "signature")).toEqual({ ok: true });
  });

  it("signature: refuses base64 (Shopify's format), a body re-serialized as the docs' Node example does, and a missing header", () => {
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "base64") }, secret, "signature")).toEqual({ ok: false, reason: "malformed_signature" });
    // JSON.stringify(req.body) writes the Arabic as-is but the sender escaped it: other bytes, other HMAC.
    const escaped = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))).replace(/[\u0600-\u06ff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`), "utf8");
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, escaped, "hex") }, secret, "signature")).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifySalla(body, {}, secret, "signature")).toEqual({ ok: false, reason: "missing_signature" });
    // The docs' "32 character SHA256 hash" is not a SHA-256 HMAC.
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "hex").slice(0, 32) }, secret, "signature")).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("token: the Authorization header is the secret verbatim (no Bearer, no hashing)", () => {
    expect(verifySalla(body, { authorization: secret, "x-salla-security-strategy": "Token" }, secret, "token")).toEqual({ ok: true });
    expect(verifySalla(body, { authorization: `Bearer ${secret}` }, secret, "token")).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "hex") }, secret, "token")).toEqual({ ok: false, reason: "missing_signature" });
  });

  it("a delivery announcing the other strategy is refused either way", () => {
    expect(verifySalla(body, { authorization: secret, "x-salla-security-strategy": "Token" }, secret, "signature")).toEqual({ ok: false, reason: "strategy_mismatch" });
    expect(verifySalla(body, { "x-salla-signature": hmac(secret, body, "hex"), "x-salla-security-strategy": "Signature" }, secret, "token")).toEqual({ ok: false, reason: "strategy_mismatch" });
  });
});

describe("Zid: Basic auth with the credentials set on the webhook", () => {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
  it("accepts the exact user and password; refuses others, Bearer, a missing header", () => {
    expect(verifyZid({ authorization: basic("zid-hook", "p@ss:word") }, "zid-hook", "p@ss:word")).toEqual({ ok: true });
    expect(verifyZid({ authorization: basic("zid-hook", "wrong") }, "zid-hook", "p@ss:word")).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyZid({ authorization: basic("other", "p@ss:word") }, "zid-hook", "p@ss:word")).toEqual({ ok: false, reason: "signature_mismatch" });
    expect(verifyZid({ authorization: "Bearer p@ss:word" }, "zid-hook", "p@ss:word")).toEqual({ ok: false, reason: "malformed_signature" });
    expect(verifyZid({}, "zid-hook", "p@ss:word")).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyZid({ authorization: basic("", "") }, "", "")).toEqual({ ok: false, reason: "missing_secret" });
  });
});
