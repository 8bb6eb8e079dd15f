// Issue 15, item 7: what a scanner sends — WebDAV and TRACE methods, paths that match nothing,
// hostile JSON — gets a clean 4xx/501 in the one error shape, is rate-limited per IP like any
// anonymous request, and is logged at info (never error, which pages someone).
import { createLogger } from "@kaleem/shared";
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startTestRest, type Session, type TestRest } from "./harness.test-helpers.js";

const PINO_ERROR = 50;
const PINO_INFO = 30;

interface LogLine {
  level: number;
  msg: string;
  status?: number;
  code?: string;
}
let lines: LogLine[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString("utf8").split("\n")) if (text.trim() !== "") lines.push(JSON.parse(text) as LogLine);
    done();
  },
});

let t: TestRest;
let s: Session;
beforeAll(async () => {
  t = await startTestRest({ RATE_LIMIT_PER_MINUTE: "6" }, { logger: createLogger({ level: "debug", destination: sink }) });
  s = await t.signup("Scanner");
});
beforeEach(() => {
  lines = [];
});
afterAll(async () => t?.close());

const errorLines = () => lines.filter((l) => l.level >= PINO_ERROR);

describe("unknown methods", () => {
  it("answers TRACE, PROPFIND, MKCOL and other unserved methods with 501 on every path, without an error log", async () => {
    let n = 0;
    for (const method of ["TRACE", "PROPFIND", "MKCOL", "LOCK", "SEARCH"]) {
      for (const path of ["/api/v1/me", "/api/v1/no-such-route", "/healthz", "/"]) {
        // A fresh source address every few requests: this test is about the answer, not the limit.
        const from = `127.0.0.${30 + Math.floor(n++ / 4)}`;
        const res = await t.request(method, path, { token: s.token, from });
        expect(res.status, `${method} ${path}`).toBe(501);
        expect(res.body).toEqual({ error: { code: "method_not_implemented", message: "Method not implemented" } });
        expect(res.text).not.toContain("stack");
      }
    }
    expect(errorLines()).toEqual([]);
    const requestLines = lines.filter((l) => l.msg === "request" && l.status === 501);
    expect(requestLines.length).toBe(20);
    expect(requestLines.every((l) => l.level === PINO_INFO && l.code === "method_not_implemented")).toBe(true);
  });

  it("answers a served method on the wrong route with 405", async () => {
    const res = await t.request("PUT", "/api/v1/me", { token: s.token, from: "127.0.0.60" });
    expect(res.status).toBe(405);
    expect(res.body.error.code).toBe("method_not_allowed");
    expect(errorLines()).toEqual([]);
  });

  it("logs hostile JSON as a client error at info", async () => {
    const res = await t.request("POST", "/api/v1/auth/login", {
      from: "127.0.0.61",
      rawBody: `{"a":${"[".repeat(6000)}${"]".repeat(6000)}}`,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(errorLines()).toEqual([]);
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ level: PINO_INFO, status: 400, code: "body_too_complex" });
  });
});

describe("requests that match no route", () => {
  it("are rate-limited per source address (429 with Retry-After), other addresses unaffected", async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      // Unknown paths, an unknown method and a wrong method all count against the same address.
      const [method, path] = i % 3 === 0 ? ["TRACE", "/"] : i % 3 === 1 ? ["GET", `/api/v1/scan-${i}`] : ["DELETE", "/api/v1/me"];
      const res = await t.request(method!, path!, { from: "127.0.0.70" });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get("retry-after");
    }
    expect(statuses.slice(0, 6)).toEqual([501, 404, 405, 501, 404, 405]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect((await t.request("GET", "/api/v1/scan-other", { from: "127.0.0.71" })).status).toBe(404);
    expect(errorLines()).toEqual([]);
  });
});
