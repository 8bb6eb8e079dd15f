// When the store opens: every contact detail not yet sealed with the current key (written before
// sealing existed, or under a key rotated out since) is sealed again and its look-up hash
// recomputed; integration secrets sealed under an old key likewise. Batches of rows, each batch in
// one transaction, so several processes opening the file at once do the work once and never leave a
// row with a value and a hash of different keys.
import type { ResealReport, StoreCrypto } from "../../pii.js";
import { fromJson, toJson, type SqliteDb } from "./db.js";
import { sealedContact } from "./pii-columns.js";

const BATCH = 500;

interface CustomerPiiRow {
  id: string;
  email: string | null;
  phone: string | null;
  email_hash: string | null;
  phone_hash: string | null;
}
interface OrderPiiRow {
  id: string;
  contact: string;
}

/** Reseals what is not under the current key; returns the rows resealed, per kind (what a rotation touched). */
export function resealAtRest(db: SqliteDb, crypto: StoreCrypto): ResealReport {
  const { pii } = crypto;
  const current = `${pii.currentPrefix}%`;
  const report: ResealReport = { customers: 0, orders: 0, secrets: 0 };

  // Customers: a value not of the current key, or a value without its hash.
  for (;;) {
    const done = db.tx(() => {
      const rows = db.all<CustomerPiiRow>(
        `SELECT id, email, phone, email_hash, phone_hash FROM customers
         WHERE (email IS NOT NULL AND (email NOT LIKE @current OR email_hash IS NULL))
            OR (phone IS NOT NULL AND (phone NOT LIKE @current OR phone_hash IS NULL))
         LIMIT @n`,
        { current, n: BATCH },
      );
      for (const r of rows) {
        const sealed = sealedContact(pii, { email: pii.openOrNull(r.email), phone: pii.openOrNull(r.phone) });
        db.run("UPDATE customers SET email = @email, email_hash = @emailHash, phone = @phone, phone_hash = @phoneHash WHERE id = @id", { id: r.id, ...sealed });
      }
      report.customers += rows.length;
      return rows.length < BATCH;
    });
    if (done) break;
  }

  // Orders: the contact's email and phone inside its JSON, and their hash columns.
  for (;;) {
    const done = db.tx(() => {
      const rows = db.all<OrderPiiRow>(
        `SELECT id, contact FROM orders
         WHERE (json_extract(contact, '$.email') IS NOT NULL AND (json_extract(contact, '$.email') NOT LIKE @current OR contact_email_hash IS NULL))
            OR (json_extract(contact, '$.phone') IS NOT NULL AND (json_extract(contact, '$.phone') NOT LIKE @current OR contact_phone_hash IS NULL))
         LIMIT @n`,
        { current, n: BATCH },
      );
      for (const r of rows) {
        const { email, phone, ...rest } = fromJson<{ email?: string; phone?: string; [k: string]: unknown }>(r.contact);
        const sealed = sealedContact(pii, { email: email === undefined ? null : pii.open(email), phone: phone === undefined ? null : pii.open(phone) });
        db.run("UPDATE orders SET contact = @contact, contact_email_hash = @emailHash, contact_phone_hash = @phoneHash WHERE id = @id", {
          id: r.id,
          contact: toJson({ ...rest, ...(sealed.email ? { email: sealed.email } : {}), ...(sealed.phone ? { phone: sealed.phone } : {}) }),
          emailHash: sealed.emailHash,
          phoneHash: sealed.phoneHash,
        });
      }
      report.orders += rows.length;
      return rows.length < BATCH;
    });
    if (done) break;
  }

  // Integration secrets: few rows; each is tried with the current key and resealed if it needs it.
  for (const [table, column] of [
    ["channels", "secrets_ciphertext"],
    ["commerce_connections", "secrets_ciphertext"],
    ["webhook_endpoints", "secret_ciphertext"],
  ] as const) {
    db.tx(() => {
      for (const r of db.all<{ id: string; c: string }>(`SELECT id, ${column} AS c FROM ${table}`, {})) {
        let resealed: string | null;
        try {
          resealed = crypto.resealSecret(r.c);
        } catch {
          // Sealed with a key this installation no longer has: left as it is; using it fails clearly.
          continue;
        }
        if (resealed === null) continue;
        db.run(`UPDATE ${table} SET ${column} = @c WHERE id = @id`, { id: r.id, c: resealed });
        report.secrets += 1;
      }
    });
  }
  return report;
}
