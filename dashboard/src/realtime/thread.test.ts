import type { Message } from "@kaleem/shared/contracts";
import { describe, expect, it } from "vitest";
import { applyDelta, applyDone, applyMessage, applySnapshot, emptyThread, resumePoint } from "./thread";

const C = "c1";
function msg(seq: number, patch: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    conversationId: C,
    seq,
    role: "shopper",
    text: `text ${seq}`,
    parts: [],
    status: "complete",
    authorId: null,
    authorName: null,
    clientMessageId: null,
    intent: null,
    createdAt: new Date(2025, 0, 1, 0, 0, seq).toISOString(),
    ...patch,
  };
}
const delta = (offset: number, text: string, messageId = "m2") => ({ conversationId: C, messageId, offset, text });

describe("thread", () => {
  it("orders by seq and never shows a message twice", () => {
    let t = emptyThread(C);
    t = applyMessage(t, msg(2));
    t = applyMessage(t, msg(1));
    t = applyMessage(t, msg(2));
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it("ignores messages of other conversations", () => {
    const t = applyMessage(emptyThread(C), { ...msg(1), conversationId: "other" });
    expect(t.messages).toHaveLength(0);
  });

  it("applies deltas by offset, dropping repeats and overlaps", () => {
    let t = applyMessage(emptyThread(C), msg(2, { role: "bot", text: "", status: "streaming" }));
    t = applyDelta(t, delta(0, "Hel"));
    t = applyDelta(t, delta(0, "Hel")); // repeat
    t = applyDelta(t, delta(1, "ello")); // overlap
    t = applyDelta(t, delta(5, " world"));
    expect(t.messages[0]?.text).toBe("Hello world");
    expect(t.gap).toBe(false);
  });

  it("flags a gap instead of writing text at the wrong place", () => {
    let t = applyMessage(emptyThread(C), msg(2, { role: "bot", text: "Hi", status: "streaming" }));
    t = applyDelta(t, delta(5, "later"));
    expect(t.gap).toBe(true);
    expect(t.messages[0]?.text).toBe("Hi");
  });

  it("creates a provisional bot message for a delta of an unseen message and fixes its seq from the snapshot", () => {
    let t = applyMessage(emptyThread(C), msg(1));
    t = applyDelta(t, delta(0, "Hi", "m9"));
    expect(t.messages.at(-1)).toMatchObject({ id: "m9", provisional: true, status: "streaming", text: "Hi" });
    t = applySnapshot(t, [], [{ messageId: "m9", seq: 2, text: "Hi" }]);
    expect(t.messages.at(-1)).toMatchObject({ id: "m9", seq: 2, provisional: false });
  });

  it("message:done replaces the streamed text and later deltas are ignored", () => {
    let t = applyMessage(emptyThread(C), msg(2, { role: "bot", text: "", status: "streaming" }));
    t = applyDelta(t, delta(0, "Partial"));
    t = applyDone(t, msg(2, { role: "bot", text: "Partial", status: "stopped" }));
    t = applyDelta(t, delta(7, " more"));
    expect(t.messages[0]).toMatchObject({ text: "Partial", status: "stopped" });
  });

  it("a stale streaming copy never shortens text we already have", () => {
    let t = applyMessage(emptyThread(C), msg(2, { role: "bot", text: "", status: "streaming" }));
    t = applyDelta(t, delta(0, "Hello there"));
    t = applyMessage(t, msg(2, { role: "bot", text: "Hello", status: "streaming" }));
    expect(t.messages[0]?.text).toBe("Hello there");
  });

  it("a resume snapshot fills what was missed without duplicates", () => {
    let t = applySnapshot(emptyThread(C), [msg(1), msg(2)], []);
    t = applySnapshot(t, [msg(2), msg(3), msg(4, { role: "bot" })], [{ messageId: "m5", seq: 5, text: "stream" }]);
    expect(t.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(t.messages[4]).toMatchObject({ status: "streaming", text: "stream" });
    // A longer live text is kept over a shorter partial from an older resume.
    t = applyDelta(t, delta(6, "ing on", "m5"));
    t = applySnapshot(t, [], [{ messageId: "m5", seq: 5, text: "stream" }]);
    expect(t.messages[4]?.text).toBe("streaming on");
  });

  it("resumes after the last contiguous final message", () => {
    expect(resumePoint(emptyThread(C))).toBe(0);
    let t = applySnapshot(emptyThread(C), [msg(10), msg(11), msg(12)], []);
    expect(resumePoint(t)).toBe(12);
    t = applyMessage(t, msg(13, { role: "bot", status: "streaming", text: "x" }));
    t = applyMessage(t, msg(14));
    expect(resumePoint(t)).toBe(12);
    const holed = applySnapshot(emptyThread(C), [msg(1), msg(2), msg(5)], []);
    expect(resumePoint(holed)).toBe(2);
  });
});
