export { MongoStore, openMongoStore, type MongoStoreOptions } from "./store.js";
