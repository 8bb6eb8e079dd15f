// The log redaction nets, by key and by shape, through a real pino logger.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";
import { REDACTED, redactText } from "./log-redaction.js";

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), text: () => lines.join("") };
}

describe("log redaction", () => {
  it("replaces sensitive fields at any depth, in errors and in messages", () => {
    const { logger, text } = capture();
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEyMyJ9.c2lnbmF0dXJlLWJ5dGVz";
    const botToken = "7301234567:AAH4kYx_secretSECRETsecret-0123456789";
    const err = new Error(`fetch https://api.telegram.org/bot${botToken}/sendMessage failed`);
    logger.error({ err, channel: { config: { botToken, webhookSecret: "whsec-plain-words" } } }, "delivery failed");
    logger.warn({ headers: { authorization: `Bearer ${jwt}`, cookie: "sid=abc" }, user: { password: "correct horse battery" } }, "login");
    logger.info(`visitor token ${jwt} for shopper layla.k@example.com, phone +966 50 123 4567`);
    logger.info({ contact: { phone: "0501234567", email: "a@b.co" }, url: "/webhooks/meta?hub.verify_token=verify-me-please&hub.challenge=42" }, "webhook");
    logger.info(new Error(`access token EAAGm0PX4ZCpsBAKZAZC0123456789abcdef leaked`));
    const out = text();
    for (const secret of [jwt, botToken, "whsec-plain-words", "sid=abc", "correct horse battery", "layla.k@example.com", "+966 50 123 4567", "0501234567", "a@b.co", "verify-me-please", "EAAGm0PX4ZCpsBAKZAZC0123456789abcdef"]) {
      expect(out, secret).not.toContain(secret);
    }
    expect(out).toContain(REDACTED);
    // What the line is about survives: messages, ids, the error type and the challenge.
    expect(out).toContain("delivery failed");
    expect(out).toContain("hub.challenge=42");
    const lines = out.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ err: { type: "Error" }, msg: "delivery failed" });
    expect(lines[4]).toMatchObject({ err: { type: "Error" } });
  });

  it("leaves ordinary text alone", () => {
    for (const plain of ["2026-12-03T19:30:00.000Z", "order KLM-1042 shipped", "conversation 01J9ZK3Q2X", "price 1299.50 SAR", "seq 12345678 after 9876543"]) {
      expect(redactText(plain)).toBe(plain);
    }
  });
});
