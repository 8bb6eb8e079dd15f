// Orders. Creation honours Idempotency-Key the way Stripe and the IETF draft define it: same key
// and same body replay the first response; a different body is 422; a key still in flight is 409.
import {
  AppError,
  canonicalJson,
  ConflictError,
  InsufficientStockError,
  NotFoundError,
  orderPageSchema,
  orderSchema,
  orderStatusSchema,
  plainName,
  sha256Hex,
  UnprocessableError,
  ValidationError,
  type IdempotentResponse,
  type NewOrder,
  type Order,
  type OrderItem,
  type Product,
  type TenantStore,
} from "@kaleem/shared";
import { z } from "zod";
import { readJsonBody } from "../http/body.js";
import { defineRoute, type AnyRoute } from "../http/route.js";
import type { Caller } from "../http/state.js";
import { idParams, pageQuery } from "./schemas.js";

/** Keys are kept a little over the 24 hours clients are promised. */
export const IDEMPOTENCY_TTL_SECONDS = 25 * 3600;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

class IdempotencyMismatchError extends AppError {
  constructor() {
    super("idempotency_key_reused", 422, "This Idempotency-Key was already used with a different request body");
  }
}
class IdempotencyInFlightError extends AppError {
  constructor() {
    super("idempotency_in_flight", 409, "A request with this Idempotency-Key is still being processed; retry later");
  }
}

export const orderCreateSchema = z.object({
  items: z
    .array(z.object({ productId: z.string().min(1).max(64), quantity: z.number().int().min(1).max(10_000) }))
    .min(1)
    .max(100),
  customerId: z.string().min(1).max(64).nullish(),
  conversationId: z.string().min(1).max(64).nullish(),
  paymentMethod: z.string().trim().min(1).max(50).nullish(),
  contact: z
    .object({
      name: plainName().max(200).optional(),
      phone: z.string().trim().max(50).optional(),
      email: z.string().trim().max(254).optional(),
    })
    .optional(),
  shippingAddress: z.string().trim().max(1000).nullish(),
});
type OrderCreate = z.output<typeof orderCreateSchema>;

/** Sums quantities per product so that two lines of one product check and reserve stock once. */
function mergeLines(items: OrderCreate["items"]): Map<string, number> {
  const lines = new Map<string, number>();
  for (const item of items) lines.set(item.productId, (lines.get(item.productId) ?? 0) + item.quantity);
  return lines;
}

async function loadProducts(store: TenantStore, lines: Map<string, number>): Promise<Map<string, Product>> {
  const products = new Map<string, Product>();
  const missing: string[] = [];
  for (const id of lines.keys()) {
    const product = await store.products.get(id);
    if (!product || product.status !== "active") missing.push(id);
    else products.set(id, product);
  }
  if (missing.length > 0) throw new UnprocessableError("Some products do not exist or are not for sale", { productIds: missing });
  return products;
}

function assertStock(products: Map<string, Product>, lines: Map<string, number>): void {
  const short = [...lines].flatMap(([id, quantity]) => {
    const product = products.get(id);
    return product && product.stock < quantity ? [{ productId: id, name: product.name.en || product.name.ar, requested: quantity, available: product.stock }] : [];
  });
  if (short.length > 0) {
    const list = short.map((s) => `${s.name} (requested ${s.requested}, available ${s.available})`).join(", ");
    throw new ConflictError(`Not enough stock for: ${list}`, { items: short });
  }
}

/** Creates the order and takes its stock in one store transaction; shortages become a clear 409. */
async function createWithStock(
  store: TenantStore,
  input: NewOrder,
  idempotency?: { key: string; response: (order: Order) => IdempotentResponse },
): Promise<Order> {
  try {
    return await store.orders.create({ ...input, reserveStock: true }, idempotency);
  } catch (err) {
    if (!(err instanceof InsufficientStockError)) throw err;
    const names = await Promise.all(
      err.items.map(async (i) => {
        const p = await store.products.get(i.productId);
        return `${p?.name.en || p?.name.ar || i.productId} (requested ${i.requested}, available ${i.available})`;
      }),
    );
    throw new ConflictError(`Not enough stock for: ${names.join(", ")}`, { items: err.items });
  }
}

async function buildOrder(caller: Caller, body: OrderCreate): Promise<{ input: NewOrder; lines: Map<string, number>; products: Map<string, Product> }> {
  const store = caller.store;
  if (body.conversationId && !(await store.conversations.get(body.conversationId))) {
    throw new UnprocessableError("Unknown conversation", { conversationId: body.conversationId });
  }
  if (body.customerId && !(await store.customers.get(body.customerId))) {
    throw new UnprocessableError("Unknown customer", { customerId: body.customerId });
  }
  const lines = mergeLines(body.items);
  const products = await loadProducts(store, lines);
  const currencies = new Set([...products.values()].map((p) => p.currency));
  if (currencies.size > 1) throw new UnprocessableError("All products of an order must have the same currency");
  assertStock(products, lines);
  // Prices always come from the catalog, never from the client.
  const items: OrderItem[] = [...lines].map(([id, quantity]) => {
    const product = products.get(id) as Product;
    return { productId: id, name: product.name.en || product.name.ar, price: product.price, quantity };
  });
  const input: NewOrder = {
    items,
    currency: [...currencies][0],
    customerId: body.customerId ?? null,
    conversationId: body.conversationId ?? null,
    paymentMethod: body.paymentMethod ?? null,
    contact: body.contact ?? {},
    shippingAddress: body.shippingAddress ?? null,
  };
  return { input, lines, products };
}

export const orderRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/orders",
    summary: "List orders, newest first",
    tag: "orders",
    auth: true,
    query: pageQuery.extend({
      status: orderStatusSchema.optional(),
      customerId: z.string().min(1).max(64).optional(),
      conversationId: z.string().min(1).max(64).optional(),
    }),
    responses: { 200: { description: "A page of orders", schema: orderPageSchema } },
    async handler({ caller, query }) {
      const { limit, cursor, ...filter } = query;
      return { body: await caller.store.orders.list(filter, { limit, cursor }) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/orders/:id",
    summary: "Get an order",
    tag: "orders",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The order", schema: orderSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const order = await caller.store.orders.get(params.id);
      if (!order) throw new NotFoundError("Order");
      return { body: order };
    },
  }),
  defineRoute({
    method: "post",
    path: "/orders",
    summary: "Create an order at catalog prices (send Idempotency-Key to make retries safe)",
    tag: "orders",
    auth: true,
    body: orderCreateSchema,
    headers: [
      {
        name: "Idempotency-Key",
        required: false,
        description: "Same key + same body replays the first response (Idempotent-Replayed: true); different body → 422; in flight → 409. Kept ≥ 24 h.",
      },
    ],
    responses: {
      201: { description: "Order created", schema: orderSchema },
      409: { description: "Not enough stock, or the Idempotency-Key is in flight" },
      422: { description: "Unknown products, or the Idempotency-Key was used with another body" },
    },
    async handler({ ctx, caller, body, services }) {
      const key = ctx.get("idempotency-key");
      if (key === "") {
        const { input } = await buildOrder(caller, body);
        return { status: 201, body: await createWithStock(caller.store, input) };
      }
      if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError("Idempotency-Key must be 1-255 visible ASCII characters");
      // The fingerprint covers the body as sent (already read and cached by the router).
      const requestHash = sha256Hex(`POST /orders\n${canonicalJson(await readJsonBody(ctx, services.deps.config.limits.bodyBytes))}`);
      const begun = await caller.store.idempotency.begin(key, requestHash, IDEMPOTENCY_TTL_SECONDS);
      if (begun.state === "replay") {
        // The stored reply is the one this route stored below (201 and the order), kept untyped by the store.
        const stored = begun.response as { status: 201; body: Order };
        return { status: stored.status, body: stored.body, headers: { "Idempotent-Replayed": "true" } };
      }
      if (begun.state === "mismatch") throw new IdempotencyMismatchError();
      if (begun.state === "in_flight") throw new IdempotencyInFlightError();
      try {
        const { input } = await buildOrder(caller, body);
        const order = await createWithStock(caller.store, input, { key, response: (o) => ({ status: 201, body: o }) });
        return { status: 201, body: order };
      } catch (err) {
        // Nothing was created, so the key is freed: a retry (say, once stock is back) may run again.
        await caller.store.idempotency.release(key);
        throw err;
      }
    },
  }),
];
