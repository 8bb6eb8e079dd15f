// REST views: the bodies the API answers with, declared once. The routes document them in OpenAPI
// and type their replies against them; the dashboard reads them. Browser-safe: schemas and types.
// A record the API returns as stored (product, order, customer, knowledge item...) is its domain
// schema (../domain.ts); here are the envelopes, the pages of records, and every view that differs
// from a record (secrets left out, fields added).
export * from "./envelopes.js";
export * from "./records.js";
export * from "./account.js";
export * from "./settings.js";
export * from "./catalog.js";
export * from "./inbox.js";
export * from "./integrations.js";
export * from "./analytics.js";
export * from "./dead-letters.js";
export * from "./orders.js";
export * from "./outgoing-webhooks.js";
