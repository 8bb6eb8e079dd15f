// The connection every repository shares: typed, lean access to each collection, engine faults
// mapped on every call, and transactions.
//
// Transactions go through mongoose's connection.transaction(), i.e. the driver's
// withTransaction: a write conflict between two transactions (two appends bumping one
// conversation's seq, two orders taking one merchant's number) aborts one with a
// TransientTransactionError and the driver runs its function again. The private Mongoose
// instance has transactionAsyncLocalStorage on, so every operation started inside the function
// joins the session without passing it by hand.
import type { AsyncLocalStorage } from "node:async_hooks";
import type mongoose from "mongoose";
import type { Connection, Model } from "mongoose";
import type { PiiVault } from "../../pii.js";
import { mapDriverError } from "./errors.js";
import type { Filter, Sort } from "./filters.js";
import { buildModels, newMongoose, type Models } from "./models.js";
import type { CollectionName } from "./schema-spec.js";

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  /** Only these fields (and _id) of each document: a summary that needs one field reads only it. */
  fields?: readonly string[];
}

/**
 * Maps engine faults, except inside a transaction: there the driver's own error (with its
 * TransientTransactionError label) must reach withTransaction, which retries on it; tx() maps
 * whatever finally comes out.
 */
async function guarded<T>(fn: () => Promise<T>, inTx: () => boolean = () => false): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw inTx() ? error : mapDriverError(error);
  }
}

/** One collection, typed by its document shape. Filters are built in filters.ts. */
export class Coll<D extends { _id: string }> {
  constructor(
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    private readonly model: Model<{}>,
    private readonly inTx: () => boolean,
  ) {}

  private run<T>(fn: () => Promise<T>): Promise<T> {
    return guarded(fn, this.inTx);
  }

  findOne(filter: Filter, options: FindOptions = {}): Promise<D | null> {
    return this.run(async () => {
      const query = this.model.findOne(filter);
      if (options.sort) query.sort(options.sort);
      return (await query.lean().exec()) as D | null;
    });
  }

  find(filter: Filter, options: FindOptions = {}): Promise<D[]> {
    return this.run(async () => {
      const query = options.fields ? this.model.find(filter, Object.fromEntries(options.fields.map((f) => [f, 1]))) : this.model.find(filter);
      if (options.sort) query.sort(options.sort);
      if (options.limit !== undefined) query.limit(options.limit);
      return (await query.lean().exec()) as unknown as D[];
    });
  }

  /** The ids of matching documents, at most `limit` (0: all). */
  async ids(filter: Filter, limit: number): Promise<string[]> {
    return this.run(async () => {
      const rows = (await this.model.find(filter, { _id: 1 }).limit(limit).lean().exec()) as unknown as Array<{ _id: string }>;
      return rows.map((r) => r._id);
    });
  }

  async insert(doc: D): Promise<D> {
    return this.run(async () => {
      // create([doc]) rather than create(doc): the array form is the one that takes options,
      // and it returns the document as cast by the schema.
      await this.model.create([doc]);
      return doc;
    });
  }

  async insertMany(docs: D[]): Promise<void> {
    if (docs.length === 0) return;
    await this.run(() => this.model.insertMany(docs, { ordered: true }));
  }

  /** Applies `update` to one matching document and returns it after the change (or null). */
  findOneAndUpdate(filter: Filter, update: Record<string, unknown>, options: { upsert?: boolean; sort?: Sort } = {}): Promise<D | null> {
    return this.run(async () => {
      const query = this.model.findOneAndUpdate(filter, update, {
        returnDocument: "after",
        upsert: options.upsert ?? false,
        ...(options.sort ? { sort: options.sort } : {}),
      });
      return (await query.lean().exec()) as D | null;
    });
  }

  async updateOne(filter: Filter, update: Record<string, unknown>, options: { upsert?: boolean } = {}): Promise<{ matched: number; modified: number; upserted: boolean }> {
    return this.run(async () => {
      const result = await this.model.updateOne(filter, update, { upsert: options.upsert ?? false }).exec();
      return { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedCount > 0 };
    });
  }

  async updateMany(filter: Filter, update: Record<string, unknown>): Promise<number> {
    return this.run(async () => (await this.model.updateMany(filter, update).exec()).modifiedCount);
  }

  async deleteOne(filter: Filter): Promise<boolean> {
    return this.run(async () => (await this.model.deleteOne(filter).exec()).deletedCount > 0);
  }

  async deleteMany(filter: Filter): Promise<number> {
    return this.run(async () => (await this.model.deleteMany(filter).exec()).deletedCount);
  }

  async count(filter: Filter): Promise<number> {
    return this.run(() => this.model.countDocuments(filter).exec());
  }

  ensureCollection(): Promise<unknown> {
    return this.run(async () => {
      await this.model.createCollection().catch((error: unknown) => {
        // 48 NamespaceExists: another process created it first.
        if ((error as { code?: number }).code !== 48) throw error;
      });
      // createIndexes, not syncIndexes: an index an operator added by hand is never dropped.
      return this.model.createIndexes();
    });
  }
}

export interface MongoDbOptions {
  url: string;
  /** Database name; defaults to the one in the URL. */
  dbName?: string;
  /** How long an operation waits for a usable server before failing (→ StoreUnavailableError). */
  serverSelectionTimeoutMs: number;
  /** Seals customer contact details in and out of their fields (see shared/src/pii.ts). */
  pii: PiiVault;
}

export class MongoDb {
  readonly mongoose: mongoose.Mongoose;
  readonly connection: Connection;
  /** Seals customer contact details in and out of their fields (see shared/src/pii.ts). */
  readonly pii: PiiVault;
  private readonly models: Models;
  private readonly colls = new Map<CollectionName, Coll<{ _id: string }>>();

  private constructor(instance: mongoose.Mongoose, connection: Connection, pii: PiiVault) {
    this.mongoose = instance;
    this.connection = connection;
    this.pii = pii;
    this.models = buildModels(instance, connection);
  }

  static async connect(options: MongoDbOptions): Promise<MongoDb> {
    const instance = newMongoose();
    const connection = instance.createConnection(options.url, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs,
      // No read/write concern here: a replica set's default write concern is already `majority`
      // (MongoDB 5.0+), and concerns set on the client would have to stay off every operation
      // inside a transaction (which takes them from the transaction). Retryable writes are the
      // driver's default.
    });
    try {
      await guarded(() => connection.asPromise());
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    return new MongoDb(instance, connection, options.pii);
  }

  coll<D extends { _id: string }>(name: CollectionName): Coll<D> {
    let coll = this.colls.get(name);
    if (!coll) {
      coll = new Coll(this.models[name], () => this.inTransaction());
      this.colls.set(name, coll);
    }
    return coll as unknown as Coll<D>;
  }

  /** Whether the caller runs inside tx() (its operations join the transaction's session). */
  inTransaction(): boolean {
    const als = (this.mongoose as unknown as { transactionAsyncLocalStorage?: AsyncLocalStorage<{ session?: unknown }> }).transactionAsyncLocalStorage;
    return als?.getStore()?.session !== undefined;
  }

  /** Creates every collection and its declared indexes (idempotent; run once on open). */
  async ensureCollections(): Promise<void> {
    for (const name of Object.keys(this.models) as CollectionName[]) await this.coll(name).ensureCollection();
  }

  /**
   * Runs `fn` in a transaction; a throw inside aborts it, so nothing of it is written. `fn` may run
   * more than once (transient conflicts are retried): it must not have effects outside the store.
   */
  async tx<T>(fn: () => Promise<T>): Promise<T> {
    // Nested: the inner work is part of the outer transaction.
    if (this.inTransaction()) return fn();
    let result: { value: T } | null = null;
    await guarded(() =>
      this.connection.transaction(async () => {
        result = { value: await fn() };
      }),
    );
    if (!result) throw new Error("transaction finished without a result");
    return (result as { value: T }).value;
  }

  async ping(): Promise<void> {
    await guarded(async () => {
      const db = this.connection.db;
      if (!db) throw new Error("not connected");
      await db.admin().ping();
    });
  }

  /** The server's reply to `hello`: what kind of deployment answered (judged in topology.ts). */
  async hello(): Promise<unknown> {
    return guarded(async () => {
      const db = this.connection.db;
      if (!db) throw new Error("not connected");
      return db.admin().command({ hello: 1 });
    });
  }

  /** Drops the whole database (the contract tests' fresh database per run). */
  async dropDatabase(): Promise<void> {
    await guarded(() => this.connection.dropDatabase());
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
