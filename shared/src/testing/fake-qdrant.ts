// A small fake of Qdrant's REST API for the adapter's transport tests. Qdrant cannot run here; this
// fake is NOT a stand-in for Qdrant's behaviour (ranking, HNSW, consistency): the real-server
// contract run (QDRANT_URL) is. What it does check is that every request the adapter sends has the
// method, path and body shape Qdrant's REST reference documents (PUT /collections/{name},
// PUT /collections/{name}/index, PUT /collections/{name}/points, POST .../points/query,
// POST .../points/delete, POST .../points/count, GET .../exists), answering in Qdrant's
// `{ result, status, time }` envelope, so the client library and the adapter's parsing run for real
// over HTTP. Any request it does not recognise is answered 400 and recorded as a violation.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";

const name = z.string().min(1).max(255).regex(/^[A-Za-z0-9_-]+$/);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const pointIdSchema = z.union([uuid, z.number().int().nonnegative()]);
const matchCondition = z.strictObject({ key: z.string().min(1), match: z.strictObject({ value: z.union([z.string(), z.number(), z.boolean()]) }) });
const filterSchema = z.strictObject({ must: z.array(matchCondition).min(1) });
const createCollection = z.strictObject({ vectors: z.strictObject({ size: z.number().int().positive(), distance: z.enum(["Cosine", "Dot", "Euclid", "Manhattan"]) }) });
const createIndex = z.strictObject({
  field_name: z.string().min(1),
  field_schema: z.union([z.literal("keyword"), z.strictObject({ type: z.literal("keyword"), is_tenant: z.boolean().optional(), on_disk: z.boolean().optional() })]),
});
const upsertPoints = z.strictObject({
  points: z.array(z.strictObject({ id: pointIdSchema, vector: z.array(z.number()), payload: z.record(z.string(), z.unknown()).optional() })).min(1),
});
const queryPoints = z.strictObject({
  query: z.array(z.number()).min(1),
  filter: filterSchema.optional(),
  limit: z.number().int().positive().optional(),
  with_payload: z.union([z.boolean(), z.array(z.string())]).optional(),
});
const deletePoints = z.union([z.strictObject({ points: z.array(pointIdSchema).min(1) }), z.strictObject({ filter: filterSchema })]);
const countPoints = z.strictObject({ filter: filterSchema.optional(), exact: z.boolean().optional() });

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  headers: http.IncomingHttpHeaders;
}

interface Point {
  vector: number[];
  payload: Record<string, unknown>;
}
export interface FakeQdrantCollection {
  size: number;
  distance: string;
  indexes: Map<string, unknown>;
  points: Map<string, Point>;
}

export interface FakeQdrant {
  url: string;
  requests: RecordedRequest[];
  /** Requests whose shape did not match the documented API (a test expects none). */
  violations: string[];
  collections: Map<string, FakeQdrantCollection>;
  /** The next `n` requests are answered with this status (a Qdrant that is overloaded or restarting). */
  failNext(status: number, n?: number): void;
  stop(): Promise<void>;
}

function matches(payload: Record<string, unknown>, filter: z.infer<typeof filterSchema> | undefined): boolean {
  return !filter || filter.must.every((c) => payload[c.key] === c.match.value);
}

function normalized(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return n === 0 ? v : v.map((x) => x / n);
}

export interface FakeQdrantOptions {
  apiKey?: string;
  /** Listen on this port (a restart of a stopped fake at the address its clients know). */
  port?: number;
  /** Start with these collections (what a restarted Qdrant finds on its disk). */
  collections?: Map<string, FakeQdrantCollection>;
}

export async function startFakeQdrant(options: FakeQdrantOptions = {}): Promise<FakeQdrant> {
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const collections = options.collections ?? new Map<string, FakeQdrantCollection>();
  let failures: { status: number; left: number } | null = null;

  const handle = (req: RecordedRequest): { status: number; result?: unknown; error?: string } => {
    const parts = req.path.split("/").filter(Boolean);
    if (parts[0] !== "collections" || !parts[1] || !name.safeParse(parts[1]).success) return { status: 404, error: `unknown path ${req.path}` };
    const cname = parts[1];
    const rest = parts.slice(2).join("/");
    const col = collections.get(cname);
    const missing = { status: 404, error: `Not found: Collection \`${cname}\` doesn't exist!` };
    const bad = (what: string, err: z.ZodError) => {
      violations.push(`${req.method} ${req.path}: ${what}: ${err.message}`);
      return { status: 400, error: `Format error in JSON body: ${err.message}` };
    };
    const key = `${req.method} ${rest}`;
    if (key === "GET exists") return { status: 200, result: { exists: col !== undefined } };
    if (key === "GET ") {
      if (!col) return missing;
      const payload_schema = Object.fromEntries([...col.indexes].map(([f, s]) => [f, { data_type: "keyword", params: s, points: col.points.size }]));
      return { status: 200, result: { status: "green", optimizer_status: "ok", segments_count: 1, points_count: col.points.size, config: { params: { vectors: { size: col.size, distance: col.distance } } }, payload_schema } };
    }
    if (key === "PUT ") {
      const body = createCollection.safeParse(req.body);
      if (!body.success) return bad("create collection", body.error);
      if (col) return { status: 409, error: `Wrong input: Collection \`${cname}\` already exists!` };
      collections.set(cname, { size: body.data.vectors.size, distance: body.data.vectors.distance, indexes: new Map(), points: new Map() });
      return { status: 200, result: true };
    }
    if (!col) return missing;
    const done = { operation_id: requests.length, status: "completed" };
    if (key === "PUT index") {
      const body = createIndex.safeParse(req.body);
      if (!body.success) return bad("create index", body.error);
      col.indexes.set(body.data.field_name, body.data.field_schema);
      return { status: 200, result: done };
    }
    if (key === "PUT points") {
      const body = upsertPoints.safeParse(req.body);
      if (!body.success) return bad("upsert points", body.error);
      const wrong = body.data.points.find((p) => p.vector.length !== col.size);
      if (wrong) return { status: 400, error: `Wrong input: Vector dimension error: expected dim: ${col.size}, got ${wrong.vector.length}` };
      for (const p of body.data.points) col.points.set(String(p.id), { vector: col.distance === "Cosine" ? normalized(p.vector) : p.vector, payload: p.payload ?? {} });
      return { status: 200, result: done };
    }
    if (key === "POST points/query") {
      const body = queryPoints.safeParse(req.body);
      if (!body.success) return bad("query points", body.error);
      if (body.data.query.length !== col.size) return { status: 400, error: `Wrong input: Vector dimension error: expected dim: ${col.size}, got ${body.data.query.length}` };
      const q = col.distance === "Cosine" ? normalized(body.data.query) : body.data.query;
      const wp = body.data.with_payload;
      const scored = [...col.points]
        .filter(([, p]) => matches(p.payload, body.data.filter))
        .map(([id, p]) => ({
          id,
          version: 0,
          score: p.vector.reduce((s, x, i) => s + x * (q[i] ?? 0), 0),
          payload: wp === true ? p.payload : Array.isArray(wp) ? Object.fromEntries(wp.filter((k) => k in p.payload).map((k) => [k, p.payload[k]])) : undefined,
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, body.data.limit ?? 10);
      return { status: 200, result: { points: scored } };
    }
    if (key === "POST points/delete") {
      const body = deletePoints.safeParse(req.body);
      if (!body.success) return bad("delete points", body.error);
      if ("points" in body.data) for (const id of body.data.points) col.points.delete(String(id));
      else for (const [id, p] of col.points) if (matches(p.payload, body.data.filter)) col.points.delete(id);
      return { status: 200, result: done };
    }
    if (key === "POST points/count") {
      const body = countPoints.safeParse(req.body);
      if (!body.success) return bad("count points", body.error);
      return { status: 200, result: { count: [...col.points.values()].filter((p) => matches(p.payload, body.data.filter)).length } };
    }
    violations.push(`${req.method} ${req.path}: not an endpoint of Qdrant's REST API this fake knows`);
    return { status: 404, error: `unknown endpoint ${req.method} ${req.path}` };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = undefined;
      try {
        body = raw === "" ? undefined : JSON.parse(raw);
      } catch {
        violations.push(`${req.method} ${url.pathname}: body is not JSON`);
      }
      const recorded: RecordedRequest = { method: req.method ?? "", path: url.pathname, query: Object.fromEntries(url.searchParams), body, headers: req.headers };
      requests.push(recorded);
      let out: { status: number; result?: unknown; error?: string };
      if (options.apiKey !== undefined && req.headers["api-key"] !== options.apiKey) out = { status: 401, error: "Must provide an API key or an Authorization bearer token" };
      else if (failures && failures.left > 0) {
        failures.left -= 1;
        out = { status: failures.status, error: "Service Unavailable" };
      } else out = handle(recorded);
      res.writeHead(out.status, { "content-type": "application/json" });
      res.end(JSON.stringify(out.error !== undefined ? { status: { error: out.error }, time: 0 } : { result: out.result, status: "ok", time: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations,
    collections,
    failNext(status, n = 1) {
      failures = { status, left: n };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
