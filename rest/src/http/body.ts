// Reads request bodies ourselves: the exact bytes stay on ctx.state.rawBody (webhook signatures are
// computed over them), the size limit is enforced while reading, and JSON routes only accept JSON.
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from "@kaleem/shared";
import { BadJsonError } from "./errors.js";
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new BadJsonError();
  }
  rejectOperatorKeys(parsed);
  return parsed;
}

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Query-operator-shaped keys (`$where`, `$gt`, `a.b`) have no meaning in our API and are how NoSQL
 * injection reaches a database; prototype keys are how prototype pollution does. Reject both.
 */
export function rejectOperatorKeys(value: unknown, path: string[] = []): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => rejectOperatorKeys(item, [...path, String(i)]));
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const key of Object.keys(value)) {
    if (key.startsWith("$") || key.includes(".") || FORBIDDEN_KEYS.has(key)) {
      throw new ValidationError(`Field name "${key}" is not allowed`, [{ path: [...path, key].join("."), message: "operator-like or reserved key" }]);
    }
    rejectOperatorKeys((value as Record<string, unknown>)[key], [...path, key]);
  }
}
