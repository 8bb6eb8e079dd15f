// What the MongoDB store keeps, as data: every collection's fields and indexes. The mongoose
// schemas are built from this (models.ts), and the unit tests read it to prove the required
// indexes exist and that every path a filter names is a declared field (strictQuery would
// otherwise throw — or, worse if it were set to drop, silently widen a query).
//
// Documents use the domain's own string ids as `_id` (time-ordered, see ids.ts) and ISO strings
// for timestamps, so sort orders and keyset cursors match the SQLite adapter field for field.
// Only TTL fields are BSON dates (the TTL monitor reads nothing else).

export type FieldType = "string" | "number" | "boolean" | "date" | "mixed" | "strings";

export interface IndexSpec {
  /** Field → 1 / -1, in order. */
  key: Record<string, 1 | -1>;
  options: {
    name: string;
    unique?: boolean;
    partialFilterExpression?: Record<string, unknown>;
    expireAfterSeconds?: number;
  };
}

export interface CollectionSpec {
  fields: Record<string, FieldType>;
  indexes: IndexSpec[];
}

const idx = (name: string, key: Record<string, 1 | -1>, options: Omit<IndexSpec["options"], "name"> = {}): IndexSpec => ({
  key,
  options: { name, ...options },
});
/** Partial filter for "this field holds a string" (null and missing are left out of the index). */
const isString = (field: string) => ({ [field]: { $type: "string" } });

export const collections = {
  merchants: {
    fields: {
      name: "string",
      currency: "string",
      defaultLocale: "string",
      // Denormalized from widget.key so the unique index and the widget lookup need no nested path.
      widgetKey: "string",
      widget: "mixed",
      bot: "mixed",
      attachments: "mixed",
      // Bytes of the merchant's stored uploads: the quota counter, moved with each upload in one transaction.
      uploadBytes: "number",
      nextOrderNumber: "number",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [idx("merchants_widget_key", { widgetKey: 1 }, { unique: true })],
  },
  users: {
    fields: {
      merchantId: "string",
      email: "string",
      name: "string",
      role: "string",
      passwordHash: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      idx("users_merchant_email", { merchantId: 1, email: 1 }, { unique: true }),
      idx("users_email", { email: 1, createdAt: 1, _id: 1 }),
    ],
  },
  refreshTokens: {
    fields: {
      merchantId: "string",
      userId: "string",
      familyId: "string",
      expiresAt: "string",
      // expiresAt as a date: the TTL monitor removes tokens once they expire.
      purgeAt: "date",
      usedAt: "string",
      revokedAt: "string",
      createdAt: "string",
    },
    indexes: [
      idx("refresh_tokens_family", { merchantId: 1, familyId: 1 }),
      idx("refresh_tokens_user", { merchantId: 1, userId: 1 }),
      idx("refresh_tokens_ttl", { purgeAt: 1 }, { expireAfterSeconds: 0 }),
    ],
  },
  categories: {
    fields: { merchantId: "string", slug: "string", name: "mixed", createdAt: "string" },
    indexes: [idx("categories_slug", { merchantId: 1, slug: 1 }, { unique: true })],
  },
  products: {
    fields: {
      merchantId: "string",
      source: "string",
      externalId: "string",
      name: "mixed",
      description: "mixed",
      categoryId: "string",
      price: "number",
      currency: "string",
      // JSON text: merchant-chosen keys may hold "." or start with "$", which BSON field names may not.
      attributesJson: "string",
      stock: "number",
      tags: "strings",
      imageUrl: "string",
      url: "string",
      status: "string",
      searchText: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      // The seed's listing index.
      idx("products_listing", { merchantId: 1, status: 1, categoryId: 1, price: 1, createdAt: 1 }),
      idx("products_recent", { merchantId: 1, createdAt: -1, _id: -1 }),
      // Unique null source = Kaleem's own catalog (unique indexes treat null as one value).
      idx("products_external", { merchantId: 1, source: 1, externalId: 1 }, { unique: true, partialFilterExpression: isString("externalId") }),
      idx("products_category", { merchantId: 1, categoryId: 1 }),
    ],
  },
  customers: {
    fields: {
      merchantId: "string",
      name: "string",
      email: "string",
      phone: "string",
      channel: "string",
      externalId: "string",
      // externalId when it identifies one person on a messaging channel (not webchat), else unset:
      // the unique partial index below holds it (a partial filter cannot say `channel != webchat`).
      identityKey: "string",
      // email and phone hold sealed values (shared/src/pii.ts); these keyed hashes find them whole.
      // No folded or lower-cased copy of either is kept: it would hold the detail in the clear.
      emailHash: "string",
      phoneHash: "string",
      // The name's folded copy the inbox search matches a part of (see foldSearchText).
      nameFolded: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      idx("customers_channel_identity", { merchantId: 1, channel: 1, identityKey: 1 }, { unique: true, partialFilterExpression: isString("identityKey") }),
      idx("customers_external", { merchantId: 1, channel: 1, externalId: 1 }),
      idx("customers_email_hash", { merchantId: 1, emailHash: 1 }, { partialFilterExpression: isString("emailHash") }),
      idx("customers_phone_hash", { merchantId: 1, phoneHash: 1 }, { partialFilterExpression: isString("phoneHash") }),
      idx("customers_recent", { merchantId: 1, _id: -1 }),
    ],
  },
  orders: {
    fields: {
      merchantId: "string",
      source: "string",
      externalId: "string",
      number: "string",
      customerId: "string",
      conversationId: "string",
      // The channel of the order's conversation, copied at creation (it never changes).
      conversationChannel: "string",
      items: "mixed",
      subtotal: "number",
      deliveryFee: "number",
      codFee: "number",
      total: "number",
      currency: "string",
      status: "string",
      paymentMethod: "string",
      // The contact's email and phone are sealed inside it; their keyed hashes find the order.
      contact: "mixed",
      contactEmailHash: "string",
      contactPhoneHash: "string",
      contactNameFolded: "string",
      shippingAddress: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      // The seed's listing index.
      idx("orders_listing", { merchantId: 1, status: 1, customerId: 1, createdAt: 1 }),
      idx("orders_recent", { merchantId: 1, createdAt: -1, _id: -1 }),
      idx("orders_number", { merchantId: 1, source: 1, number: 1 }, { unique: true }),
      idx("orders_by_number", { merchantId: 1, number: 1 }),
      idx("orders_external", { merchantId: 1, source: 1, externalId: 1 }, { unique: true, partialFilterExpression: isString("externalId") }),
      idx("orders_conversation", { merchantId: 1, conversationId: 1, createdAt: 1 }),
      idx("orders_contact_email_hash", { merchantId: 1, contactEmailHash: 1 }, { partialFilterExpression: isString("contactEmailHash") }),
      idx("orders_contact_phone_hash", { merchantId: 1, contactPhoneHash: 1 }, { partialFilterExpression: isString("contactPhoneHash") }),
    ],
  },
  idempotencyKeys: {
    fields: {
      merchantId: "string",
      key: "string",
      requestHash: "string",
      state: "string",
      responseJson: "string",
      lockedUntil: "number",
      expiresAt: "number",
      // expiresAt as a date, for the TTL monitor; begin() still checks expiresAt itself (the
      // monitor runs about once a minute).
      purgeAt: "date",
      createdAt: "string",
    },
    indexes: [
      idx("idempotency_key", { merchantId: 1, key: 1 }, { unique: true }),
      idx("idempotency_ttl", { purgeAt: 1 }, { expireAfterSeconds: 0 }),
    ],
  },
  conversations: {
    fields: {
      merchantId: "string",
      channel: "string",
      channelId: "string",
      customerId: "string",
      visitorId: "string",
      status: "string",
      // Set while the conversation is the open one of its visitor (or channel customer), unset once
      // closed: a unique partial index can hold it, which `status != closed` cannot be.
      openKey: "string",
      assigneeId: "string",
      locale: "string",
      labels: "strings",
      lastSeq: "number",
      lastMessageAt: "string",
      lastMessagePreview: "string",
      previewFolded: "string",
      previewSeq: "number",
      activityAt: "string",
      unreadCount: "number",
      shopperReadSeq: "number",
      botStateJson: "string",
      pageUrl: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      idx("conversations_open", { merchantId: 1, openKey: 1 }, { unique: true, partialFilterExpression: isString("openKey") }),
      idx("conversations_activity", { merchantId: 1, activityAt: -1, _id: -1 }),
      idx("conversations_status", { merchantId: 1, status: 1, activityAt: -1, _id: -1 }),
      idx("conversations_visitor", { merchantId: 1, visitorId: 1, createdAt: -1 }),
      idx("conversations_customer", { merchantId: 1, customerId: 1, channel: 1, createdAt: -1 }),
      idx("conversations_assignee", { merchantId: 1, assigneeId: 1, activityAt: -1 }),
      idx("conversations_created", { merchantId: 1, createdAt: 1 }),
    ],
  },
  messages: {
    fields: {
      merchantId: "string",
      conversationId: "string",
      seq: "number",
      role: "string",
      text: "string",
      parts: "mixed",
      status: "string",
      authorId: "string",
      authorName: "string",
      clientMessageId: "string",
      intent: "string",
      channelDelivery: "mixed",
      createdAt: "string",
    },
    indexes: [
      idx("messages_seq", { conversationId: 1, seq: 1 }, { unique: true }),
      idx("messages_client_id", { conversationId: 1, clientMessageId: 1 }, { unique: true, partialFilterExpression: isString("clientMessageId") }),
      idx("messages_conversation", { merchantId: 1, conversationId: 1, seq: 1 }),
      idx("messages_streaming", { status: 1, createdAt: 1 }, { partialFilterExpression: { status: "streaming" } }),
      idx("messages_created", { merchantId: 1, createdAt: 1 }),
    ],
  },
  providerMessages: {
    fields: { merchantId: "string", providerMessageId: "string", messageId: "string", createdAt: "string" },
    indexes: [idx("provider_messages_id", { merchantId: 1, providerMessageId: 1 }, { unique: true })],
  },
  knowledgeItems: {
    fields: { merchantId: "string", title: "string", data: "mixed", createdAt: "string", updatedAt: "string" },
    indexes: [idx("knowledge_merchant", { merchantId: 1, _id: 1 })],
  },
  channels: {
    fields: {
      merchantId: "string",
      type: "string",
      name: "string",
      publicConfigJson: "string",
      secretsCiphertext: "string",
      status: "string",
      lastEventAt: "string",
      lastError: "string",
      failureStreak: "number",
      breakerOpenUntil: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [idx("channels_merchant", { merchantId: 1, _id: 1 })],
  },
  commerceConnections: {
    fields: {
      merchantId: "string",
      platform: "string",
      publicConfigJson: "string",
      secretsCiphertext: "string",
      status: "string",
      lastEventAt: "string",
      lastError: "string",
      syncJson: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [idx("commerce_connections_platform", { merchantId: 1, platform: 1 }, { unique: true })],
  },
  cannedReplies: {
    fields: { merchantId: "string", shortcut: "string", text: "string", createdAt: "string", updatedAt: "string" },
    indexes: [idx("canned_replies_shortcut", { merchantId: 1, shortcut: 1 }, { unique: true })],
  },
  webhookEndpoints: {
    fields: {
      merchantId: "string",
      url: "string",
      description: "string",
      events: "strings",
      status: "string",
      secretCiphertext: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [idx("webhook_endpoints_merchant", { merchantId: 1, createdAt: 1, _id: 1 })],
  },
  webhookDeliveries: {
    fields: {
      merchantId: "string",
      endpointId: "string",
      eventId: "string",
      eventType: "string",
      body: "string",
      status: "string",
      attempts: "number",
      lastStatus: "number",
      lastError: "string",
      test: "boolean",
      createdAt: "string",
      lastAttemptAt: "string",
      deliveredAt: "string",
    },
    indexes: [
      idx("webhook_deliveries_once", { merchantId: 1, eventId: 1, endpointId: 1 }, { unique: true }),
      idx("webhook_deliveries_recent", { merchantId: 1, createdAt: -1, _id: -1 }),
      idx("webhook_deliveries_endpoint", { merchantId: 1, endpointId: 1, createdAt: -1, _id: -1 }),
    ],
  },
  webhookEvents: {
    fields: {
      merchantId: "string",
      source: "string",
      dedupeKey: "string",
      payloadJson: "string",
      status: "string",
      error: "string",
      receivedAt: "string",
      processedAt: "string",
    },
    indexes: [
      idx("webhook_events_dedupe", { merchantId: 1, source: 1, dedupeKey: 1 }, { unique: true }),
      idx("webhook_events_stale", { receivedAt: 1 }, { partialFilterExpression: { status: "received" } }),
    ],
  },
  outboxEvents: {
    fields: {
      merchantId: "string",
      topic: "string",
      payloadJson: "string",
      attempts: "number",
      createdAt: "string",
      publishedAt: "string",
      claimedUntil: "string",
      claimedBy: "string",
      availableAt: "string",
      lastError: "string",
    },
    indexes: [
      idx("outbox_pending", { merchantId: 1, publishedAt: 1, _id: 1 }),
      idx("outbox_claimable", { publishedAt: 1, availableAt: 1, _id: 1 }),
    ],
  },
  deliveryAttempts: {
    fields: {
      merchantId: "string",
      key: "string",
      messageId: "string",
      state: "string",
      providerMessageIds: "strings",
      error: "string",
      startedAt: "string",
      finishedAt: "string",
      inFlight: "number",
    },
    indexes: [idx("delivery_attempts_key", { merchantId: 1, key: 1 }, { unique: true })],
  },
  visitors: {
    fields: {
      merchantId: "string",
      visitorId: "string",
      customerId: "string",
      tokenGeneration: "number",
      blockedAt: "string",
      blockedBy: "string",
      blockReason: "string",
      createdAt: "string",
      updatedAt: "string",
    },
    indexes: [
      idx("visitors_id", { merchantId: 1, visitorId: 1 }, { unique: true }),
      idx("visitors_blocked", { merchantId: 1, blockedAt: -1, visitorId: -1 }, { partialFilterExpression: isString("blockedAt") }),
    ],
  },
  uploads: {
    fields: {
      merchantId: "string",
      owner: "string",
      name: "string",
      declaredType: "string",
      maxBytes: "number",
      state: "string",
      conversationId: "string",
      key: "string",
      contentType: "string",
      size: "number",
      kind: "string",
      width: "number",
      height: "number",
      createdAt: "string",
      expiresAt: "string",
    },
    indexes: [
      idx("uploads_merchant_state", { merchantId: 1, state: 1 }),
      idx("uploads_expired", { state: 1, expiresAt: 1 }),
    ],
  },
  auditLogs: {
    fields: {
      merchantId: "string",
      actorId: "string",
      action: "string",
      target: "string",
      dataJson: "string",
      ip: "string",
      createdAt: "string",
    },
    indexes: [idx("audit_logs_merchant", { merchantId: 1, _id: -1 })],
  },
} as const satisfies Record<string, CollectionSpec>;

export type CollectionName = keyof typeof collections;
export const collectionNames = Object.keys(collections) as CollectionName[];
