import { auditPageSchema } from "@kaleem/shared";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { pageQuery } from "./schemas.js";

export const auditRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/audit",
    summary: "The store's audit log, newest first",
    tag: "settings",
    auth: true,
    roles: ["owner", "admin"],
    query: pageQuery,
    responses: { 200: { description: "A page of audit rows", schema: auditPageSchema } },
    async handler({ caller, query }) {
      return { body: await caller.store.audit.list(query) };
    },
  }),
];
