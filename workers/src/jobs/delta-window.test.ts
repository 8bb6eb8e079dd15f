// The coalescing window on a hand-driven clock: which pieces go out at once, which are merged,
// and that the merged pieces are the produced text in order with nothing lost or repeated.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeltaWindow } from "./delta-window.js";

let clock = 0;
let sent: string[];
const sink = async (text: string) => {
  sent.push(text);
};

beforeEach(() => {
  vi.useFakeTimers();
  clock = 0;
  sent = [];
});
afterEach(() => {
  vi.useRealTimers();
});

/** Moves the window's clock and the timers together. */
async function advance(ms: number) {
  clock += ms;
  await vi.advanceTimersByTimeAsync(ms);
}

describe("DeltaWindow", () => {
  it("sends the first piece at once and merges the ones inside the window into one", async () => {
    const w = new DeltaWindow(40, sink, () => clock);
    await w.push("Hello");
    // Out before any timer runs: the first delta of an answer never waits.
    expect(sent).toEqual(["Hello"]);
    await advance(10);
    await w.push(" there");
    await advance(10);
    await w.push(", how");
    await advance(20);
    expect(sent).toEqual(["Hello"]);
    // Nothing more came: the held pieces go out as one, 40 after the first of them.
    await advance(20);
    expect(sent).toEqual(["Hello", " there, how"]);
    await advance(5);
    await w.push(" are");
    await w.flush();
    expect(sent).toEqual(["Hello", " there, how", " are"]);
    expect(w.sent).toBe(3);
  });

  it("a piece arriving once the window has passed goes out at once with what was held, and the timer is dropped", async () => {
    const w = new DeltaWindow(40, sink, () => clock);
    await w.push("a");
    await advance(10);
    await w.push("b");
    expect(vi.getTimerCount()).toBe(1);
    await advance(30);
    await w.push("c");
    expect(sent).toEqual(["a", "bc"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("a piece after a quiet window goes out at once again", async () => {
    const w = new DeltaWindow(40, sink, () => clock);
    await w.push("a");
    await advance(100);
    await w.push("b");
    expect(sent).toEqual(["a", "b"]);
  });

  it("at ~40 tokens/s a 50 ms window halves the deltas, and their concatenation is the text", async () => {
    const w = new DeltaWindow(50, sink, () => clock);
    const tokens = Array.from({ length: 40 }, (_, i) => `t${i} `);
    for (const t of tokens) {
      await w.push(t);
      await advance(25);
    }
    await w.flush();
    expect(sent.join("")).toBe(tokens.join(""));
    expect(sent.length).toBeLessThanOrEqual(21);
    expect(sent[0]).toBe("t0 ");
  });

  it("window 0 sends each piece of a paced producer as it comes, and sets no timer", async () => {
    const w = new DeltaWindow(0, sink, () => clock);
    for (const t of ["a", "b", "c"]) {
      await w.push(t);
      // The next piece comes in a later turn of the event loop.
      await vi.advanceTimersByTimeAsync(0);
    }
    await w.flush();
    expect(sent).toEqual(["a", "b", "c"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("window 0 merges the pieces produced in one turn of the event loop: the first at once, the rest at its end", async () => {
    const w = new DeltaWindow(0, sink, () => clock);
    await w.push("We ");
    expect(sent).toEqual(["We "]);
    for (const t of ["deliver ", "in ", "two ", "days."]) await w.push(t);
    // Held for the rest of this turn only, not for any time.
    expect(sent).toEqual(["We "]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["We ", "deliver in two days."]);
    expect(w.sent).toBe(2);
    // A piece in a later turn goes out at once again.
    await w.push(" Anything else?");
    expect(sent).toEqual(["We ", "deliver in two days.", " Anything else?"]);
    await w.flush();
  });

  it("window 0: flush sends what the turn still holds (before the answer's end)", async () => {
    const w = new DeltaWindow(0, sink, () => clock);
    await w.push("a");
    await w.push("b");
    await w.push("c");
    await w.flush();
    expect(sent).toEqual(["a", "bc"]);
  });

  it("window 0: a failed send is reported by that push and nothing is sent after it", async () => {
    const w = new DeltaWindow(
      0,
      async (text) => {
        if (text === "b") throw new Error("record unavailable");
        sent.push(text);
      },
      () => clock,
    );
    await w.push("a");
    await vi.advanceTimersByTimeAsync(0);
    await expect(w.push("b")).rejects.toThrow("record unavailable");
    await expect(w.push("c")).rejects.toThrow("record unavailable");
    await expect(w.flush()).rejects.toThrow("record unavailable");
    expect(sent).toEqual(["a"]);
  });

  it("sends run one at a time in order, even when a send is slow", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const w = new DeltaWindow(
      40,
      async (text) => {
        order.push(`start ${text}`);
        if (text === "a") await gate;
        order.push(`end ${text}`);
      },
      () => clock,
    );
    const first = w.push("a");
    await advance(10);
    await w.push("b");
    await advance(40);
    expect(order).toEqual(["start a"]);
    release();
    await first;
    await w.flush();
    expect(order).toEqual(["start a", "end a", "start b", "end b"]);
  });

  it("a send that failed from the timer is reported by the next push or flush, and nothing is sent after it", async () => {
    let calls = 0;
    const w = new DeltaWindow(
      40,
      async (text) => {
        calls++;
        if (text === "b") throw new Error("record unavailable");
        sent.push(text);
      },
      () => clock,
    );
    await w.push("a");
    await advance(10);
    await w.push("b");
    await advance(60);
    await expect(w.push("c")).rejects.toThrow("record unavailable");
    await expect(w.flush()).rejects.toThrow("record unavailable");
    expect(sent).toEqual(["a"]);
    expect(calls).toBe(2);
  });

  it("cancel drops what is held and its timer", async () => {
    const w = new DeltaWindow(40, sink, () => clock);
    await w.push("a");
    await w.push("b");
    await w.cancel();
    await advance(100);
    expect(sent).toEqual(["a"]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
