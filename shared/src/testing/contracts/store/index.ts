// The store contract: every adapter of the storage port runs it (BullMQ-style conformance suite),
// split per repository so a new adapter (MongoDB next) can be brought up one repository at a time:
//
//   storeContract("mongo", open, { only: ["accounts", "users"] });
//
// Suites are listed in the order an adapter can bring them up: every suite creates merchants
// (accounts); conversations also use customers; orders use catalog, customers and conversations.
// Each test creates its own merchants, so the suites share one store and never depend on order.
import { describe } from "vitest";
import { accountsStoreTests } from "./accounts.js";
import { auditStoreTests } from "./audit.js";
import { catalogStoreTests } from "./catalog.js";
import { conversationsStoreTests } from "./conversations.js";
import { customersStoreTests } from "./customers.js";
import { eventsStoreTests } from "./events.js";
import { storeHarness, type OpenStore, type StoreHarness } from "./harness.js";
import { integrationsStoreTests } from "./integrations.js";
import { knowledgeStoreTests } from "./knowledge.js";
import { ordersStoreTests } from "./orders.js";
import { usersStoreTests } from "./users.js";
import { uploadsStoreTests } from "./uploads.js";
import { visitorsStoreTests } from "./visitors.js";

export const storeSuites = {
  accounts: accountsStoreTests,
  users: usersStoreTests,
  catalog: catalogStoreTests,
  knowledge: knowledgeStoreTests,
  customers: customersStoreTests,
  conversations: conversationsStoreTests,
  visitors: visitorsStoreTests,
  orders: ordersStoreTests,
  integrations: integrationsStoreTests,
  events: eventsStoreTests,
  audit: auditStoreTests,
  uploads: uploadsStoreTests,
} satisfies Record<string, (h: StoreHarness) => void>;
export type StoreSuiteName = keyof typeof storeSuites;

export interface StoreContractOptions {
  /** Run only these repositories' suites (an adapter being brought up); default: all of them. */
  only?: readonly StoreSuiteName[];
}

/** Runs the repository suites against one store opened by `open` (closed after the run). */
export function storeContract(name: string, open: OpenStore, options: StoreContractOptions = {}): void {
  describe(`store contract: ${name}`, () => {
    const h = storeHarness(open);
    for (const [suite, define] of Object.entries(storeSuites) as [StoreSuiteName, (h: StoreHarness) => void][]) {
      if (!options.only || options.only.includes(suite)) describe(suite, () => define(h));
    }
  });
}

export { storeHarness, type OpenStore, type StoreHarness, type TestTenant } from "./harness.js";
