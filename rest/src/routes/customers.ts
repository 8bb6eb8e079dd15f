// Shoppers as the inbox side panel shows them: name, contact and the channel they came from.
import { customerSchema, NotFoundError } from "@kaleem/shared";
import { defineRoute, type AnyRoute } from "../http/route.js";
import { idParams } from "./schemas.js";

export const customerRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/customers/:id",
    summary: "Get a shopper's record (name, email, phone, channel)",
    tag: "inbox",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The customer", schema: customerSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const customer = await caller.store.customers.get(params.id);
      if (!customer) throw new NotFoundError("Customer");
      return { body: customer };
    },
  }),
];
