import { productSearchResultsSchema } from "@kaleem/shared";
import { z } from "zod";
import { defineRoute, type AnyRoute } from "../http/route.js";

export const searchRoutes: AnyRoute[] = [
  defineRoute({
    method: "get",
    path: "/search/products",
    summary: "Semantic product search over the catalog (English and Arabic)",
    tag: "catalog",
    auth: true,
    query: z.object({ q: z.string().trim().min(1).max(500), limit: z.coerce.number().int().min(1).max(50).default(10) }),
    responses: {
      200: { description: "Best matches first", schema: productSearchResultsSchema },
    },
    async handler({ caller, query, services }) {
      const result = await services.deps.productSearch.search(caller.store, query.q, query.limit);
      return {
        body: {
          // Defence in depth: a search adapter bug must not show another store's products.
          items: result.items.filter(({ product }) => product.merchantId === caller.claims.merchantId).map(({ product, score }) => ({
            id: product.id,
            externalId: product.externalId,
            name: product.name,
            price: product.price,
            currency: product.currency,
            score,
          })),
        },
      };
    },
  }),
];
