// Local fake store-platform APIs for tests (port 0): Shopify's Admin REST (cursor pagination in the
// Link header, page_info alone on later pages, updated_at_min), Salla's Admin v2 (page/per_page and
// a pagination block) and Zid's (page/page_size, `next`). Each checks its credentials, serves the
// products and orders a test gives it, writes ids past 2^53 as bare JSON numbers (as Shopify
// does), and logs every page it served. Scripted failures (5xx, 429, hang-ups) come from
// FakeProviderServer.
import { FakeProviderServer, type FakeReply, type FakeRequest, type HandledReply, type HandlerContext } from "../../channels/testing/fake-server.js";

export type FakePlatformName = "shopify" | "salla" | "zid";
export type PlatformObject = Record<string, unknown>;

export interface FakePlatformOptions {
  platform: FakePlatformName;
  accessToken: string;
  /** Zid only: the store's X-Manager-Token. */
  managerToken?: string;
  products?: PlatformObject[];
  orders?: PlatformObject[];
}

/** JSON with digit-string ids longer than 15 digits written as bare numbers (Shopify's wire format). */
export function platformJson(value: unknown): string {
  return JSON.stringify(value).replace(/"((?:[a-z_]+_)?id)":"(\d{16,})"/g, '"$1":$2');
}

function offsetCursor(offset: number, filter: string | null): string {
  return Buffer.from(JSON.stringify({ offset, filter }), "utf8").toString("base64url");
}
function readCursor(token: string): { offset: number; filter: string | null } | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown; filter?: unknown };
    return typeof parsed.offset === "number" ? { offset: parsed.offset, filter: typeof parsed.filter === "string" ? parsed.filter : null } : null;
  } catch {
    return null;
  }
}

export class FakeCommercePlatform extends FakeProviderServer {
  readonly platform: FakePlatformName;
  products: PlatformObject[];
  orders: PlatformObject[];
  /** Every page served, as "<resource>:<page or offset>". */
  readonly pagesServed: string[] = [];
  private readonly accessToken: string;
  private readonly managerToken: string;

  constructor(options: FakePlatformOptions) {
    super((req, ctx) => this.route(req, ctx), (req) => FakeCommercePlatform.resourceOf(req));
    this.platform = options.platform;
    this.accessToken = options.accessToken;
    this.managerToken = options.managerToken ?? "";
    this.products = options.products ?? [];
    this.orders = options.orders ?? [];
  }

  get apiBaseUrl(): string {
    return this.url;
  }

  static resourceOf(req: FakeRequest): string {
    return /orders/.test(req.path) ? "orders" : /products/.test(req.path) ? "products" : "other";
  }

  private authorized(req: FakeRequest): boolean {
    const h = req.headers;
    if (this.platform === "shopify") return h["x-shopify-access-token"] === this.accessToken;
    if (this.platform === "salla") return h.authorization === `Bearer ${this.accessToken}`;
    return h.authorization === `Bearer ${this.accessToken}` && h["x-manager-token"] === this.managerToken && typeof h["store-id"] === "string";
  }

  private json(operation: string, body: unknown, headers: Record<string, string> = {}): HandledReply {
    const reply: FakeReply = { status: 200, raw: Buffer.from(platformJson(body), "utf8"), headers: { "content-type": "application/json", ...headers } };
    return this.handled(operation, reply, "accepted");
  }

  private route(req: FakeRequest, ctx: HandlerContext): HandledReply {
    const resource = FakeCommercePlatform.resourceOf(req);
    if (ctx.scripted) {
      const s = ctx.scripted;
      if (s.kind === "server_error") return this.handled(resource, { status: s.status ?? 500, body: { error: "internal" } }, "scripted");
      if (s.kind === "rate_limited") return this.handled(resource, { status: 429, body: { error: "throttled" }, headers: { "retry-after": String(s.retryAfterSeconds ?? 1) } }, "scripted");
      if (s.kind === "auth") return this.handled(resource, { status: 401, body: { error: "unauthorized" } }, "scripted");
      if (s.kind === "reply") return this.handled(resource, s.reply, "scripted");
    }
    if (req.method !== "GET") return this.handled(resource, { status: 405, body: { error: "method" } }, "rejected", `${req.method} is not a read`);
    if (!this.authorized(req)) return this.handled(resource, { status: 401, body: { error: "invalid credentials" } }, "refused");
    const items = resource === "orders" ? this.orders : resource === "products" ? this.products : null;
    if (items === null) return this.handled(resource, { status: 404, body: { error: "not found" } }, "rejected", `unknown path ${req.path}`);
    if (this.platform === "shopify") return this.shopify(req, resource, items);
    if (this.platform === "salla") return this.salla(req, resource, items);
    return this.zid(req, resource, items);
  }

  private shopify(req: FakeRequest, resource: string, items: PlatformObject[]): HandledReply {
    if (!/^\/admin\/api\/\d{4}-\d{2}\/(products|orders)\.json$/.test(req.path)) return this.handled(resource, { status: 404, body: { errors: "Not Found" } }, "rejected", `unknown path ${req.path}`);
    const limit = Math.min(250, Number(req.query.get("limit") ?? "50"));
    const pageInfo = req.query.get("page_info");
    // Shopify: a request with page_info may carry no other filter than limit.
    if (pageInfo !== null && [...req.query.keys()].some((k) => k !== "page_info" && k !== "limit")) {
      return this.handled(resource, { status: 400, body: { errors: { page_info: "Invalid combination" } } }, "rejected", "page_info sent with other filters");
    }
    const cursor = pageInfo !== null ? readCursor(pageInfo) : { offset: 0, filter: req.query.get("updated_at_min") };
    if (cursor === null) return this.handled(resource, { status: 400, body: { errors: { page_info: "Invalid value" } } }, "rejected", "unreadable page_info");
    const filtered = cursor.filter ? items.filter((i) => String(i.updated_at ?? "") >= cursor.filter!) : items;
    const page = filtered.slice(cursor.offset, cursor.offset + limit);
    this.pagesServed.push(`${resource}:${cursor.offset}`);
    const next = cursor.offset + limit < filtered.length ? offsetCursor(cursor.offset + limit, cursor.filter) : null;
    const link: Record<string, string> = next ? { link: `<${this.url}${req.path}?limit=${limit}&page_info=${next}>; rel="next"` } : {};
    return this.json(resource, { [resource]: page }, link);
  }

  private salla(req: FakeRequest, resource: string, items: PlatformObject[]): HandledReply {
    const page = Math.max(1, Number(req.query.get("page") ?? "1"));
    const perPage = Math.max(1, Number(req.query.get("per_page") ?? "15"));
    const from = req.query.get("from_date");
    const filtered = resource === "orders" && from ? items.filter((o) => String((o.date as { date?: string } | undefined)?.date ?? "") >= from) : items;
    const totalPages = Math.max(1, Math.ceil(filtered.length / perPage));
    this.pagesServed.push(`${resource}:${page}`);
    return this.json(resource, {
      status: 200,
      success: true,
      data: filtered.slice((page - 1) * perPage, page * perPage),
      pagination: { count: filtered.length, total: filtered.length, perPage, currentPage: page, totalPages, links: page < totalPages ? { next: `${this.url}${req.path}?page=${page + 1}` } : [] },
    });
  }

  private zid(req: FakeRequest, resource: string, items: PlatformObject[]): HandledReply {
    const page = Math.max(1, Number(req.query.get("page") ?? "1"));
    const size = Math.max(1, Number(req.query.get(resource === "products" ? "page_size" : "per_page") ?? "10"));
    const slice = items.slice((page - 1) * size, page * size);
    this.pagesServed.push(`${resource}:${page}`);
    if (resource === "products") {
      const next = page * size < items.length ? `${this.url}${req.path}?page=${page + 1}&page_size=${size}` : null;
      return this.json(resource, { count: items.length, next, previous: page > 1 ? `${this.url}${req.path}?page=${page - 1}` : null, results: slice });
    }
    return this.json(resource, { status: "object", orders: slice, total_order_count: items.length, message: { type: "object", code: null, name: null, description: null } });
  }
}

export async function startFakeCommercePlatform(options: FakePlatformOptions): Promise<FakeCommercePlatform> {
  return new FakeCommercePlatform(options).start();
}
