// Blocking a widget visitor (an inbox action): their sockets are disconnected on every node and
// their visitor token is refused at connect (`visitor_blocked`). A block names one visitor id; a
// shopper who clears their browser storage comes back as a new visitor (see SECURITY.md).
import { NotFoundError, plainName, visitorPageSchema, visitorSchema, type Visitor } from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";
import type { Caller } from "../http/state.js";
import { auditAction } from "./support.js";
import { pageQuery } from "./schemas.js";

const MANAGERS = ["owner", "admin"] as const;
const visitorParams = z.object({ visitorId: z.string().min(1).max(100) });

/**
 * The visitor as the store knows it; one it has a conversation with but no record of yet reads as
 * never identified nor blocked. Visitors the store has never seen are not found: no blind ids.
 */
async function knownVisitor(caller: Caller, visitorId: string): Promise<Visitor> {
  const stored = await caller.store.visitors.get(visitorId);
  if (stored) return stored;
  const { items } = await caller.store.conversations.list({ visitorId }, { limit: 1 });
  const seen = items[0];
  if (!seen) throw new NotFoundError("Visitor");
  return {
    visitorId,
    merchantId: caller.claims.merchantId,
    customerId: seen.customerId,
    tokenGeneration: 0,
    blockedAt: null,
    blockedBy: null,
    blockReason: null,
    createdAt: seen.createdAt,
    updatedAt: seen.createdAt,
  };
}

export const visitorRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/visitors/blocked",
    summary: "Widget visitors this store blocked, most recently blocked first",
    tag: "inbox",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of blocked visitors", schema: visitorPageSchema } },
    async handler({ caller, query }) {
      return { body: await caller.store.visitors.listBlocked(query) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/visitors/:visitorId",
    summary: "A widget visitor of this store: whether they are blocked (the inbox side panel)",
    tag: "inbox",
    auth: true,
    params: visitorParams,
    responses: { 200: { description: "The visitor", schema: visitorSchema }, 404: { description: "No such visitor in this store" } },
    async handler({ caller, params }) {
      return { body: await knownVisitor(caller, params.visitorId) };
    },
  }),
  defineRoute({
    method: "put",
    path: "/visitors/:visitorId/block",
    summary: "Block a widget visitor: their open sockets are closed and they cannot connect again (any team member)",
    tag: "inbox",
    auth: true,
    params: visitorParams,
    body: z.strictObject({ reason: plainName().max(200).optional() }),
    responses: { 200: { description: "The blocked visitor", schema: visitorSchema }, 404: { description: "No such visitor in this store" } },
    async handler({ caller, params, body, ip, services }) {
      await knownVisitor(caller, params.visitorId);
      const visitor = await caller.store.visitors.block(params.visitorId, { userId: caller.user.id, reason: body.reason || null });
      services.deps.realtime.visitorBlocked(caller.claims.merchantId, params.visitorId);
      await auditAction(caller, ip, "visitor.blocked", params.visitorId, { reason: visitor.blockReason });
      return { body: visitor };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/visitors/:visitorId/block",
    summary: "Lift a visitor's block (owners and admins)",
    tag: "inbox",
    auth: true,
    roles: MANAGERS,
    params: visitorParams,
    responses: { 200: { description: "The visitor, no longer blocked", schema: visitorSchema }, 404: { description: "The visitor is not blocked" } },
    async handler({ caller, params, ip }) {
      const visitor = await caller.store.visitors.unblock(params.visitorId);
      if (!visitor) throw new NotFoundError("Blocked visitor");
      await auditAction(caller, ip, "visitor.unblocked", params.visitorId);
      return { body: visitor };
    },
  }),
];
