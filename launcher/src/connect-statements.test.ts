// What a widget connection costs the store, counted in SQL statements (never a timing): a shopper's
// socket connecting (the origin check at the handshake and the namespace's authentication) and
// its first `conversation:open`. The handshake's reads of the widget key and the merchant are
// reused by the authentication when both name the same key, and the merchant is read through the
// read cache (shared/src/cache/), so a warm connection reads no merchant row at all.
import type { SqliteStore } from "@kaleem/shared/adapters";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAllClients, connected, createMerchant, ok, startTestKaleem, widgetClient, type TestKaleem, type TestMerchant } from "./realtime.test-helpers.js";

/**
 * Before the handshake's reads were reused: 6 (see BENCHMARKS.md). 4 with them, plus one: after
 * joining its rooms a socket checks its widget key again (a rotation landing mid-handshake would
 * otherwise miss it, attacks.logout-race.test.ts); a returning visitor's block is checked again too.
 */
const MAX_CONNECT_AND_OPEN = 5;

let t: TestKaleem;
let m: TestMerchant;
beforeAll(async () => {
  t = await startTestKaleem();
  m = await createMerchant(t.k);
});
afterAll(async () => {
  closeAllClients();
  await t?.close();
});

describe("statements per widget connection", () => {
  it(`connect + conversation:open runs at most ${MAX_CONNECT_AND_OPEN} statements`, async () => {
    const store = t.k.store as SqliteStore;
    const seen: string[] = [];
    // One connection first, so lazily built caches are not in the figure.
    const warm = widgetClient(t.k.url, m.widgetKey);
    await connected(warm);
    await ok(warm, "conversation:open", {});
    warm.disconnect();

    const before = store.statementsExecuted;
    store.traceStatements((sql) => seen.push(sql.replace(/\s+/g, " ").slice(0, 80)));
    const socket = widgetClient(t.k.url, m.widgetKey);
    await connected(socket);
    await ok(socket, "conversation:open", {});
    store.traceStatements(null);
    const count = store.statementsExecuted - before;
    console.log(`connect + open: ${count} statements\n${seen.join("\n")}`);
    expect(count).toBeLessThanOrEqual(MAX_CONNECT_AND_OPEN);
    // The merchant (origin check, authentication, the open's settings) comes from the read cache.
    expect(seen.filter((sql) => sql.startsWith("SELECT * FROM merchants WHERE id"))).toEqual([]);
  });
});
