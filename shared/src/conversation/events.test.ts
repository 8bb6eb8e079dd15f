import { testStoreCrypto } from "@kaleem/shared/testing";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MemoryJobQueue, MemoryStreamRegistry, createMemoryPresence, openSqliteStore } from "../adapters/index.js";
import { asMerchantId, type Store } from "../ports/store.js";
import { ConversationEventBus, type ConversationEvent, type ConversationListener } from "./events.js";
import { ConversationService } from "./service.js";

const recorder = (name: string, seen: string[], priority?: number): ConversationListener => ({
  name,
  ...(priority !== undefined ? { priority } : {}),
  handle: (e) => void seen.push(`${name}:${e.type}`),
});

describe("conversation event bus", () => {
  const event: ConversationEvent = { type: "message.read", merchantId: "m", conversationId: "c", seq: 1, by: "shopper" };

  it("runs listeners by priority, keeping registration order among equals", async () => {
    const seen: string[] = [];
    const bus = new ConversationEventBus([recorder("late", seen, 20), recorder("sockets", seen, 0), recorder("also-late", seen, 20)]);
    bus.add(recorder("analytics", seen, 10));
    await bus.publish(event);
    expect(seen).toEqual(["sockets:message.read", "analytics:message.read", "late:message.read", "also-late:message.read"]);
  });

  it("a failing listener is logged and does not stop the ones after it", async () => {
    const seen: string[] = [];
    const warnings: unknown[] = [];
    const logger = { warn: (obj: unknown) => warnings.push(obj) } as unknown as ConstructorParameters<typeof ConversationEventBus>[1];
    const bus = new ConversationEventBus([{ name: "broken", handle: () => Promise.reject(new Error("down")) }, recorder("after", seen)], logger);
    await bus.publish(event);
    expect(seen).toEqual(["after:message.read"]);
    expect(warnings).toHaveLength(1);
  });
});

describe("the conversation service says what happened as events", () => {
  let dir: string;
  let store: Store;
  let queue: MemoryJobQueue;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-events-"));
    store = await openSqliteStore({ crypto: testStoreCrypto(), file: path.join(dir, "db.sqlite") });
    queue = new MemoryJobQueue();
  });
  afterEach(async () => {
    await queue.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a shopper message, a takeover and a read arrive in order with their summaries", async () => {
    const { merchant, owner } = await store.createMerchant({ name: "Shop" }, { email: "o@x.io", name: "Sara", role: "owner", passwordHash: "x" });
    const events: ConversationEvent[] = [];
    const service = new ConversationService({
      store,
      events: new ConversationEventBus([{ name: "record", handle: (e) => void events.push(e) }]),
      queue,
      streams: new MemoryStreamRegistry(),
      presence: createMemoryPresence(),
    });
    const tenant = store.forMerchant(asMerchantId(merchant.id));
    const conversation = await tenant.conversations.create({ channel: "webchat", visitorId: "v1", locale: "en" });
    await service.shopperSend(merchant.id, conversation.id, { clientMessageId: "c1", text: "hello" });
    await service.takeover(merchant.id, { userId: owner.id, name: "Sara" }, conversation.id);
    await service.markRead(merchant.id, conversation.id, "agent", 99);

    expect(events.map((e) => e.type)).toEqual(["message.created", "message.created", "conversation.state_changed", "message.read", "conversation.updated"]);
    const [first, system, changed] = events;
    expect(first).toMatchObject({ firstMessage: true, message: { role: "shopper", text: "hello" }, summary: { id: conversation.id } });
    expect(system).toMatchObject({ firstMessage: false, message: { role: "system" } });
    expect(changed).toMatchObject({ from: "bot", conversation: { status: "human", assigneeId: owner.id }, agentName: "Sara", action: "conversation.takeover" });
    // The read is capped at what exists.
    expect(events[3]).toMatchObject({ seq: 2, by: "agent" });
  });
});
