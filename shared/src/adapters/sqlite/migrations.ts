// Versioned schema. A migration is applied once, in its own transaction, and recorded in
// schema_migrations; never edit an applied migration, add the next version instead.
import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Rebuilds a table that others reference (SQLite's documented 12-step procedure): foreign keys
   * are switched off around the transaction, so dropping the old table cascades nothing, and
   * checked before it commits.
   */
  rebuildsReferencedTable?: boolean;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE merchants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  currency TEXT NOT NULL,
  default_locale TEXT NOT NULL,
  widget_key TEXT NOT NULL UNIQUE,
  widget TEXT NOT NULL,
  bot TEXT NOT NULL,
  next_order_number INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX users_merchant ON users(merchant_id, id);

CREATE TABLE refresh_tokens (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT,
  revoked_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(merchant_id, family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens(merchant_id, user_id);

CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX categories_slug ON categories(merchant_id, slug);
CREATE INDEX categories_merchant ON categories(merchant_id, id);

CREATE TABLE products (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  external_id TEXT,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  category_id TEXT REFERENCES categories(id) ON DELETE SET NULL,
  price REAL NOT NULL,
  currency TEXT NOT NULL,
  attributes TEXT NOT NULL,
  stock INTEGER NOT NULL,
  tags TEXT NOT NULL,
  image_url TEXT,
  url TEXT,
  status TEXT NOT NULL,
  search_text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX products_external ON products(merchant_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX products_listing ON products(merchant_id, status, category_id, price, created_at);
CREATE INDEX products_recent ON products(merchant_id, created_at, id);
CREATE INDEX products_category ON products(category_id);

CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  name TEXT,
  email TEXT,
  phone TEXT,
  channel TEXT NOT NULL,
  external_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX customers_external ON customers(merchant_id, channel, external_id);
CREATE INDEX customers_email ON customers(merchant_id, lower(email));
CREATE INDEX customers_phone ON customers(merchant_id, phone);
CREATE INDEX customers_recent ON customers(merchant_id, id);

CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  customer_id TEXT,
  conversation_id TEXT,
  items TEXT NOT NULL,
  total REAL NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  payment_method TEXT,
  contact TEXT NOT NULL,
  shipping_address TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX orders_number ON orders(merchant_id, number);
CREATE INDEX orders_listing ON orders(merchant_id, status, customer_id, created_at);
CREATE INDEX orders_recent ON orders(merchant_id, created_at, id);
CREATE INDEX orders_customer ON orders(merchant_id, customer_id, created_at);
CREATE INDEX orders_conversation ON orders(merchant_id, conversation_id, created_at);

CREATE TABLE idempotency_keys (
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  state TEXT NOT NULL,
  response TEXT,
  locked_until INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (merchant_id, key)
);
CREATE INDEX idempotency_expiry ON idempotency_keys(merchant_id, expires_at);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  channel_id TEXT,
  customer_id TEXT,
  visitor_id TEXT,
  status TEXT NOT NULL,
  assignee_id TEXT,
  locale TEXT,
  labels TEXT NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  last_message_at TEXT,
  last_message_preview TEXT,
  preview_seq INTEGER,
  activity_at TEXT NOT NULL,
  unread_count INTEGER NOT NULL DEFAULT 0,
  shopper_read_seq INTEGER NOT NULL DEFAULT 0,
  bot_state TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX conversations_activity ON conversations(merchant_id, activity_at, id);
CREATE INDEX conversations_status ON conversations(merchant_id, status, activity_at, id);
CREATE INDEX conversations_last_message ON conversations(merchant_id, last_message_at);
CREATE INDEX conversations_visitor ON conversations(merchant_id, visitor_id, created_at);
CREATE INDEX conversations_customer ON conversations(merchant_id, customer_id, channel, created_at);
CREATE INDEX conversations_assignee ON conversations(merchant_id, assignee_id, activity_at);
CREATE INDEX conversations_created ON conversations(merchant_id, created_at);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  text TEXT NOT NULL,
  parts TEXT NOT NULL,
  status TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT,
  client_message_id TEXT,
  intent TEXT,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_seq ON messages(conversation_id, seq);
CREATE UNIQUE INDEX messages_client_id ON messages(conversation_id, client_message_id) WHERE client_message_id IS NOT NULL;
CREATE INDEX messages_streaming ON messages(merchant_id, status) WHERE status = 'streaming';
CREATE INDEX messages_created ON messages(merchant_id, created_at);

CREATE TABLE knowledge_items (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX knowledge_merchant ON knowledge_items(merchant_id, id);

CREATE TABLE channels (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  name TEXT NOT NULL,
  public_config TEXT NOT NULL,
  secrets_ciphertext TEXT NOT NULL,
  status TEXT NOT NULL,
  last_event_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX channels_merchant ON channels(merchant_id, id);

CREATE TABLE webhook_events (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  dedupe_key TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  received_at TEXT NOT NULL,
  processed_at TEXT
);
CREATE UNIQUE INDEX webhook_events_dedupe ON webhook_events(merchant_id, source, dedupe_key);

CREATE TABLE outbox_events (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  published_at TEXT
);
CREATE INDEX outbox_pending ON outbox_events(merchant_id, id) WHERE published_at IS NULL;

CREATE TABLE audit_logs (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  actor_id TEXT,
  action TEXT NOT NULL,
  target TEXT,
  data TEXT NOT NULL,
  ip TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX audit_logs_merchant ON audit_logs(merchant_id, id);
`,
  },
  {
    version: 2,
    name: "commerce connections and canned replies",
    sql: `
CREATE TABLE commerce_connections (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  platform TEXT NOT NULL,
  public_config TEXT NOT NULL,
  secrets_ciphertext TEXT NOT NULL,
  status TEXT NOT NULL,
  last_event_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX commerce_connections_platform ON commerce_connections(merchant_id, platform);

CREATE TABLE canned_replies (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  shortcut TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX canned_replies_shortcut ON canned_replies(merchant_id, shortcut);
`,
  },
  {
    version: 3,
    name: "the page a webchat shopper is on",
    sql: `ALTER TABLE conversations ADD COLUMN page_url TEXT;`,
  },
  {
    version: 4,
    name: "user emails unique per merchant, not across merchants",
    rebuildsReferencedTable: true,
    sql: `
CREATE TABLE users_v4 (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
INSERT INTO users_v4 (id, merchant_id, email, name, role, password_hash, created_at, updated_at)
  SELECT id, merchant_id, email, name, role, password_hash, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_v4 RENAME TO users;
CREATE INDEX users_merchant ON users(merchant_id, id);
CREATE UNIQUE INDEX users_merchant_email ON users(merchant_id, email);
CREATE INDEX users_email ON users(email);
`,
  },
  {
    version: 5,
    name: "order fees: items total, delivery and cash-on-delivery fee beside the total",
    sql: `ALTER TABLE orders ADD COLUMN subtotal REAL;
ALTER TABLE orders ADD COLUMN delivery_fee REAL NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN cod_fee REAL NOT NULL DEFAULT 0;
UPDATE orders SET subtotal = total WHERE subtotal IS NULL;`,
  },
  {
    // Numbered apart from the migrations other work adds in parallel; versions need not be contiguous.
    version: 10,
    name: "messaging channels: one customer per channel identity, deliveries, outbox leases, breaker",
    sql: `
CREATE UNIQUE INDEX customers_channel_identity ON customers(merchant_id, channel, external_id)
  WHERE channel != 'webchat' AND external_id IS NOT NULL;
ALTER TABLE messages ADD COLUMN delivery TEXT;
CREATE TABLE provider_messages (
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  provider_message_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (merchant_id, provider_message_id)
);
CREATE TABLE delivery_attempts (
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  state TEXT NOT NULL,
  provider_message_ids TEXT NOT NULL,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  in_flight INTEGER,
  PRIMARY KEY (merchant_id, key)
);
ALTER TABLE outbox_events ADD COLUMN claimed_until TEXT;
ALTER TABLE outbox_events ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox_events ADD COLUMN available_at TEXT;
ALTER TABLE outbox_events ADD COLUMN last_error TEXT;
CREATE INDEX outbox_claimable ON outbox_events(available_at, id) WHERE published_at IS NULL;
ALTER TABLE channels ADD COLUMN failure_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE channels ADD COLUMN breaker_open_until TEXT;
CREATE INDEX webhook_events_stale ON webhook_events(received_at) WHERE status = 'received';
`,
  },
  {
    // Numbered apart from the migrations other work adds in parallel; versions need not be contiguous.
    version: 30,
    name: "commerce sync: products and orders keyed by (platform, external id), sync checkpoints, outgoing webhooks",
    sql: `
ALTER TABLE products ADD COLUMN source TEXT;
DROP INDEX products_external;
CREATE UNIQUE INDEX products_external ON products(merchant_id, coalesce(source, ''), external_id) WHERE external_id IS NOT NULL;
ALTER TABLE orders ADD COLUMN source TEXT;
ALTER TABLE orders ADD COLUMN external_id TEXT;
DROP INDEX orders_number;
CREATE UNIQUE INDEX orders_number ON orders(merchant_id, coalesce(source, ''), number);
CREATE INDEX orders_by_number ON orders(merchant_id, number);
CREATE UNIQUE INDEX orders_external ON orders(merchant_id, source, external_id) WHERE external_id IS NOT NULL;
ALTER TABLE commerce_connections ADD COLUMN sync TEXT;
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  events TEXT NOT NULL,
  status TEXT NOT NULL,
  secret_ciphertext TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints(merchant_id, id);
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_status INTEGER,
  last_error TEXT,
  test INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  last_attempt_at TEXT,
  delivered_at TEXT
);
CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries(merchant_id, event_id, endpoint_id);
CREATE INDEX webhook_deliveries_recent ON webhook_deliveries(merchant_id, created_at, id);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, created_at, id);
`,
  },
  {
    // Numbered apart from the migrations other work adds in parallel; versions need not be contiguous.
    version: 40,
    name: "widget visitors: identified customer, token generation, blocks",
    sql: `
CREATE TABLE visitors (
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  visitor_id TEXT NOT NULL,
  customer_id TEXT,
  token_generation INTEGER NOT NULL DEFAULT 0,
  blocked_at TEXT,
  blocked_by TEXT,
  block_reason TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (merchant_id, visitor_id)
);
CREATE INDEX visitors_blocked ON visitors(merchant_id, blocked_at, visitor_id) WHERE blocked_at IS NOT NULL;
`,
  },
  {
    // The values are sealed (and the hashes filled) by the reseal pass when the store opens: a
    // migration has no key. Searching contact details by a part of them ends here: exact matches only.
    version: 45,
    name: "customer contact details sealed at rest, found by keyed hash",
    sql: `
ALTER TABLE customers ADD COLUMN email_hash TEXT;
ALTER TABLE customers ADD COLUMN phone_hash TEXT;
DROP INDEX IF EXISTS customers_email;
DROP INDEX IF EXISTS customers_phone;
CREATE INDEX customers_email_hash ON customers(merchant_id, email_hash) WHERE email_hash IS NOT NULL;
CREATE INDEX customers_phone_hash ON customers(merchant_id, phone_hash) WHERE phone_hash IS NOT NULL;
ALTER TABLE orders ADD COLUMN contact_email_hash TEXT;
ALTER TABLE orders ADD COLUMN contact_phone_hash TEXT;
CREATE INDEX orders_contact_email_hash ON orders(merchant_id, contact_email_hash) WHERE contact_email_hash IS NOT NULL;
CREATE INDEX orders_contact_phone_hash ON orders(merchant_id, contact_phone_hash) WHERE contact_phone_hash IS NOT NULL;
`,
  },
  {
    // Attachments: the merchant's limits (NULL reads as the defaults) and the upload ledger. A
    // pending row is a URL handed out; a stored one is an attachment a message carries, and the
    // quota is the sum of those. Objects themselves live in the object store.
    version: 70,
    name: "attachment settings and uploads",
    sql: `
ALTER TABLE merchants ADD COLUMN attachments TEXT;
CREATE TABLE uploads (
  merchant_id TEXT NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  declared_type TEXT NOT NULL,
  max_bytes INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'stored')),
  conversation_id TEXT,
  object_key TEXT,
  content_type TEXT,
  size INTEGER,
  kind TEXT,
  width INTEGER,
  height INTEGER,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  PRIMARY KEY (merchant_id, id)
);
CREATE INDEX uploads_pending ON uploads(expires_at) WHERE state = 'pending';
CREATE INDEX uploads_stored ON uploads(merchant_id) WHERE state = 'stored';
`,
  },
];

/** Applies pending migrations; safe to run from several processes opening the same file. */
export function migrate(db: Database.Database, list: readonly Migration[] = migrations): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const isApplied = db.prepare<[number], { version: number }>("SELECT version FROM schema_migrations WHERE version = ?");
  const record = db.prepare<[number, string, string]>(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  const applied: number[] = [];
  for (const migration of [...list].sort((a, b) => a.version - b.version)) {
    // Checked again inside the write lock: another process may have applied it meanwhile.
    const apply = db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      if (migration.rebuildsReferencedTable) {
        const broken = db.pragma("foreign_key_check") as unknown[];
        if (broken.length > 0) throw new Error(`migration ${migration.version} would break ${broken.length} foreign keys`);
      }
      record.run(migration.version, migration.name, new Date().toISOString());
      applied.push(migration.version);
    });
    // Outside the transaction: SQLite ignores this pragma inside one.
    const keysWereOn = migration.rebuildsReferencedTable === true && db.pragma("foreign_keys", { simple: true }) === 1;
    if (keysWereOn) db.pragma("foreign_keys = OFF");
    try {
      apply.immediate();
    } finally {
      if (keysWereOn) db.pragma("foreign_keys = ON");
    }
  }
  return applied;
}
