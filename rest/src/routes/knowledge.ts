// Knowledge items: structured shipping/returns/payment policies and free-text FAQ entries.
import { knowledgeDataSchema, knowledgeItemSchema, knowledgePageSchema, NotFoundError, plainName } from "@kaleem/shared";
import { z } from "zod";
import type { Caller } from "../http/state.js";
import { defineRoute, type AnyRoute, type RestServices } from "../http/route.js";
import { idParams, pageQuery } from "./schemas.js";

const EDITORS = ["owner", "admin"] as const;

/** The bot keeps each store's policies and FAQ index in memory; a write drops that store's copy. */
function knowledgeChanged(services: RestServices, caller: Caller): void {
  try {
    services.deps.catalogEvents.knowledgeChanged(caller.claims.merchantId);
  } catch (err) {
    // The write stands; the bot reads the store's knowledge again when the index is next dropped.
    services.deps.logger.warn({ err }, "knowledge change notification failed");
  }
}
const title = plainName().min(1).max(200);

export const knowledgeRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/knowledge",
    summary: "List knowledge items (policies and FAQ)",
    tag: "knowledge",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of items", schema: knowledgePageSchema } },
    async handler({ caller, query }) {
      return { body: await caller.store.knowledge.list(query) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/knowledge",
    summary: "Create a knowledge item",
    tag: "knowledge",
    auth: true,
    roles: EDITORS,
    body: z.object({ title, data: knowledgeDataSchema }),
    responses: { 201: { description: "Created", schema: knowledgeItemSchema } },
    async handler({ caller, body, services }) {
      const item = await caller.store.knowledge.create(body);
      knowledgeChanged(services, caller);
      return { status: 201, body: item };
    },
  }),
  defineRoute({
    method: "get",
    path: "/knowledge/:id",
    summary: "Get a knowledge item",
    tag: "knowledge",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The item", schema: knowledgeItemSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const item = await caller.store.knowledge.get(params.id);
      if (!item) throw new NotFoundError("Knowledge item");
      return { body: item };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/knowledge/:id",
    summary: "Update a knowledge item (data is replaced as a whole)",
    tag: "knowledge",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: z.object({ title: title.optional(), data: knowledgeDataSchema.optional() }),
    responses: { 200: { description: "Updated", schema: knowledgeItemSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services }) {
      const patch = { ...(body.title !== undefined && { title: body.title }), ...(body.data !== undefined && { data: body.data }) };
      const item = await caller.store.knowledge.update(params.id, patch);
      if (!item) throw new NotFoundError("Knowledge item");
      knowledgeChanged(services, caller);
      return { body: item };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/knowledge/:id",
    summary: "Delete a knowledge item",
    tag: "knowledge",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, services }) {
      if (!(await caller.store.knowledge.remove(params.id))) throw new NotFoundError("Knowledge item");
      knowledgeChanged(services, caller);
      return { status: 204 };
    },
  }),
];
