import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderRateLimited } from "./common/errors.js";
import { sendProviderRequests, type ProviderResult } from "./deliver.js";
import { startFakeTelegram, type FakeTelegram } from "./testing/fake-telegram.js";
import { buildTelegramSend } from "./telegram/send.js";

const botToken = "7000000003:AAH-kaleem_deliver_token_0123456789ab";
let fake: FakeTelegram;

beforeAll(async () => {
  fake = await startFakeTelegram({ botToken });
});
afterAll(async () => {
  await fake.close();
});

describe("sendProviderRequests", () => {
  it("records each piece as it is sent, and a retry resumes after the last recorded one: every piece arrives once", async () => {
    const config = { botToken, apiBaseUrl: fake.apiBaseUrl };
    const text = Array.from({ length: 3 }, (_, i) => `Part ${i + 1}: ${"the dates are packed fresh on the day they ship. ".repeat(60)}`).join("\n");
    const requests = buildTelegramSend(config, "42", { text, parts: [], locale: "en" });
    expect(requests.length).toBeGreaterThanOrEqual(3);

    // The second piece hits flood control: the first is recorded, the job stops there.
    const recorded = new Map<number, ProviderResult>();
    const record = (i: number, r: ProviderResult) => void recorded.set(i, r);
    fake.failNext({ kind: "rate_limited", retryAfterSeconds: 1 }, { operation: "sendMessage", skip: 1 });
    const stopped = await sendProviderRequests(requests, { onSent: record }).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(ProviderRateLimited);
    expect([...recorded.keys()]).toEqual([0]);

    // The retry starts where the record says.
    await sendProviderRequests(requests, { startAt: recorded.size, onSent: record });
    expect([...recorded.keys()]).toEqual(requests.map((_, i) => i));
    const delivered = fake.accepted("sendMessage").map((e) => (e.body as { text: string }).text);
    expect(delivered).toHaveLength(requests.length);
    expect(new Set(delivered).size).toBe(requests.length);
    expect(fake.rejected()).toEqual([]);
  });
});
