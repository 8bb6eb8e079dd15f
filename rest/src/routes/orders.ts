// Orders: the dashboard's list (filters, search, cursor pages), an order's detail with where it came
// from, its status moves (confirm → ship → deliver, or cancel; audited and put in the outbox for
// outgoing webhooks), and creation at catalog prices under an Idempotency-Key.
import {
  ConflictError,
  conversationChannelSchema,
  InsufficientStockError,
  NotFoundError,
  ORDER_STATUS_NEXT,
  orderDetailSchema,
  orderPageSchema,
  orderSchema,
  orderStatusSchema,
  plainName,
  UnprocessableError,
  type IdempotentResponse,
  type NewOrder,
  type Order,
  type OrderDetail,
  type OrderItem,
  type OrderListItem,
  type Product,
  type TenantStore,
} from "@kaleem/shared";
import { z } from "zod";
import { IDEMPOTENCY_HEADER_DOC, withIdempotencyKey } from "../http/idempotency.js";
import { defineRoute, type AnyRoute } from "../http/route.js";
import type { Caller } from "../http/state.js";
import { idParams, pageQuery } from "./schemas.js";
import { auditAction } from "./support.js";

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

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Must be a date as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), "Not a calendar date");

const listQuery = pageQuery
  .extend({
    status: orderStatusSchema.optional(),
    customerId: z.string().min(1).max(64).optional(),
    conversationId: z.string().min(1).max(64).optional(),
    channel: conversationChannelSchema.optional(),
    /** UTC days, `to` inclusive (as analytics reads them). */
    from: day.optional(),
    to: day.optional(),
    q: z.string().trim().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: "from must not be after to", path: ["from"] });

const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();

async function readEach<T>(ids: Iterable<string>, get: (id: string) => Promise<T | null>): Promise<Map<string, T | null>> {
  return new Map(await Promise.all([...new Set(ids)].map(async (id) => [id, await get(id)] as const)));
}

/** Orders with their channel and who placed them; each conversation and customer is read once per page. */
async function listItems(store: TenantStore, orders: Order[]): Promise<OrderListItem[]> {
  const conversations = await readEach(orders.flatMap((o) => (o.conversationId ? [o.conversationId] : [])), (id) => store.conversations.get(id));
  const customers = await readEach(orders.flatMap((o) => (o.customerId && !o.contact.name ? [o.customerId] : [])), (id) => store.customers.get(id));
  return orders.map((order) => ({
    ...order,
    channel: (order.conversationId && conversations.get(order.conversationId)?.channel) || null,
    customerName: order.contact.name || (order.customerId && customers.get(order.customerId)?.name) || null,
  }));
}

async function orderDetail(store: TenantStore, order: Order): Promise<OrderDetail> {
  const [customer, conversation] = await Promise.all([
    order.customerId ? store.customers.get(order.customerId) : null,
    order.conversationId ? store.conversations.get(order.conversationId) : null,
  ]);
  return {
    ...order,
    channel: conversation?.channel ?? null,
    customerName: order.contact.name || customer?.name || null,
    customer: customer ? { id: customer.id, name: customer.name, email: customer.email, phone: customer.phone, channel: customer.channel } : null,
    conversation: conversation ? { id: conversation.id, channel: conversation.channel, status: conversation.status, lastMessageAt: conversation.lastMessageAt } : null,
  };
}

const statusBody = z.strictObject({ status: orderStatusSchema.exclude(["pending"]) });

export const orderRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/orders",
    summary:
      "List orders, newest first: by status, customer, conversation, channel and creation day (UTC, to inclusive); q searches the order number, phone (as E.164), email and name",
    tag: "orders",
    auth: true,
    query: listQuery,
    responses: { 200: { description: "A page of orders", schema: orderPageSchema } },
    async handler({ caller, query }) {
      const { limit, cursor, from, to, ...filter } = query;
      const page = await caller.store.orders.list(
        { ...filter, ...(from && { createdFrom: `${from}T00:00:00.000Z` }), ...(to && { createdBefore: nextDay(to) }) },
        { limit, cursor },
      );
      return { body: { items: await listItems(caller.store, page.items), nextCursor: page.nextCursor } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/orders/:id",
    summary: "Get an order with its items, fees, customer and the conversation it came from",
    tag: "orders",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The order", schema: orderDetailSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const order = await caller.store.orders.get(params.id);
      if (!order) throw new NotFoundError("Order");
      return { body: await orderDetail(caller.store, order) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/orders/:id/status",
    summary: "Move an order on: pending → confirmed → shipped → delivered, or cancelled before delivery (audited; emitted as order.status_changed)",
    tag: "orders",
    auth: true,
    params: idParams,
    body: statusBody,
    responses: {
      200: { description: "The order after the change", schema: orderDetailSchema },
      404: { description: "Not found" },
      409: { description: "Not a move allowed from the order's status, or someone changed it first" },
    },
    async handler({ caller, params, body, ip }) {
      const order = await caller.store.orders.get(params.id);
      if (!order) throw new NotFoundError("Order");
      const allowed = ORDER_STATUS_NEXT[order.status];
      if (!allowed.includes(body.status)) {
        const can = allowed.length > 0 ? `it can go to ${allowed.join(" or ")}` : "it cannot change any more";
        throw new ConflictError(`Order ${order.number} is ${order.status}; ${can}`, { status: order.status, allowed });
      }
      // Compare-and-set: two people clicking at once change it once, and the event is written with the change.
      const updated = await caller.store.orders.updateStatus(order.id, body.status, {
        onlyFrom: [order.status],
        outbox: (after, before) => [
          {
            topic: "order.status_changed",
            payload: { orderId: after.id, number: after.number, from: before.status, to: after.status, actorId: caller.user.id, changedAt: after.updatedAt },
          },
        ],
      });
      if (!updated) throw new NotFoundError("Order");
      await auditAction(caller, ip, "order.status_changed", order.id, { number: order.number, from: order.status, to: updated.status });
      return { body: await orderDetail(caller.store, updated) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/orders",
    summary: "Create an order at catalog prices (send Idempotency-Key to make retries safe)",
    tag: "orders",
    auth: true,
    body: orderCreateSchema,
    headers: [IDEMPOTENCY_HEADER_DOC],
    responses: {
      201: { description: "Order created", schema: orderSchema },
      409: { description: "Not enough stock, or the Idempotency-Key is in flight" },
      422: { description: "Unknown products, or the Idempotency-Key was used with another body" },
    },
    async handler({ ctx, caller, body, services }) {
      return withIdempotencyKey<Order>(ctx, caller.store, { label: "POST /orders", bodyBytes: services.deps.config.limits.bodyBytes }, async (key) => {
        const { input } = await buildOrder(caller, body);
        // With a key, the order and the reply stored for replays are written in one transaction.
        const order = await createWithStock(caller.store, input, key ? { key, response: (o) => ({ status: 201, body: o }) } : undefined);
        return { status: 201, body: order, completed: key !== null };
      });
    },
  }),
];
