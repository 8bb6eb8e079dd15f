// Files the search evaluation reads: a catalog in the /products/import format and graded
// queries. Validated so a malformed file fails with the path of the bad field.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { TenantStore } from "@kaleem/shared";
import { ValidationError } from "@kaleem/shared";

const localized = z.object({ en: z.string().default(""), ar: z.string().default("") });

export const catalogProductSchema = z.object({
  externalId: z.string().min(1),
  name: localized,
  description: localized.default({ en: "", ar: "" }),
  category: z.string().min(1).nullish(),
  price: z.number().nonnegative(),
  currency: z.string().default("SAR"),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
  stock: z.number().int().default(0),
  tags: z.array(z.string()).default([]),
  imageUrl: z.string().nullish(),
  url: z.string().nullish(),
  status: z.enum(["active", "draft", "archived"]).default("active"),
});
export const catalogFileSchema = z.object({ products: z.array(catalogProductSchema) });
export type CatalogFile = z.infer<typeof catalogFileSchema>;

export const evalQuerySchema = z.object({
  id: z.string().min(1),
  q: z.string(),
  kind: z.string().default("unspecified"),
  lang: z.string().optional(),
  /** externalId → grade (2 exact, 1 acceptable substitute); empty when the store does not sell it. */
  relevant: z.record(z.string(), z.number().int().min(0).max(3)).default({}),
});
export const queriesFileSchema = z.object({ queries: z.array(evalQuerySchema) });
export type EvalQuery = z.infer<typeof evalQuerySchema>;

export function readJsonFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ValidationError(`${file}: cannot read JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new ValidationError(`${file}: invalid\n${issues}`);
  }
  return parsed.data;
}

/** Imports products the way /products/import does: category slugs are created, upsert by externalId. */
export async function importCatalog(store: TenantStore, catalog: CatalogFile): Promise<number> {
  const categoryIds = new Map<string, string>();
  let count = 0;
  for (const p of catalog.products) {
    let categoryId: string | null = null;
    if (p.category) {
      const slug = p.category.trim().toLowerCase();
      categoryId = categoryIds.get(slug) ?? (await store.categories.ensure({ slug })).id;
      categoryIds.set(slug, categoryId);
    }
    await store.products.upsertByExternalId(p.externalId, {
      externalId: p.externalId,
      name: p.name,
      description: p.description,
      categoryId,
      price: p.price,
      currency: p.currency,
      attributes: p.attributes,
      stock: p.stock,
      tags: p.tags,
      imageUrl: p.imageUrl ?? null,
      url: p.url ?? null,
      status: p.status,
    });
    count++;
  }
  return count;
}
