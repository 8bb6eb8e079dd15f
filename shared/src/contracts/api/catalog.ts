// Catalog answers beyond the product and category records: the import report and search hits.
import { z } from "zod";
import { localizedTextSchema } from "../domain.js";
import { itemsSchema } from "./envelopes.js";

export const importRowErrorSchema = z.object({ index: z.number().int(), externalId: z.string().nullable(), message: z.string() });
export type ImportRowError = z.infer<typeof importRowErrorSchema>;
/** `POST /products/import`: counts plus the rows that were rejected, by index. */
export const importReportSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  failed: z.number().int(),
  errors: z.array(importRowErrorSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const searchHitViewSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: localizedTextSchema,
  price: z.number(),
  currency: z.string(),
  score: z.number(),
});
export type SearchHitView = z.infer<typeof searchHitViewSchema>;
/** Best matches first. */
export const productSearchResultsSchema = itemsSchema(searchHitViewSchema);
export type ProductSearchResults = z.infer<typeof productSearchResultsSchema>;

/** `POST /products/images`: where the stored image is served, to put in a product's `imageUrl`. */
export const productImageUploadSchema = z.object({ imageUrl: z.string(), size: z.number().int(), contentType: z.string() });
export type ProductImageUpload = z.infer<typeof productImageUploadSchema>;
