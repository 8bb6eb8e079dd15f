// Reads request bodies ourselves: the exact bytes stay on ctx.state.rawBody (webhook signatures are
// computed over them), the size limit is enforced while reading, and JSON routes only accept JSON.
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "@kaleem/shared";
import { BadJsonError, BodyTooComplexError } from "./errors.js";
import type { RestContext } from "./state.js";

function hasBody(ctx: RestContext): boolean {
  const length = ctx.get("content-length");
  if (length !== "") return Number(length) > 0;
  return ctx.get("transfer-encoding") !== "";
}

/** Reads the whole body once (later calls return the same bytes). Throws 413 past `limitBytes`. */
export async function readRawBody(ctx: RestContext, limitBytes: number): Promise<Buffer> {
  if (ctx.state.rawBody) return ctx.state.rawBody;
  const declared = ctx.get("content-length");
  if (declared !== "" && Number(declared) > limitBytes) throw new PayloadTooLargeError(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  const req = ctx.req;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanup();
        // Stop buffering; Node discards the rest of the body once the response is sent.
        reject(new PayloadTooLargeError(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve();
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
  const raw = Buffer.concat(chunks, size);
  ctx.state.rawBody = raw;
  return raw;
}

/** Legitimate bodies nest a handful of levels (a shipping zone's localized name is 5 deep). */
export const MAX_JSON_DEPTH = 32;
/** The widest legitimate object is a product's attributes (at most 100). */
export const MAX_JSON_KEYS_PER_OBJECT = 1000;
/** A full catalog import (2,000 rows with their attributes) stays well below this. */
export const MAX_JSON_KEYS = 100_000;

const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * One pass over the text, before JSON.parse ever sees it: nesting depth, keys per object and keys
 * in total, so that a hostile body is refused with a 400 in linear time instead of overflowing the
 * parser's or our own stack. Malformed JSON is left for JSON.parse to report.
 */
export function assertJsonShape(text: string): void {
  // keysAt[d]: keys seen so far in the object open at depth d (-1 for an array).
  const keysAt: number[] = [];
  let depth = 0;
  let totalKeys = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (depth === MAX_JSON_DEPTH) throw new BodyTooComplexError(`JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
      keysAt[depth++] = c === OPEN_OBJECT ? 0 : -1;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--;
    } else if (c === COLON && depth > 0 && (keysAt[depth - 1] ?? -1) >= 0) {
      const keys = (keysAt[depth - 1] ?? 0) + 1;
      keysAt[depth - 1] = keys;
      if (keys > MAX_JSON_KEYS_PER_OBJECT) throw new BodyTooComplexError(`A JSON object has more than ${MAX_JSON_KEYS_PER_OBJECT} keys`);
      if (++totalKeys > MAX_JSON_KEYS) throw new BodyTooComplexError(`JSON has more than ${MAX_JSON_KEYS} keys`);
    }
  }
}

/**
 * Reads a JSON body. An empty body reads as `{}` so that schemas report the missing fields; a
 * non-empty body must be declared application/json (415 otherwise).
 */
export async function readJsonBody(ctx: RestContext, limitBytes: number): Promise<unknown> {
  const type = ctx.get("content-type");
  if (type !== "" && !ctx.is("application/json")) throw new UnsupportedMediaTypeError("application/json");
  if (!hasBody(ctx)) return {};
  if (type === "") throw new UnsupportedMediaTypeError("application/json");
  const raw = await readRawBody(ctx, limitBytes);
  if (raw.length === 0) return {};
  let text: string;
  try {
    // JSON is UTF-8 (RFC 8259): bytes that are not are refused, not silently replaced with U+FFFD.
    text = STRICT_UTF8.decode(raw);
  } catch {
    throw new BadJsonError();
  }
  assertJsonShape(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadJsonError();
  }
  rejectOperatorKeys(parsed);
  return parsed;
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const isOperatorLike = (key: string) => key.startsWith("$") || key.includes(".") || FORBIDDEN_KEYS.has(key);

/**
 * Query-operator-shaped keys (`$where`, `$gt`, `a.b`) have no meaning in our API and are how NoSQL
 * injection reaches a database; prototype keys are how prototype pollution does. Reject both.
 * One walk with one path stack (pushed and popped, joined only for the error), so the cost is
 * linear in the size of the value; deeper than MAX_JSON_DEPTH is refused rather than recursed into.
 */
export function rejectOperatorKeys(value: unknown): void {
  const path: string[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== "object") return;
    if (path.length >= MAX_JSON_DEPTH) throw new BodyTooComplexError(`JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(String(i));
        walk(node[i]);
        path.pop();
      }
      return;
    }
    for (const key of Object.keys(node)) {
      if (isOperatorLike(key)) {
        throw new ValidationError(`Field name "${key}" is not allowed`, [{ path: [...path, key].join("."), message: "operator-like or reserved key" }]);
      }
      path.push(key);
      walk((node as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(value);
}

/** Query parameter names are plain identifiers: `status[$ne]`, `a.b` and `$where` are refused, not ignored. */
const QUERY_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export function assertPlainQueryKeys(query: Record<string, unknown>): void {
  for (const key of Object.keys(query)) {
    if (!QUERY_KEY.test(key) || FORBIDDEN_KEYS.has(key)) {
      throw new ValidationError(`Query parameter "${key}" is not allowed`, [{ path: key, message: "query parameter names are plain words; operators are not supported" }]);
    }
  }
}
