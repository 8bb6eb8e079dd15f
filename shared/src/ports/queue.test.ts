// The queue port's own helpers and the application's job table.
import { describe, expect, it } from "vitest";
import { jobSchemas } from "../contracts/jobs.js";
import { RetryAfterError, ValidationError } from "../errors.js";
import { isJobName, payloadMerchantId, retryAfterDelay, validateJobInput } from "./queue.js";

describe("job table", () => {
  it("every job name is a valid BullMQ queue name", () => {
    for (const name of Object.keys(jobSchemas)) expect(name).toMatch(/^[a-z][a-z0-9.-]*$/);
  });

  it("tells the table's job names from other strings", () => {
    expect(isJobName(jobSchemas, "bot-reply")).toBe(true);
    expect(isJobName(jobSchemas, "toString")).toBe(false);
    expect(isJobName(jobSchemas, "no-such-job")).toBe(false);
  });

  it("refuses a bot reply without its conversation, naming the field", () => {
    const err = (() => {
      try {
        validateJobInput(jobSchemas, "bot-reply", { merchantId: "m1", triggerMessageId: "t1" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as Error).message).toMatch(/bot-reply.*conversationId/);
  });
});

describe("RetryAfterError", () => {
  it("carries a whole number of ms and refuses a negative or endless delay", () => {
    expect(new RetryAfterError(1500.2).delayMs).toBe(1501);
    expect(() => new RetryAfterError(-1)).toThrow(RangeError);
    expect(() => new RetryAfterError(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("is recognised by shape too (a second copy of the module), and other errors are not", () => {
    const copy = Object.assign(new Error("429"), { name: "RetryAfterError", delayMs: 250 });
    expect(retryAfterDelay(copy)).toBe(250);
    expect(retryAfterDelay(new RetryAfterError(10))).toBe(10);
    expect(retryAfterDelay(new Error("boom"))).toBeNull();
    expect(retryAfterDelay(Object.assign(new Error("x"), { name: "RetryAfterError", delayMs: "soon" }))).toBeNull();
  });
});

describe("payloadMerchantId", () => {
  it("reads a string merchantId and nothing else", () => {
    expect(payloadMerchantId({ merchantId: "m1" })).toBe("m1");
    expect(payloadMerchantId({ merchantId: 7 })).toBeNull();
    expect(payloadMerchantId(null)).toBeNull();
    expect(payloadMerchantId("m1")).toBeNull();
  });
});
