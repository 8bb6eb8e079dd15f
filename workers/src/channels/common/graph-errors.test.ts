import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sharedSpecsDir } from "../testing/reference-files.js";
import { ProviderRateLimited, ProviderRetryable, ProviderUnrecoverable, deliveryErrorText, isWindowClosed, type ProviderFailure } from "./errors.js";
import { classifyGraphFailure } from "./graph-errors.js";

const examplesFile = path.join(sharedSpecsDir, "whatsapp", "graph-api-error-examples.json");
const haveExamples = existsSync(examplesFile);

function outcome(f: ProviderFailure): string {
  if (f instanceof ProviderRateLimited) return `rate_limited:${f.scope}`;
  if (f instanceof ProviderUnrecoverable) return f.kind;
  return "retryable";
}

/** What each error code in Meta's OpenAPI examples must steer the job to. */
const expectedByCode: Record<string, string> = {
  "2": "retryable",
  "4": "rate_limited:app",
  "10": "auth",
  "17": "rate_limited:account",
  "100": "rejected",
  "104": "auth",
  "190": "auth",
  "200": "auth",
  "400": "rejected",
  "403": "auth",
  "613": "rate_limited:account",
  "80007": "rate_limited:account",
  "803": "rejected",
};

describe.skipIf(!haveExamples)(haveExamples ? `Graph API error examples (${examplesFile})` : `Graph API error examples: skipped, ${examplesFile} is absent`, () => {
  const examples = haveExamples ? (JSON.parse(readFileSync(examplesFile, "utf8")) as Record<string, { pointer: string; example: unknown }>) : {};

  it("classifies every example by its code, with the HTTP status its spec pointer names", () => {
    expect(Object.keys(examples).length).toBeGreaterThan(0);
    for (const [code, { pointer, example }] of Object.entries(examples)) {
      const status = Number(/\.responses\.(\d{3})\./.exec(pointer)?.[1]);
      expect(Number.isInteger(status), pointer).toBe(true);
      const want = expectedByCode[code];
      if (!want) throw new Error(`no expectation for Graph error code ${code}: add it to expectedByCode`);
      const failure = classifyGraphFailure("whatsapp", "messages", status, example);
      expect(outcome(failure), `code ${code}`).toBe(want);
      expect(failure.info).toEqual({ provider: "whatsapp", operation: "messages", httpStatus: status, code });
    }
  });

  it("gives an auth failure a message that says what to do", () => {
    const f = classifyGraphFailure("whatsapp", "messages", 401, examples["190"]?.example);
    expect(f.message).toBe("whatsapp messages: the access token was refused (190 Invalid OAuth access token); reconnect the channel with a valid token");
  });
});

const graph = (code: number, extra: Record<string, unknown> = {}) => ({ error: { message: `(#${code}) error`, type: "OAuthException", code, fbtrace_id: "T", ...extra } });

describe("classifyGraphFailure", () => {
  it("WhatsApp throughput and pair limits wait, the pair limit only for that recipient", () => {
    const throughput = classifyGraphFailure("whatsapp", "messages", 400, graph(130429, { error_subcode: 2494055, error_data: { details: "throughput reached" } }));
    expect(throughput).toBeInstanceOf(ProviderRateLimited);
    expect(throughput).toMatchObject({ scope: "account", retryAfterMs: 5_000, name: "RetryAfterError", delayMs: 5_000 });
    const pair = classifyGraphFailure("whatsapp", "messages", 400, graph(131056));
    expect(pair).toMatchObject({ scope: "recipient", retryAfterMs: 6_000 });
  });

  it("takes the wait from Retry-After, else from the business-use-case header, over the default", () => {
    expect(classifyGraphFailure("messenger", "messages", 429, graph(32), { "retry-after": "7" })).toMatchObject({ retryAfterMs: 7_000 });
    const usage = JSON.stringify({ "104400000000001": [{ type: "messenger", call_count: 100, estimated_time_to_regain_access: 3 }] });
    expect(classifyGraphFailure("messenger", "messages", 400, graph(80006), { "X-Business-Use-Case-Usage": usage })).toMatchObject({ retryAfterMs: 180_000 });
    expect(classifyGraphFailure("messenger", "messages", 429, { not: "graph" })).toBeInstanceOf(ProviderRateLimited);
  });

  it("131047 and Messenger's outside-window error are window_closed, never retried", () => {
    const wa = classifyGraphFailure("whatsapp", "messages", 400, { error: { message: "Re-engagement message", code: 131047, error_data: { details: "More than 24 hours have passed" } } });
    expect(wa).toBeInstanceOf(ProviderUnrecoverable);
    expect(isWindowClosed(wa)).toBe(true);
    expect(deliveryErrorText(wa)).toBe("window closed — send a template (whatsapp messages: 131047 Re-engagement message: More than 24 hours have passed)");
    expect(isWindowClosed(classifyGraphFailure("messenger", "messages", 400, graph(10, { error_subcode: 2018278 })))).toBe(true);
    // Code 10 without that subcode is a permission problem, not the window.
    expect(classifyGraphFailure("messenger", "messages", 403, graph(10))).toMatchObject({ kind: "auth" });
  });

  it("5xx (even as HTML), transient codes and is_transient are retryable; unknown recipients are blocked", () => {
    expect(classifyGraphFailure("whatsapp", "messages", 502, "<html>Bad Gateway</html>")).toBeInstanceOf(ProviderRetryable);
    expect(classifyGraphFailure("whatsapp", "messages", 400, graph(131000))).toBeInstanceOf(ProviderRetryable);
    expect(classifyGraphFailure("whatsapp", "messages", 400, graph(999, { is_transient: true }))).toBeInstanceOf(ProviderRetryable);
    expect(classifyGraphFailure("messenger", "messages", 400, graph(551))).toMatchObject({ kind: "blocked" });
    expect(classifyGraphFailure("whatsapp", "messages", 400, graph(131026))).toMatchObject({ kind: "blocked" });
  });
});
