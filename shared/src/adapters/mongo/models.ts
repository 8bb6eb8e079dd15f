// Mongoose schemas built from schema-spec.ts on a private Mongoose instance (its options never
// leak into, or come from, anything else in the process):
//   - strict "throw": a write naming an undeclared field is a bug, not a silent drop;
//   - strictQuery "throw": a filter on an undeclared path fails instead of matching everything —
//     dropping a misspelled `merchantId` condition would cross tenants;
//   - sanitizeFilter: caller data can never become a query operator (see filters.ts `op`);
//   - bufferCommands off: with the server unreachable an operation fails (→ StoreUnavailableError)
//     instead of queuing in memory;
//   - autoIndex off: indexes are created once, on open, and awaited (MongoDb.ensureCollections, called by openMongoStore).
import mongoose, { Schema, type Connection, type Model, type SchemaDefinition } from "mongoose";
import { collections, type CollectionName, type FieldType } from "./schema-spec.js";

export function newMongoose(): mongoose.Mongoose {
  const instance = new mongoose.Mongoose({ transactionAsyncLocalStorage: true });
  instance.set("strict", "throw");
  instance.set("strictQuery", "throw");
  instance.set("sanitizeFilter", true);
  instance.set("bufferCommands", false);
  instance.set("autoIndex", false);
  instance.set("autoCreate", false);
  return instance;
}

function fieldDefinition(type: FieldType): SchemaDefinition[string] {
  switch (type) {
    case "string":
      return { type: String, default: undefined };
    case "number":
      return { type: Number };
    case "boolean":
      return { type: Boolean };
    case "date":
      return { type: Date };
    case "mixed":
      return { type: Schema.Types.Mixed };
    case "strings":
      return { type: [String], default: undefined };
  }
}

/** The mongoose schema of one collection: its declared fields, string `_id`, and its indexes. */
export function schemaOf(instance: mongoose.Mongoose, name: CollectionName): Schema {
  const spec = collections[name];
  const definition: SchemaDefinition = { _id: { type: String, required: true } };
  for (const [field, type] of Object.entries(spec.fields) as [string, FieldType][]) definition[field] = fieldDefinition(type);
  const schema = new instance.Schema(definition, {
    collection: name,
    versionKey: false,
    // Empty objects are values here (`{}` contact, labels), not "unset".
    minimize: false,
    // Timestamps are the domain's ISO strings, written by the repositories.
    timestamps: false,
    id: false,
  });
  for (const index of spec.indexes) schema.index(index.key, index.options);
  return schema;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type AnyDoc = {};
export type Models = Record<CollectionName, Model<AnyDoc>>;

export function buildModels(instance: mongoose.Mongoose, connection: Connection): Models {
  const models = {} as Models;
  for (const name of Object.keys(collections) as CollectionName[]) {
    models[name] = connection.model<AnyDoc>(name, schemaOf(instance, name), name);
  }
  return models;
}
