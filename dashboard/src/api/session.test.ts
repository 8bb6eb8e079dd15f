// Session runs in the browser; here it gets the two browser globals it touches (localStorage and
// window's storage event) from a minimal in-memory stand-in.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Session, SessionExpiredError, toPair, type RefreshResponse } from "./session";

class MemoryStorage {
  private data = new Map<string, string>();
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
}

const g = globalThis as unknown as { localStorage?: MemoryStorage; window?: { addEventListener: () => void } };

describe("Session", () => {
  beforeEach(() => {
    g.localStorage = new MemoryStorage();
    g.window = { addEventListener: () => undefined };
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    delete g.localStorage;
    delete g.window;
  });

  const answer = (n: number): RefreshResponse => ({ accessToken: `a${n}`, refreshToken: `r${n}`, expiresIn: 900 });

  it("spends the refresh token once however many callers ask at the same time", async () => {
    let calls = 0;
    const session = new Session(async (token) => {
      calls += 1;
      expect(token).toBe("r0");
      return answer(1);
    });
    session.set(toPair(answer(0)));
    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(calls).toBe(1);
    expect(results.map((p) => p.accessToken)).toEqual(["a1", "a1", "a1"]);
    expect(session.accessToken).toBe("a1");
  });

  it("refreshes in the background before the access token expires", async () => {
    const refresher = vi.fn(async () => answer(2));
    const session = new Session(refresher);
    session.set(toPair(answer(0)));
    await vi.advanceTimersByTimeAsync(899_000);
    expect(refresher).toHaveBeenCalledTimes(1);
    expect(session.accessToken).toBe("a2");
  });

  it("adopts a pair another tab already rotated instead of reusing the spent token", async () => {
    const refresher = vi.fn(async () => answer(9));
    const session = new Session(refresher);
    session.set(toPair(answer(0)));
    // Another tab stores a newer pair (the storage event may not have arrived yet).
    g.localStorage!.setItem("kaleem.session", JSON.stringify(toPair(answer(5))));
    const pair = await session.refresh();
    expect(refresher).not.toHaveBeenCalled();
    expect(pair.accessToken).toBe("a5");
  });

  it("ends the session when the refresh is refused", async () => {
    const session = new Session(async () => {
      throw new Error("401");
    });
    const seen: (string | null)[] = [];
    session.subscribe((p) => seen.push(p?.accessToken ?? null));
    session.set(toPair(answer(0)));
    await expect(session.refresh()).rejects.toBeInstanceOf(SessionExpiredError);
    expect(session.current).toBeNull();
    expect(g.localStorage!.getItem("kaleem.session")).toBeNull();
    expect(seen).toEqual(["a0", null]);
  });
});
