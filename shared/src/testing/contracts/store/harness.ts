// What the store's repository suites share: one store per run, a fresh merchant per test (so
// suites never depend on each other's data or order) and small builders.
import { afterAll, beforeAll, expect } from "vitest";
import type { Conversation, KnowledgeData, Merchant, OrderItem, Page, User } from "../../../contracts/domain.js";
import { newId } from "../../../ids.js";
import type { MerchantId, PageRequest, Store, SystemStore, TenantStore } from "../../../ports/store.js";

/** An adapter's store with its cross-tenant scope (which only the composition root hands out). */
export type StoreWithSystem = Store & { readonly system: SystemStore };
export type OpenStore = () => Promise<StoreWithSystem>;

export interface TestTenant {
  t: TenantStore;
  merchant: Merchant;
  owner: User;
  /** The owner's email as given (mixed case: the store lowercases it). */
  email: string;
}

export interface StoreHarness {
  /** The store under test (opened before the first test of the run). */
  readonly store: Store;
  /** Its cross-tenant scope (outbox relay, sweeper). */
  readonly system: SystemStore;
  /** A new merchant with its owner, and its tenant scope. */
  tenant(merchantName?: string): Promise<TestTenant>;
  /** A new webchat conversation with a visitor of its own. */
  conversationOf(t: TenantStore): Promise<Conversation>;
}

/** Opens the store before the tests of the enclosing describe block and closes it after them. */
export function storeHarness(open: OpenStore): StoreHarness {
  let current: StoreWithSystem | null = null;
  beforeAll(async () => {
    current = await open();
  });
  afterAll(async () => {
    await current?.close();
    current = null;
  });
  const harness: StoreHarness = {
    get store() {
      if (!current) throw new Error("the store is not open (used outside a test?)");
      return current;
    },
    get system() {
      if (!current) throw new Error("the store is not open (used outside a test?)");
      return current.system;
    },
    async tenant(merchantName = "Shop") {
      const email = uniqueEmail();
      const { merchant, owner } = await harness.store.createMerchant(
        { name: merchantName },
        { email, name: "Owner", role: "owner", passwordHash: "hash:owner" },
      );
      return { t: harness.store.forMerchant(merchant.id as MerchantId), merchant, owner, email };
    },
    async conversationOf(t) {
      return t.conversations.create({ channel: "webchat", visitorId: `v-${newId()}` });
    },
  };
  return harness;
}

let emailCounter = 0;
export const uniqueEmail = (label = "owner") => `${label}-${newId()}-${++emailCounter}@Example.COM`;
export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Follows nextCursor to the end, checking every page respects the limit. */
export async function collectPages<T>(fetch: (page: PageRequest) => Promise<Page<T>>, limit: number, between?: () => Promise<void>) {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<T> = await fetch({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (between) await between();
    if (pages > 1000) throw new Error("pagination does not terminate");
  } while (cursor);
  return { items, pages };
}

export const item = (productId: string, price: number, quantity: number, name = "Item"): OrderItem => ({
  productId,
  name,
  price,
  quantity,
});

export const faq = (q: string, a: string): KnowledgeData => ({
  kind: "faq",
  faq: { question: { en: q, ar: "" }, answer: { en: a, ar: "" } },
});

/** The window every listCreatedBetween isolation check uses. */
export const ALL_TIME = ["2000-01-01T00:00:00.000Z", "2999-01-01T00:00:00.000Z"] as const;
