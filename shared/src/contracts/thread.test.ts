import { describe, expect, it } from "vitest";
import type { Message } from "./domain.js";
import { ConversationThread } from "./thread.js";

const msg = (over: Partial<Message> & Pick<Message, "id" | "seq">): Message => ({
  conversationId: "c1",
  role: "bot",
  text: "",
  parts: [],
  status: "complete",
  authorId: null,
  authorName: null,
  clientMessageId: null,
  intent: null,
  createdAt: "2025-01-01T00:00:00.000Z",
  ...over,
});
const delta = (messageId: string, offset: number, text: string) => ({ conversationId: "c1", messageId, offset, text });

describe("thread fold: deltas", () => {
  it("appends in-order deltas and ignores repeats and overlaps", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "b1", seq: 2, status: "streaming" }));
    expect(log.applyDelta(delta("b1", 0, "Hello"))).toBe("applied");
    expect(log.applyDelta(delta("b1", 0, "Hello"))).toBe("duplicate");
    expect(log.applyDelta(delta("b1", 5, " wor"))).toBe("applied");
    // Overlapping range: only the new tail is added.
    expect(log.applyDelta(delta("b1", 6, "world"))).toBe("applied");
    expect(log.get("b1")?.text).toBe("Hello world");
    expect(log.applyDelta(delta("b1", 3, "lo w"))).toBe("duplicate");
    expect(log.get("b1")?.text).toBe("Hello world");
  });

  it("holds back a delta after a gap, reports it, and applies it once the gap is filled", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "b1", seq: 2, status: "streaming", text: "Hi" }));
    expect(log.applyDelta(delta("b1", 5, "there"))).toBe("gap");
    expect(log.hasGap()).toBe(true);
    expect(log.get("b1")?.text).toBe("Hi");
    // The resume brings the partial text up to offset 4; the held delta still starts after it.
    log.applyPartial({ messageId: "b1", seq: 2, text: "Hi, " });
    expect(log.hasGap()).toBe(true);
    expect(log.applyDelta(delta("b1", 4, " "))).toBe("applied");
    expect(log.get("b1")?.text).toBe("Hi,  there");
    expect(log.hasGap()).toBe(false);
  });

  it("starts a message from a first delta that overtakes its announcement", () => {
    const log = new ConversationThread({ audience: "shopper" });
    expect(log.applyDelta(delta("b9", 0, "Sure"))).toBe("applied");
    log.upsert(msg({ id: "b9", seq: 7, status: "streaming", text: "Su" }));
    const m = log.get("b9");
    expect(m?.text).toBe("Sure");
    expect(m?.seq).toBe(7);
  });

  it("treats a delta for an unknown message at a non-zero offset as a gap", () => {
    const log = new ConversationThread({ audience: "shopper" });
    expect(log.applyDelta(delta("b2", 10, "late"))).toBe("gap");
    expect(log.list()).toHaveLength(0);
    log.upsert(msg({ id: "b1", seq: 1, text: "hi" }));
    // We cannot know the unseen message's seq, so resume from what we hold in full.
    expect(log.resumeAfterSeq()).toBe(1);
  });

  it("lets the final message win over streaming text and ignores later deltas and partials", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "b1", seq: 2, status: "streaming" }));
    log.applyDelta(delta("b1", 0, "Hel"));
    log.upsert(msg({ id: "b1", seq: 2, text: "Hello there", parts: [{ type: "handoff", reason: "x" }] }));
    expect(log.applyDelta(delta("b1", 3, "lo"))).toBe("duplicate");
    expect(log.applyPartial({ messageId: "b1", seq: 2, text: "Hello" })).toBe(false);
    expect(log.upsert(msg({ id: "b1", seq: 2, status: "streaming", text: "Hello" }))).toBe(false);
    const m = log.get("b1");
    expect(m?.text).toBe("Hello there");
    expect(m?.status).toBe("complete");
    expect(m?.parts).toHaveLength(1);
  });

  it("keeps the longer text when a partial is older than the deltas already applied", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "b1", seq: 3, status: "streaming" }));
    log.applyDelta(delta("b1", 0, "abcdef"));
    expect(log.applyPartial({ messageId: "b1", seq: 3, text: "abc" })).toBe(false);
    expect(log.get("b1")?.text).toBe("abcdef");
    expect(log.applyPartial({ messageId: "b1", seq: 3, text: "abcdefgh" })).toBe(true);
    expect(log.get("b1")?.text).toBe("abcdefgh");
  });
});

describe("thread fold: history and sends (shopper)", () => {
  it("orders by seq, de-duplicates by id, and puts unsent messages last", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.addPending({ clientMessageId: "cm1", text: "third", createdAt: "2025-01-01T00:00:03.000Z" });
    log.upsert(msg({ id: "m2", seq: 2, text: "two" }));
    log.upsert(msg({ id: "m1", seq: 1, role: "shopper", text: "one" }));
    log.upsert(msg({ id: "m2", seq: 2, text: "two" }));
    expect(log.list().map((m) => m.text)).toEqual(["one", "two", "third"]);
  });

  it("replaces the pending message with the acknowledged one (same client message id)", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.addPending({ clientMessageId: "cm1", text: "hello", createdAt: "2025-01-01T00:00:00.000Z" });
    expect(log.list()[0]?.delivery).toBe("sending");
    log.upsert(msg({ id: "m5", seq: 5, role: "shopper", text: "hello", clientMessageId: "cm1" }));
    // The room echo of the same message changes nothing.
    log.upsert(msg({ id: "m5", seq: 5, role: "shopper", text: "hello", clientMessageId: "cm1" }));
    const list = log.list();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: "m5", seq: 5, delivery: "sent" });
    expect(log.pendingSends()).toHaveLength(0);
  });

  it("marks the shopper's messages read up to the agent's read seq, including later arrivals", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "m1", seq: 1, role: "shopper", text: "a" }));
    log.upsert(msg({ id: "m2", seq: 2, role: "bot", text: "b" }));
    log.upsert(msg({ id: "m3", seq: 3, role: "shopper", text: "c" }));
    expect(log.markReadByAgent(2)).toBe(true);
    expect(log.list().map((m) => m.delivery)).toEqual(["read", null, "sent"]);
    log.upsert(msg({ id: "m1", seq: 1, role: "shopper", text: "a" }));
    expect(log.get("m1")?.delivery).toBe("read");
  });

  it("resumes below an answer that is still streaming so its final form comes back", () => {
    const log = new ConversationThread({ audience: "shopper" });
    log.upsert(msg({ id: "m1", seq: 1, role: "shopper", text: "q" }));
    log.upsert(msg({ id: "b2", seq: 2, status: "streaming" }));
    log.upsert(msg({ id: "m3", seq: 3, role: "system", text: "agent joined" }));
    expect(log.resumeAfterSeq()).toBe(1);
    log.upsert(msg({ id: "b2", seq: 2, text: "done" }));
    expect(log.resumeAfterSeq()).toBe(3);
    expect(log.lastSeq()).toBe(3);
  });

  it("never shows private notes", () => {
    const log = new ConversationThread({ audience: "shopper" });
    expect(log.upsert(msg({ id: "n1", seq: 4, role: "note", text: "internal" }))).toBe(false);
    expect(log.list()).toHaveLength(0);
  });
});

const C = "c1";
function at(seq: number, patch: Partial<Message> = {}): Message {
  return msg({ id: `m${seq}`, seq, role: "shopper", text: `text ${seq}`, ...patch });
}
const agentThread = () => new ConversationThread({ audience: "agent", conversationId: C });

describe("thread fold: the agent's view", () => {
  it("keeps private notes and ignores messages of other conversations", () => {
    const t = agentThread();
    expect(t.upsert(at(1, { role: "note", text: "internal" }))).toBe(true);
    expect(t.upsert({ ...at(2), conversationId: "other" })).toBe(false);
    expect(t.list().map((m) => m.role)).toEqual(["note"]);
    expect(t.list()[0]?.delivery).toBeNull();
  });

  it("out-of-order deltas: a later piece waits for the earlier one, then both apply once", () => {
    const t = agentThread();
    t.upsert(at(2, { role: "bot", text: "", status: "streaming" }));
    expect(t.applyDelta(delta("m2", 5, " world"))).toBe("gap");
    expect(t.applyDelta(delta("m2", 0, "Hello"))).toBe("applied");
    expect(t.get("m2")?.text).toBe("Hello world");
    expect(t.hasGap()).toBe(false);
    expect(t.applyDelta(delta("m2", 5, " world"))).toBe("duplicate");
  });

  it("a first delta of an unseen message gets its seq from the next snapshot", () => {
    const t = agentThread();
    t.upsert(at(1));
    t.applyDelta(delta("m9", 0, "Hi"));
    expect(t.list().at(-1)).toMatchObject({ id: "m9", seq: null, status: "streaming", text: "Hi" });
    t.applySnapshot([], [{ messageId: "m9", seq: 2, text: "Hi" }]);
    expect(t.list().at(-1)).toMatchObject({ id: "m9", seq: 2 });
  });

  it("a stopped stream keeps its text and ignores later deltas", () => {
    const t = agentThread();
    t.upsert(at(2, { role: "bot", text: "", status: "streaming" }));
    t.applyDelta(delta("m2", 0, "Partial"));
    t.upsert(at(2, { role: "bot", text: "Partial", status: "stopped" }));
    expect(t.applyDelta(delta("m2", 7, " more"))).toBe("duplicate");
    expect(t.get("m2")).toMatchObject({ text: "Partial", status: "stopped" });
  });

  it("resume while streaming: the snapshot fills what was missed, a longer live text survives an older partial", () => {
    const t = agentThread();
    t.applySnapshot([at(1), at(2)], []);
    t.applySnapshot([at(2), at(3), at(4, { role: "bot" })], [{ messageId: "m5", seq: 5, text: "stream" }]);
    expect(t.list().map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(t.get("m5")).toMatchObject({ status: "streaming", text: "stream" });
    t.applyDelta(delta("m5", 6, "ing on"));
    t.applySnapshot([], [{ messageId: "m5", seq: 5, text: "stream" }]);
    expect(t.get("m5")?.text).toBe("streaming on");
  });

  it("a snapshot drops deltas held for a message it shows as final", () => {
    const t = agentThread();
    t.upsert(at(2, { role: "bot", text: "He", status: "streaming" }));
    t.applyDelta(delta("m2", 9, "late"));
    expect(t.hasGap()).toBe(true);
    t.applySnapshot([at(2, { role: "bot", text: "Hello there, late", status: "complete" })], []);
    expect(t.hasGap()).toBe(false);
    expect(t.get("m2")?.text).toBe("Hello there, late");
  });

  it("resumes after the last contiguous final message (agents see every seq)", () => {
    expect(agentThread().resumeAfterSeq()).toBe(0);
    const t = agentThread();
    t.applySnapshot([at(10), at(11), at(12)], []);
    expect(t.resumeAfterSeq()).toBe(12);
    t.upsert(at(13, { role: "bot", status: "streaming", text: "x" }));
    t.upsert(at(14));
    expect(t.resumeAfterSeq()).toBe(12);
    const holed = agentThread();
    holed.applySnapshot([at(1), at(2), at(5)], []);
    expect(holed.resumeAfterSeq()).toBe(2);
  });

  it("a shopper's view skips note holes instead of resuming below them", () => {
    const t = new ConversationThread({ audience: "shopper", conversationId: C });
    t.applySnapshot([at(1), at(3, { role: "bot" })], []);
    expect(t.resumeAfterSeq()).toBe(3);
  });

  it("shows an agent's own send until the server's copy replaces it, and can drop a refused one", () => {
    const t = agentThread();
    t.addPending({ clientMessageId: "k1", text: "on my way", createdAt: "2025-01-01T00:00:00.000Z", role: "agent", authorName: "Sara" });
    t.addPending({ clientMessageId: "k2", text: "refused", createdAt: "2025-01-01T00:00:01.000Z", role: "note" });
    expect(t.list().map((m) => m.text)).toEqual(["on my way", "refused"]);
    t.upsert(at(4, { role: "agent", text: "on my way", clientMessageId: "k1", authorName: "Sara" }));
    expect(t.dropPending("k2")).toBe(true);
    expect(t.list()).toMatchObject([{ id: "m4", seq: 4, delivery: null }]);
  });
});
