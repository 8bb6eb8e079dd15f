// Categories and products of one tenant.
import type { JsonText } from "../../contracts/api/envelopes.js";
import type { Category, CommercePlatform, LocalizedText, Page, Product } from "../../contracts/domain.js";
import { ConflictError, ValidationError } from "../../errors.js";
import { newId } from "../../ids.js";
import { roundMoney } from "../../store/defaults.js";
import { clampLimit, readCursor, toPage, toPageJson } from "../../store/paging.js";
import type { CategoryRepo, MerchantId, NewCategory, NewProduct, PageRequest, ProductFilter, ProductPatch, ProductRepo } from "../../ports/store.js";
import { withId } from "./accounts.js";
import type { MongoDb } from "./db.js";
import { isDuplicateKey } from "./errors.js";
import { afterId, op, PRODUCT_LIST_SORT, productListFilter, scoped } from "./filters.js";
import { productFields, toCategory, toProduct, type CategoryDoc, type MerchantDoc, type ProductDoc } from "./mapping.js";

const emptyText = (): LocalizedText => ({ en: "", ar: "" });
const nowIso = (): string => new Date().toISOString();
const EXTERNAL_ID_TAKEN = "A product with this externalId already exists";

export class MongoCategoryRepo implements CategoryRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get categories() {
    return this.db.coll<CategoryDoc>("categories");
  }

  async ensure(input: NewCategory): Promise<Category> {
    const filter = scoped(this.m, { slug: input.slug });
    // An upsert on the unique (merchantId, slug) index: concurrent ensures of one slug make one category.
    const upsert = () =>
      this.categories.findOneAndUpdate(
        filter,
        { $setOnInsert: { _id: newId(), name: { ...emptyText(), ...input.name }, createdAt: nowIso() } },
        { upsert: true },
      );
    let doc: CategoryDoc | null;
    try {
      doc = await upsert();
    } catch (error) {
      // Two upserts racing past the index: the loser finds the winner's row.
      if (!isDuplicateKey(error)) throw error;
      doc = await this.categories.findOne(filter);
    }
    if (!doc) throw new Error("category vanished after its upsert");
    return toCategory(doc);
  }

  async get(id: string): Promise<Category | null> {
    const doc = await this.categories.findOne(scoped(this.m, { _id: id }));
    return doc ? toCategory(doc) : null;
  }

  async getBySlug(slug: string): Promise<Category | null> {
    const doc = await this.categories.findOne(scoped(this.m, { slug }));
    return doc ? toCategory(doc) : null;
  }

  async list(page?: PageRequest): Promise<Page<Category>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "none");
    const docs = await this.categories.find(scoped(this.m, afterId(cursor, 1)), { sort: { _id: 1 }, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toCategory, () => null);
  }

  async update(id: string, patch: Partial<NewCategory>): Promise<Category | null> {
    return this.db.tx(async () => {
      const current = await this.categories.findOne(scoped(this.m, { _id: id }));
      if (!current) return null;
      try {
        const doc = await this.categories.findOneAndUpdate(scoped(this.m, { _id: id }), {
          $set: { slug: patch.slug ?? current.slug, name: { ...current.name, ...patch.name } },
        });
        return doc ? toCategory(doc) : null;
      } catch (error) {
        if (isDuplicateKey(error)) throw new ConflictError("Category slug is already in use");
        throw error;
      }
    });
  }

  async remove(id: string): Promise<boolean> {
    // Its products stay, uncategorized (SQLite: ON DELETE SET NULL), in the same transaction.
    return this.db.tx(async () => {
      const removed = await this.categories.deleteOne(scoped(this.m, { _id: id }));
      if (removed) await this.db.coll<ProductDoc>("products").updateMany(scoped(this.m, { categoryId: id }), { $set: { categoryId: null } });
      return removed;
    });
  }
}

function checkProduct(p: { price: number; stock: number }): void {
  if (!Number.isFinite(p.price) || p.price < 0) throw new ValidationError("price must be a non-negative number");
  if (!Number.isInteger(p.stock)) throw new ValidationError("stock must be an integer");
}

export class MongoProductRepo implements ProductRepo {
  constructor(
    private readonly db: MongoDb,
    private readonly m: MerchantId,
  ) {}

  private get products() {
    return this.db.coll<ProductDoc>("products");
  }

  private byExternalId(externalId: string, source: CommercePlatform | null): Promise<ProductDoc | null> {
    return this.products.findOne(scoped(this.m, { source, externalId }));
  }

  /** A product may only point at a category of the same merchant. */
  private async checkCategory(categoryId: string | null): Promise<void> {
    if (categoryId === null) return;
    const found = await this.db.coll<CategoryDoc>("categories").findOne(scoped(this.m, { _id: categoryId }));
    if (!found) throw new ValidationError(`Unknown categoryId: ${categoryId}`);
  }

  private async insert(input: NewProduct): Promise<ProductDoc> {
    const now = nowIso();
    const merchant = await this.db.coll<MerchantDoc>("merchants").findOne({ _id: this.m });
    const product: Omit<Product, "id" | "merchantId" | "createdAt"> = {
      source: input.source ?? null,
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
    await this.checkCategory(product.categoryId);
    const doc: ProductDoc = { _id: newId(), merchantId: this.m, createdAt: now, ...productFields(product) };
    try {
      await this.products.insert(doc);
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(EXTERNAL_ID_TAKEN);
      throw error;
    }
    return doc;
  }

  private async patch(doc: ProductDoc, patch: ProductPatch): Promise<ProductDoc> {
    const current = toProduct(doc);
    const next: Omit<Product, "id" | "merchantId" | "createdAt"> = {
      // The source is part of the key: a patch never moves a product to another one.
      source: current.source,
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
    if (next.categoryId !== current.categoryId) await this.checkCategory(next.categoryId);
    try {
      const updated = await this.products.findOneAndUpdate(scoped(this.m, { _id: doc._id }), { $set: productFields(next) });
      if (!updated) throw new Error("product vanished inside its transaction");
      return updated;
    } catch (error) {
      if (isDuplicateKey(error)) throw new ConflictError(EXTERNAL_ID_TAKEN);
      throw error;
    }
  }

  async create(input: NewProduct): Promise<Product> {
    return toProduct(await this.insert(input));
  }

  async get(id: string): Promise<Product | null> {
    const doc = await this.products.findOne(scoped(this.m, { _id: id }));
    return doc ? toProduct(doc) : null;
  }

  async getByExternalId(externalId: string, source: CommercePlatform | null = null): Promise<Product | null> {
    const doc = await this.byExternalId(externalId, source);
    return doc ? toProduct(doc) : null;
  }

  async list(filter: ProductFilter = {}, page?: PageRequest): Promise<Page<Product>> {
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const docs = await this.products.find(productListFilter(this.m, filter, cursor), { sort: PRODUCT_LIST_SORT, limit: limit + 1 });
    return toPage(docs.map(withId), limit, toProduct, (d) => d.createdAt);
  }

  async listJson(filter: ProductFilter = {}, page?: PageRequest): Promise<JsonText<Page<Product>>> {
    // The driver hands documents, not JSON text: each record is serialized once, as list() maps it.
    const limit = clampLimit(page?.limit);
    const cursor = readCursor(page, "string");
    const docs = await this.products.find(productListFilter(this.m, filter, cursor), { sort: PRODUCT_LIST_SORT, limit: limit + 1 });
    return toPageJson(docs.map(withId), limit, (d) => JSON.stringify(toProduct(d)), (d) => d.createdAt);
  }

  async all(): Promise<Product[]> {
    return (await this.products.find(scoped(this.m), { sort: { _id: 1 } })).map(toProduct);
  }

  async update(id: string, patch: ProductPatch): Promise<Product | null> {
    return this.db.tx(async () => {
      const doc = await this.products.findOne(scoped(this.m, { _id: id }));
      return doc ? toProduct(await this.patch(doc, patch)) : null;
    });
  }

  async upsertByExternalId(externalId: string, input: NewProduct): Promise<{ product: Product; created: boolean }> {
    const attempt = () =>
      this.db.tx(async () => {
        const existing = await this.byExternalId(externalId, input.source ?? null);
        const { source: _source, ...fields } = input;
        if (existing) return { product: toProduct(await this.patch(existing, { ...fields, externalId })), created: false };
        return { product: toProduct(await this.insert({ ...input, externalId })), created: true };
      });
    try {
      return await attempt();
    } catch (error) {
      // A concurrent upsert inserted it first (the unique index said so): now it is an update.
      if (error instanceof ConflictError && !(await this.byExternalId(externalId, input.source ?? null))) throw error;
      if (error instanceof ConflictError) return attempt();
      throw error;
    }
  }

  async reserveStock(id: string, quantity: number): Promise<boolean> {
    if (!Number.isInteger(quantity) || quantity <= 0) throw new ValidationError("quantity must be a positive integer");
    // One conditional update: the check and the decrement cannot be separated by another writer.
    const { modified } = await this.products.updateOne(scoped(this.m, { _id: id, stock: op({ $gte: quantity }) }), {
      $inc: { stock: -quantity },
      $set: { updatedAt: nowIso() },
    });
    return modified === 1;
  }

  async remove(id: string): Promise<boolean> {
    return this.products.deleteOne(scoped(this.m, { _id: id }));
  }

  async count(): Promise<number> {
    return this.products.count(scoped(this.m));
  }
}
