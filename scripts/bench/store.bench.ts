// Message append through the store port (seq allocation, idempotency check, conversation
// summary update, all in one transaction) against a raw better-sqlite3 insert of the same row
// with a plain seq bump — what the port costs over the bare driver.
import { openSqliteStore } from "@kaleem/shared/adapters";
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { asMerchantId, randomSecret, storeCrypto, hashPassword, newId } from "@kaleem/shared";
import { compare, result, timeOps, type BenchResult } from "./harness.js";

/** A throwaway key: a benchmark's store lives for one run (the test helpers load vitest, so not them). */
const benchStoreCrypto = () => storeCrypto({ secrets: { encryptionKey: randomSecret(48) }, previousEncryptionKeys: [] });

export async function benchStoreAppend(opsPerRound = 2000, rounds = 5): Promise<BenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-bench-store-"));
  try {
    const store = await openSqliteStore({ crypto: benchStoreCrypto(), file: path.join(dir, "port.db") });
    const { merchant } = await store.createMerchant({ name: "Bench" }, { email: "bench@example.com", name: "B", role: "owner", passwordHash: await hashPassword("x".repeat(12)) });
    const tenant = store.forMerchant(asMerchantId(merchant.id));

    const raw = new Database(path.join(dir, "raw.db"));
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = NORMAL");
    raw.exec(`CREATE TABLE conv (id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
      CREATE TABLE msg (id TEXT PRIMARY KEY, conversation_id TEXT, seq INTEGER, role TEXT, text TEXT, created_at TEXT, UNIQUE(conversation_id, seq))`);
    const bump = raw.prepare("UPDATE conv SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq");
    const insert = raw.prepare("INSERT INTO msg VALUES (?, ?, ?, ?, ?, ?)");
    const rawAppend = raw.transaction((conversationId: string, text: string) => {
      const { last_seq } = bump.get(conversationId) as { last_seq: number };
      insert.run(newId(), conversationId, last_seq, "shopper", text, new Date().toISOString());
    });

    let round = 0;
    const ms = await compare(
      rounds,
      async () => {
        const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: `v${round++}` });
        return timeOps(opsPerRound, async () => {
          for (let i = 0; i < opsPerRound; i++) {
            await tenant.messages.append(conversation.id, { role: "shopper", text: `message ${i}`, clientMessageId: `c${i}` });
          }
        });
      },
      async () => {
        const conversationId = newId();
        raw.prepare("INSERT INTO conv VALUES (?, 0)").run(conversationId);
        return timeOps(opsPerRound, () => {
          for (let i = 0; i < opsPerRound; i++) rawAppend(conversationId, `message ${i}`);
        });
      },
    );
    raw.close();
    await store.close();
    return result("Message append (SQLite, file, WAL)", "appends", { candidate: "store port", baseline: "raw better-sqlite3" }, ms);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
