// Categories and products of one tenant.
import type { JsonText } from "../../contracts/api/envelopes.js";
import type { Category, CommercePlatform, LocalizedText, Page, Product } from "../../contracts/domain.js";
import { ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { productSearchText, roundMoney } from "../../store/defaults.js";
import type {
  CategoryRepo,
  MerchantId,
  NewCategory,
  NewProduct,
  PageRequest,
  ProductFilter,
  ProductPatch,
  ProductRepo,
} from "../../ports/store.js";
import { nowIso } from "./clock.js";
import { conflictOnUnique, toJson, type SqliteDb } from "./db.js";
import { clampLimit, readCursor, toPage, toPageJson } from "./paging.js";
import { PRODUCT_JSON, toCategory, toProduct, type CategoryRow, type ProductRow } from "./rows.js";

const emptyText = (): LocalizedText => ({ en: "", ar: "" });

export class SqliteCategoryRepo implements CategoryRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  async ensure(input: NewCategory): Promise<Category> {
    return this.db.tx(() => {
      this.db.run(
        `INSERT INTO categories (id, merchant_id, slug, name, created_at) VALUES (@id, @m, @slug, @name, @now)
         ON CONFLICT (merchant_id, slug) DO NOTHING`,
        { id: newId(), m: this.m, slug: input.slug, name: toJson({ ...emptyText(), ...input.name }), now: nowIso() },
      );
      const row = this.db.get<CategoryRow>("SELECT * FROM categories WHERE merchant_id = @m AND slug = @slug", {
        m: this.m,
        slug: input.slug,
      });
      if (!row) throw new Error("category vanished inside its transaction");
      return toCategory(row);
    });
  }

  async get(id: string): Promise<Category | null> {
    const row = this.db.get<CategoryRow>("SELECT * FROM categories WHERE id = @id AND merchant_id = @m", {
      id,
      m: this.m,
    });
    return row ? toCategory(row) : null;
  }

  async getBySlug(slug: string): Promise<Category | null> {
    const row = this.db.get<CategoryRow>("SELECT * FROM categories WHERE merchant_id = @m AND slug = @slug", {
      slug,
      m: this.m,
    });
    return row ? toCategory(row) : null;
  }

  async list(page?: PageRequest): Promise<Page<Category>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const rows = this.db.all<CategoryRow>(
      `SELECT * FROM categories WHERE merchant_id = @m ${cursor ? "AND id > @after" : ""} ORDER BY id LIMIT @n`,
      { m: this.m, after: cursor?.id, n: limit + 1 },
    );
    return toPage(rows, limit, toCategory, () => null);
  }

  async update(id: string, patch: Partial<NewCategory>): Promise<Category | null> {
    return this.db.tx(() => {
      const row = this.db.get<CategoryRow>("SELECT * FROM categories WHERE id = @id AND merchant_id = @m", {
        id,
        m: this.m,
      });
      if (!row) return null;
      const current = toCategory(row);
      const updated = conflictOnUnique("Category slug is already in use", () =>
        this.db.get<CategoryRow>(
          "UPDATE categories SET slug = @slug, name = @name WHERE id = @id AND merchant_id = @m RETURNING *",
          {
            id,
            m: this.m,
            slug: patch.slug ?? current.slug,
            name: toJson({ ...current.name, ...patch.name }),
          },
        ),
      );
      return updated ? toCategory(updated) : null;
    });
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM categories WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }
}

/** Column values of a product, shared by insert and update. */
function productColumns(p: Omit<Product, "id" | "merchantId" | "createdAt" | "source">) {
  return {
    externalId: p.externalId,
    name: toJson(p.name),
    description: toJson(p.description),
    categoryId: p.categoryId,
    price: p.price,
    currency: p.currency,
    attributes: toJson(p.attributes),
    stock: p.stock,
    tags: toJson(p.tags),
    imageUrl: p.imageUrl,
    url: p.url,
    status: p.status,
    searchText: productSearchText(p),
    updatedAt: p.updatedAt,
  };
}

function checkProduct(p: { price: number; stock: number }): void {
  if (!Number.isFinite(p.price) || p.price < 0) throw new ValidationError("price must be a non-negative number");
  if (!Number.isInteger(p.stock)) throw new ValidationError("stock must be an integer");
}

export class SqliteProductRepo implements ProductRepo {
  constructor(
    private readonly db: SqliteDb,
    private readonly m: MerchantId,
  ) {}

  private row(id: string): ProductRow | undefined {
    return this.db.get<ProductRow>("SELECT * FROM products WHERE id = @id AND merchant_id = @m", { id, m: this.m });
  }

  private rowByExternalId(externalId: string, source: CommercePlatform | null): ProductRow | undefined {
    return this.db.get<ProductRow>(
      "SELECT * FROM products WHERE merchant_id = @m AND coalesce(source, '') = @source AND external_id = @externalId",
      { externalId, source: source ?? "", m: this.m },
    );
  }

  /** A product may only point at a category of the same merchant. */
  private checkCategory(categoryId: string | null): void {
    if (categoryId === null) return;
    const found = this.db.get("SELECT 1 AS ok FROM categories WHERE id = @id AND merchant_id = @m", {
      id: categoryId,
      m: this.m,
    });
    if (!found) throw new ValidationError(`Unknown categoryId: ${categoryId}`);
  }

  private insert(input: NewProduct): ProductRow {
    const now = nowIso();
    const merchant = this.db.get<{ currency: string }>("SELECT currency FROM merchants WHERE id = @m", { m: this.m });
    const product = {
      externalId: input.externalId ?? null,
      name: { ...emptyText(), ...input.name },
      description: { ...emptyText(), ...input.description },
      categoryId: input.categoryId ?? null,
      price: roundMoney(input.price),
      currency: input.currency ?? merchant?.currency ?? "SAR",
      attributes: input.attributes ?? {},
      stock: input.stock ?? 0,
      tags: input.tags ?? [],
      imageUrl: input.imageUrl ?? null,
      url: input.url ?? null,
      status: input.status ?? "active",
      updatedAt: now,
    };
    checkProduct(product);
    this.checkCategory(product.categoryId);
    const row = conflictOnUnique("A product with this externalId already exists", () =>
      this.db.get<ProductRow>(
        `INSERT INTO products (id, merchant_id, source, external_id, name, description, category_id, price, currency,
           attributes, stock, tags, image_url, url, status, search_text, created_at, updated_at)
         VALUES (@id, @m, @source, @externalId, @name, @description, @categoryId, @price, @currency,
           @attributes, @stock, @tags, @imageUrl, @url, @status, @searchText, @createdAt, @updatedAt)
         RETURNING *`,
        { ...productColumns(product), source: input.source ?? null, id: newId(), m: this.m, createdAt: now },
      ),
    );
    if (!row) throw new Error("insert returned no row");
    return row;
  }

  private patch(row: ProductRow, patch: ProductPatch): ProductRow {
    const current = toProduct(row);
    const next = {
      externalId: patch.externalId !== undefined ? patch.externalId : current.externalId,
      name: { ...current.name, ...patch.name },
      description: { ...current.description, ...patch.description },
      categoryId: patch.categoryId !== undefined ? patch.categoryId : current.categoryId,
      price: patch.price !== undefined ? roundMoney(patch.price) : current.price,
      currency: patch.currency ?? current.currency,
      attributes: patch.attributes ?? current.attributes,
      stock: patch.stock ?? current.stock,
      tags: patch.tags ?? current.tags,
      imageUrl: patch.imageUrl !== undefined ? patch.imageUrl : current.imageUrl,
      url: patch.url !== undefined ? patch.url : current.url,
      status: patch.status ?? current.status,
      updatedAt: nowIso(),
    };
    checkProduct(next);
    if (next.categoryId !== current.categoryId) this.checkCategory(next.categoryId);
    const updated = conflictOnUnique("A product with this externalId already exists", () =>
      this.db.get<ProductRow>(
        `UPDATE products SET external_id = @externalId, name = @name, description = @description,
           category_id = @categoryId, price = @price, currency = @currency, attributes = @attributes,
           stock = @stock, tags = @tags, image_url = @imageUrl, url = @url, status = @status,
           search_text = @searchText, updated_at = @updatedAt
         WHERE id = @id AND merchant_id = @m RETURNING *`,
        { ...productColumns(next), id: row.id, m: this.m },
      ),
    );
    if (!updated) throw new Error("product vanished inside its transaction");
    return updated;
  }

  async create(input: NewProduct): Promise<Product> {
    return toProduct(this.db.tx(() => this.insert(input)));
  }

  async get(id: string): Promise<Product | null> {
    const row = this.row(id);
    return row ? toProduct(row) : null;
  }

  async getByExternalId(externalId: string, source: CommercePlatform | null = null): Promise<Product | null> {
    const row = this.rowByExternalId(externalId, source);
    return row ? toProduct(row) : null;
  }

  /** The WHERE clause and parameters of a list page (newest first, keyset cursor). */
  private listQuery(filter: ProductFilter, page: PageRequest | undefined) {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const where = ["merchant_id = @m"];
    if (filter.status !== undefined) where.push("status = @status");
    if (filter.categoryId !== undefined) where.push("category_id = @categoryId");
    if (filter.minPrice !== undefined) where.push("price >= @minPrice");
    if (filter.maxPrice !== undefined) where.push("price <= @maxPrice");
    const q = filter.q?.trim().toLowerCase();
    if (q) where.push("instr(search_text, @q) > 0");
    if (cursor) where.push("(created_at, id) < (@afterKey, @afterId)");
    const params = {
      m: this.m,
      status: filter.status,
      categoryId: filter.categoryId,
      minPrice: filter.minPrice,
      maxPrice: filter.maxPrice,
      q,
      afterKey: cursor?.k,
      afterId: cursor?.id,
      n: limit + 1,
    };
    return { limit, where: `WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT @n`, params };
  }

  async list(filter: ProductFilter = {}, page?: PageRequest): Promise<Page<Product>> {
    const { limit, where, params } = this.listQuery(filter, page);
    const rows = this.db.all<ProductRow>(`SELECT * FROM products ${where}`, params);
    return toPage(rows, limit, toProduct, (r) => r.created_at);
  }

  async listJson(filter: ProductFilter = {}, page?: PageRequest): Promise<JsonText<Page<Product>>> {
    const { limit, where, params } = this.listQuery(filter, page);
    // Only the JSON text and the cursor's key leave SQLite: no row object per column, nothing parsed.
    const rows = this.db.all<{ id: string; k: string; j: string }>(`SELECT id, created_at AS k, ${PRODUCT_JSON} AS j FROM products ${where}`, params);
    return toPageJson(rows, limit, (r) => r.j, (r) => r.k);
  }

  async all(): Promise<Product[]> {
    return this.db.all<ProductRow>("SELECT * FROM products WHERE merchant_id = @m ORDER BY id", { m: this.m }).map(
      toProduct,
    );
  }

  async update(id: string, patch: ProductPatch): Promise<Product | null> {
    return this.db.tx(() => {
      const row = this.row(id);
      return row ? toProduct(this.patch(row, patch)) : null;
    });
  }

  async upsertByExternalId(externalId: string, input: NewProduct): Promise<{ product: Product; created: boolean }> {
    return this.db.tx(() => {
      const existing = this.rowByExternalId(externalId, input.source ?? null);
      // The source is part of the key: a patch never moves a product to another one.
      const { source: _source, ...fields } = input;
      if (existing) return { product: toProduct(this.patch(existing, { ...fields, externalId })), created: false };
      return { product: toProduct(this.insert({ ...input, externalId })), created: true };
    });
  }

  async reserveStock(id: string, quantity: number): Promise<boolean> {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new ValidationError("quantity must be a positive integer");
    // One conditional UPDATE: the check and the decrement cannot be separated by another writer.
    const changed = this.db.run(
      `UPDATE products SET stock = stock - @quantity, updated_at = @now
       WHERE id = @id AND merchant_id = @m AND stock >= @quantity`,
      { id, m: this.m, quantity, now: nowIso() },
    );
    return changed === 1;
  }

  async remove(id: string): Promise<boolean> {
    return this.db.run("DELETE FROM products WHERE id = @id AND merchant_id = @m", { id, m: this.m }) > 0;
  }

  async count(): Promise<number> {
    return this.db.get<{ n: number }>("SELECT count(*) AS n FROM products WHERE merchant_id = @m", { m: this.m })?.n ?? 0;
  }
}
