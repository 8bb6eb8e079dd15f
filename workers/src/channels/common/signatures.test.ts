import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyMeta, verifyMetaSubscription, verifyTelegram } from "./signatures.js";

const appSecret = "meta-app-secret-for-tests";
const body = Buffer.from('{"object":"page","entry":[{"id":"111","messaging":[{"message":{"text":"مرحبا \\u00e9"}}]}]}', "utf8");
const hex = createHmac("sha256", appSecret).update(body).digest("hex");

describe("verifyMeta", () => {
  it("accepts the signature Meta computes over the raw bytes", () => {
    expect(verifyMeta(body, { "x-hub-signature-256": `sha256=${hex}` }, appSecret)).toEqual({ ok: true });
    // Header names are case-insensitive, and a fetch Headers object works too.
    expect(verifyMeta(body, { "X-Hub-Signature-256": `sha256=${hex}` }, appSecret)).toEqual({ ok: true });
    expect(verifyMeta(body, new Headers({ "X-Hub-Signature-256": `sha256=${hex}` }), appSecret)).toEqual({ ok: true });
  });

  it("rejects a missing signature, and the legacy SHA-1 header on its own", () => {
    expect(verifyMeta(body, {}, appSecret)).toEqual({ ok: false, reason: "missing_signature" });
    const sha1 = createHmac("sha1", appSecret).update(body).digest("hex");
    expect(verifyMeta(body, { "x-hub-signature": `sha1=${sha1}` }, appSecret)).toEqual({ ok: false, reason: "legacy_sha1_only" });
  });

  it("rejects a wrong secret and a re-serialized body", () => {
    const other = createHmac("sha256", "another-secret").update(body).digest("hex");
    expect(verifyMeta(body, { "x-hub-signature-256": `sha256=${other}` }, appSecret)).toEqual({ ok: false, reason: "signature_mismatch" });
    // JSON.stringify(JSON.parse(body)) turns \u00e9 into é: same data, different bytes.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(body.toString("utf8"))), "utf8");
    expect(reserialized.equals(body)).toBe(false);
    expect(verifyMeta(reserialized, { "x-hub-signature-256": `sha256=${hex}` }, appSecret)).toEqual({ ok: false, reason: "signature_mismatch" });
  });

  it("rejects base64, truncated, upper-case, unprefixed, SHA-1-sized and duplicated signatures as malformed", () => {
    const b64 = createHmac("sha256", appSecret).update(body).digest("base64");
    const cases = [
      `sha256=${b64}`,
      `sha256=${hex.slice(0, 63)}`,
      `sha256=${hex.slice(0, 40)}`,
      `sha256=${hex.toUpperCase()}`,
      `SHA256=${hex}`,
      hex,
      `sha256=${hex} `,
      `sha256=${hex}00`,
      `sha1=${hex}`,
    ];
    for (const value of cases) {
      expect(verifyMeta(body, { "x-hub-signature-256": value }, appSecret), value).toEqual({ ok: false, reason: "malformed_signature" });
    }
    expect(verifyMeta(body, { "x-hub-signature-256": [`sha256=${hex}`, `sha256=${hex}`] }, appSecret)).toEqual({ ok: false, reason: "malformed_signature" });
  });

  it("refuses to verify anything without an app secret (an empty key would sign for anyone)", () => {
    const emptyKey = createHmac("sha256", "").update(body).digest("hex");
    expect(verifyMeta(body, { "x-hub-signature-256": `sha256=${emptyKey}` }, "")).toEqual({ ok: false, reason: "missing_secret" });
  });

  it("signs the empty body like any other (and a plain SHA-256 of the body is not a signature)", () => {
    const empty = Buffer.alloc(0);
    const sig = createHmac("sha256", appSecret).update(empty).digest("hex");
    expect(verifyMeta(empty, { "x-hub-signature-256": `sha256=${sig}` }, appSecret)).toEqual({ ok: true });
    const digest = createHash("sha256").update(body).digest("hex");
    expect(verifyMeta(body, { "x-hub-signature-256": `sha256=${digest}` }, appSecret)).toEqual({ ok: false, reason: "signature_mismatch" });
  });
});

describe("verifyTelegram", () => {
  const secret = "tg_secret-0123456789";
  it("accepts exactly the secret given to setWebhook", () => {
    expect(verifyTelegram({ "x-telegram-bot-api-secret-token": secret }, secret)).toEqual({ ok: true });
    expect(verifyTelegram(new Headers({ "X-Telegram-Bot-Api-Secret-Token": secret }), secret)).toEqual({ ok: true });
  });
  it("rejects missing, wrong, truncated, case-changed and duplicated tokens", () => {
    expect(verifyTelegram({}, secret)).toEqual({ ok: false, reason: "missing_signature" });
    expect(verifyTelegram({ "x-telegram-bot-api-secret-token": "" }, secret)).toEqual({ ok: false, reason: "missing_signature" });
    for (const value of ["wrong", secret.slice(0, -1), secret.toUpperCase(), `${secret}x`]) {
      expect(verifyTelegram({ "x-telegram-bot-api-secret-token": value }, secret), value).toEqual({ ok: false, reason: "signature_mismatch" });
    }
    expect(verifyTelegram({ "x-telegram-bot-api-secret-token": [secret, secret] }, secret)).toEqual({ ok: false, reason: "malformed_signature" });
  });
  it("refuses when the channel's secret is empty or not one Telegram would accept", () => {
    expect(verifyTelegram({ "x-telegram-bot-api-secret-token": "" }, "")).toEqual({ ok: false, reason: "missing_secret" });
    expect(verifyTelegram({ "x-telegram-bot-api-secret-token": "a b" }, "a b")).toEqual({ ok: false, reason: "missing_secret" });
  });
});

describe("verifyMetaSubscription", () => {
  it("echoes the challenge only for subscribe with the right verify token", () => {
    const q = new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": "vt-1", "hub.challenge": "1158201444" });
    expect(verifyMetaSubscription(q, "vt-1")).toEqual({ ok: true, challenge: "1158201444" });
    expect(verifyMetaSubscription(q, "vt-2")).toEqual({ ok: false, reason: "wrong_verify_token" });
    expect(verifyMetaSubscription(q, "")).toEqual({ ok: false, reason: "missing_secret" });
    expect(verifyMetaSubscription({ "hub.mode": "unsubscribe", "hub.verify_token": "vt-1", "hub.challenge": "x" }, "vt-1")).toEqual({ ok: false, reason: "not_a_subscription" });
    expect(verifyMetaSubscription({ "hub.mode": "subscribe", "hub.verify_token": ["vt-1"], "hub.challenge": "x" }, "vt-1")).toEqual({ ok: false, reason: "not_a_subscription" });
  });
});
