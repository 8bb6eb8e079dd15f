// Products and categories. A product's category may be given as a slug; a missing one is created.
import {
  AppError,
  categoryPageSchema,
  categorySchema,
  ConflictError,
  importReportSchema,
  MAX_PRODUCT_IMAGE_BYTES,
  newId,
  NotFoundError,
  PayloadTooLargeError,
  PRODUCT_IMAGE_KEY_PREFIX,
  PRODUCT_IMAGE_TYPES,
  productImagePath,
  productImageUploadSchema,
  productImageUrlSchema,
  productPageSchema,
  plainName,
  productSchema,
  productStatusSchema,
  type ImportRowError,
  type NewProduct,
  type Product,
  type ProductPatch,
  type TenantStore,
  ValidationError,
} from "@kaleem/shared";
import { z } from "zod";
import type { Caller } from "../http/state.js";
import { defineRoute, type AnyRoute, type RestServices } from "../http/route.js";
import { httpUrl, idParams, localizedInput, localizedPatch, pageQuery } from "./schemas.js";

const EDITORS = ["owner", "admin"] as const;
export const MAX_IMPORT_ROWS = 2000;

const slugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(64)
  .transform((s) => s.replace(/\s+/g, "-"))
  .pipe(z.string().regex(/^[\p{L}\p{N}][\p{L}\p{N}_-]*$/u, "Use letters, digits, '-' or '_'"));

const money = z.number().finite().nonnegative().max(1_000_000_000);
const productFields = {
  externalId: z.string().trim().min(1).max(128).nullish(),
  description: localizedPatch(5000).optional(),
  category: slugSchema.nullish(),
  price: money,
  currency: z.string().regex(/^[A-Z]{3}$/, "Use an ISO 4217 code like SAR").optional(),
  // Platform exports carry numbers and flags as they are ("pieces": 3, "waterproof": true);
  // attributes are kept as text, the way shoppers read them.
  attributes: z
    .record(
      z.string().min(1).max(100),
      z.union([z.string().max(1000), z.number().finite().transform(String), z.boolean().transform(String)]),
    )
    .refine((r) => Object.keys(r).length <= 100, "At most 100 attributes")
    .optional(),
  stock: z.number().int().min(0).max(1_000_000_000).optional(),
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  // The one image rule (shared/src/contracts/images.ts): http(s), or a path on this installation.
  imageUrl: productImageUrlSchema.nullish(),
  url: httpUrl.nullish(),
  status: productStatusSchema.optional(),
};

export const productCreateSchema = z.object({ ...productFields, name: localizedInput(300, plainName) });
export const productImportRowSchema = productCreateSchema.extend({ externalId: z.string().trim().min(1).max(128) });
export const productPatchSchema = z.object({
  ...productFields,
  name: localizedPatch(300, plainName).optional(),
  price: money.optional(),
});

type ProductCreate = z.output<typeof productCreateSchema>;

async function categoryIdFor(store: TenantStore, slug: string | null | undefined): Promise<string | null | undefined> {
  if (slug === undefined) return undefined;
  if (slug === null) return null;
  return (await store.categories.ensure({ slug })).id;
}

async function toNewProduct(store: TenantStore, input: ProductCreate): Promise<NewProduct> {
  return {
    externalId: input.externalId ?? null,
    name: input.name,
    description: { en: input.description?.en ?? "", ar: input.description?.ar ?? "" },
    categoryId: (await categoryIdFor(store, input.category)) ?? null,
    price: input.price,
    currency: input.currency,
    attributes: input.attributes,
    stock: input.stock,
    tags: input.tags,
    imageUrl: input.imageUrl ?? null,
    url: input.url ?? null,
    status: input.status,
  };
}

function notifyCatalog(services: RestServices, caller: Caller, changed: string[], removed: string[] = []): void {
  if (changed.length === 0 && removed.length === 0) return;
  try {
    services.deps.catalogEvents.productsChanged(caller.claims.merchantId, changed, removed);
  } catch (err) {
    // The index catches up on its next rebuild; a failed notification must not fail the write.
    services.deps.logger.warn({ err }, "catalog change notification failed");
  }
}

async function assertExternalIdFree(store: TenantStore, externalId: string | null | undefined, selfId?: string): Promise<void> {
  if (!externalId) return;
  const existing = await store.products.getByExternalId(externalId);
  if (existing && existing.id !== selfId) throw new ConflictError(`Another product already has externalId "${externalId}"`);
}

function issueMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const imageTypes = Object.keys(PRODUCT_IMAGE_TYPES) as [keyof typeof PRODUCT_IMAGE_TYPES, ...(keyof typeof PRODUCT_IMAGE_TYPES)[]];
export const productImageBodySchema = z.object({
  contentType: z.enum(imageTypes),
  /** The file's bytes, base64 (JSON is the API's only body type). */
  data: z
    .string()
    .max(Math.ceil(MAX_PRODUCT_IMAGE_BYTES / 3) * 4 + 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, "data must be base64"),
});

/** The first bytes each accepted type starts with: a file whose bytes say otherwise is refused. */
function looksLike(contentType: keyof typeof PRODUCT_IMAGE_TYPES, bytes: Buffer): boolean {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  switch (contentType) {
    case "image/png":
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case "image/jpeg":
      return starts(0xff, 0xd8, 0xff);
    case "image/gif":
      return bytes.subarray(0, 6).toString("latin1") === "GIF87a" || bytes.subarray(0, 6).toString("latin1") === "GIF89a";
    case "image/webp":
      return bytes.subarray(0, 4).toString("latin1") === "RIFF" && bytes.subarray(8, 12).toString("latin1") === "WEBP";
  }
}

export const catalogRoutes: AnyRoute[] = [
  defineRoute({
    method: "post",
    path: "/products/images",
    summary: "Upload a product image into the store's object storage; answers the imageUrl to save on a product",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    body: productImageBodySchema,
    responses: { 201: { description: "Stored", schema: productImageUploadSchema }, 413: { description: "Larger than the image limit" } },
    async handler({ caller, body, services }) {
      const bytes = Buffer.from(body.data, "base64");
      if (bytes.length === 0) throw new ValidationError("The image is empty");
      if (bytes.length > MAX_PRODUCT_IMAGE_BYTES) throw new PayloadTooLargeError(MAX_PRODUCT_IMAGE_BYTES);
      if (!looksLike(body.contentType, bytes)) throw new ValidationError(`The file is not a ${body.contentType} image`);
      const file = `${newId()}.${PRODUCT_IMAGE_TYPES[body.contentType]}`;
      const info = await services.deps.objects
        .forMerchant(caller.claims.merchantId)
        .put(PRODUCT_IMAGE_KEY_PREFIX + file, bytes, { contentType: body.contentType, maxBytes: MAX_PRODUCT_IMAGE_BYTES });
      return { status: 201, body: { imageUrl: productImagePath(caller.claims.merchantId, file), size: info.size, contentType: info.contentType } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/products",
    summary: "List products (newest first) with filters",
    tag: "catalog",
    auth: true,
    query: pageQuery.extend({
      status: productStatusSchema.optional(),
      category: z.string().trim().min(1).max(64).optional(),
      minPrice: z.coerce.number().nonnegative().optional(),
      maxPrice: z.coerce.number().nonnegative().optional(),
      q: z.string().trim().min(1).max(200).optional(),
    }),
    responses: { 200: { description: "A page of products", schema: productPageSchema } },
    async handler({ caller, query }) {
      const { limit, cursor, category, ...filter } = query;
      let categoryId: string | undefined;
      if (category !== undefined) {
        const found = (await caller.store.categories.getBySlug(category.toLowerCase())) ?? (await caller.store.categories.get(category));
        if (!found) return { body: { items: [], nextCursor: null } };
        categoryId = found.id;
      }
      return { body: await caller.store.products.listJson({ ...filter, categoryId }, { limit, cursor }) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/products",
    summary: "Create a product",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    body: productCreateSchema,
    responses: { 201: { description: "Created", schema: productSchema }, 409: { description: "externalId already used" } },
    async handler({ caller, body, services }) {
      await assertExternalIdFree(caller.store, body.externalId);
      const product = await caller.store.products.create(await toNewProduct(caller.store, body));
      notifyCatalog(services, caller, [product.id]);
      return { status: 201, body: product };
    },
  }),
  defineRoute({
    method: "post",
    path: "/products/import",
    summary: "Import products, upserting by externalId; invalid rows are reported by index and the rest imported",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    body: z.object({ products: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS) }),
    responses: {
      200: { description: "Import summary", schema: importReportSchema },
    },
    async handler({ caller, body, services }) {
      let created = 0;
      let updated = 0;
      const errors: ImportRowError[] = [];
      const changed: string[] = [];
      for (const [index, row] of body.products.entries()) {
        const parsed = productImportRowSchema.safeParse(row);
        const rawExternalId = (row as { externalId?: unknown } | null)?.externalId;
        if (!parsed.success) {
          errors.push({ index, externalId: typeof rawExternalId === "string" ? rawExternalId : null, message: issueMessage(parsed.error) });
          continue;
        }
        try {
          const input = await toNewProduct(caller.store, parsed.data);
          const result = await caller.store.products.upsertByExternalId(parsed.data.externalId, input);
          if (result.created) created += 1;
          else updated += 1;
          changed.push(result.product.id);
        } catch (err) {
          // Typed store errors (a bad value the schema let through) fail the row, not the import.
          if (!(err instanceof AppError)) throw err;
          errors.push({ index, externalId: parsed.data.externalId, message: err.message });
        }
      }
      notifyCatalog(services, caller, changed);
      return { body: { created, updated, failed: errors.length, errors } };
    },
  }),
  defineRoute({
    method: "get",
    path: "/products/:id",
    summary: "Get a product",
    tag: "catalog",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The product", schema: productSchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const product = await caller.store.products.get(params.id);
      if (!product) throw new NotFoundError("Product");
      return { body: product };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/products/:id",
    summary: "Update a product (only the given fields change)",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: productPatchSchema,
    responses: { 200: { description: "Updated", schema: productSchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body, services }) {
      const current = await caller.store.products.get(params.id);
      if (!current) throw new NotFoundError("Product");
      if (body.externalId !== undefined) await assertExternalIdFree(caller.store, body.externalId, current.id);
      const patch: ProductPatch = {
        externalId: body.externalId,
        name: body.name ? mergeText(current.name, body.name) : undefined,
        description: body.description ? mergeText(current.description, body.description) : undefined,
        categoryId: await categoryIdFor(caller.store, body.category),
        price: body.price,
        currency: body.currency,
        attributes: body.attributes,
        stock: body.stock,
        tags: body.tags,
        imageUrl: body.imageUrl,
        url: body.url,
        status: body.status,
      };
      if (patch.name && patch.name.en === "" && patch.name.ar === "") {
        throw new ValidationError("A product needs a name in at least one language");
      }
      const product = await caller.store.products.update(current.id, stripUndefined(patch));
      if (!product) throw new NotFoundError("Product");
      notifyCatalog(services, caller, [product.id]);
      return { body: product };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/products/:id",
    summary: "Delete a product",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params, services }) {
      if (!(await caller.store.products.remove(params.id))) throw new NotFoundError("Product");
      notifyCatalog(services, caller, [], [params.id]);
      return { status: 204 };
    },
  }),

  defineRoute({
    method: "get",
    path: "/categories",
    summary: "List categories",
    tag: "catalog",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of categories", schema: categoryPageSchema } },
    async handler({ caller, query }) {
      return { body: await caller.store.categories.list(query) };
    },
  }),
  defineRoute({
    method: "post",
    path: "/categories",
    summary: "Create a category",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    body: z.object({ slug: slugSchema, name: localizedPatch(200, plainName).optional() }),
    responses: { 201: { description: "Created", schema: categorySchema }, 409: { description: "Slug already used" } },
    async handler({ caller, body }) {
      if (await caller.store.categories.getBySlug(body.slug)) throw new ConflictError(`Category "${body.slug}" already exists`);
      return { status: 201, body: await caller.store.categories.ensure({ slug: body.slug, name: body.name }) };
    },
  }),
  defineRoute({
    method: "get",
    path: "/categories/:id",
    summary: "Get a category",
    tag: "catalog",
    auth: true,
    params: idParams,
    responses: { 200: { description: "The category", schema: categorySchema }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      const category = await caller.store.categories.get(params.id);
      if (!category) throw new NotFoundError("Category");
      return { body: category };
    },
  }),
  defineRoute({
    method: "patch",
    path: "/categories/:id",
    summary: "Rename a category or change its slug",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    params: idParams,
    body: z.object({ slug: slugSchema.optional(), name: localizedPatch(200, plainName).optional() }),
    responses: { 200: { description: "Updated", schema: categorySchema }, 404: { description: "Not found" } },
    async handler({ caller, params, body }) {
      const current = await caller.store.categories.get(params.id);
      if (!current) throw new NotFoundError("Category");
      if (body.slug !== undefined && body.slug !== current.slug && (await caller.store.categories.getBySlug(body.slug))) {
        throw new ConflictError(`Category "${body.slug}" already exists`);
      }
      const updated = await caller.store.categories.update(
        current.id,
        stripUndefined({ slug: body.slug, name: body.name ? mergeText(current.name, body.name) : undefined }),
      );
      if (!updated) throw new NotFoundError("Category");
      return { body: updated };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/categories/:id",
    summary: "Delete a category (its products become uncategorized)",
    tag: "catalog",
    auth: true,
    roles: EDITORS,
    params: idParams,
    responses: { 204: { description: "Deleted" }, 404: { description: "Not found" } },
    async handler({ caller, params }) {
      if (!(await caller.store.categories.remove(params.id))) throw new NotFoundError("Category");
      return { status: 204 };
    },
  }),
];

function mergeText(current: Product["name"], patch: { en?: string | undefined; ar?: string | undefined }): Product["name"] {
  return { en: patch.en ?? current.en, ar: patch.ar ?? current.ar };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
