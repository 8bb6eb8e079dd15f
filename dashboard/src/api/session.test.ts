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

/** Web Locks stand-in: one queue per lock name, shared by every "tab" (Session) in the test. */
class MemoryLocks {
  private tails = new Map<string, Promise<unknown>>();
  request<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(name) ?? Promise.resolve();
    const run = prev.then(callback, callback);
    this.tails.set(name, run.catch(() => undefined));
    return run;
  }
}

const g = globalThis as unknown as {
  localStorage?: MemoryStorage;
  window?: { addEventListener: () => void };
  navigator?: { locks?: MemoryLocks };
};

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
    if (g.navigator?.locks) delete g.navigator.locks;
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

  it("two tabs refreshing at the same instant spend the refresh token once and both stay signed in", async () => {
    if (g.navigator) g.navigator.locks = new MemoryLocks();
    else Object.defineProperty(globalThis, "navigator", { value: { locks: new MemoryLocks() }, configurable: true, writable: true });
    // The server: each refresh token works once; a reused one ends the session (family revoked).
    const spent = new Set<string>();
    let issued = 0;
    const server = async (token: string): Promise<RefreshResponse> => {
      await Promise.resolve();
      if (spent.has(token)) throw new SessionExpiredError();
      spent.add(token);
      issued += 1;
      return answer(10 + issued);
    };
    const tabA = new Session(server);
    tabA.set(toPair(answer(0)));
    const tabB = new Session(server);
    expect(tabB.accessToken).toBe("a0");
    const [a, b] = await Promise.all([tabA.refresh(), tabB.refresh()]);
    expect(issued).toBe(1);
    expect(a.accessToken).toBe("a11");
    expect(b.accessToken).toBe("a11");
    expect(tabA.current).not.toBeNull();
    expect(tabB.current).not.toBeNull();
  });

  it("keeps the session when the refresh fails for a transient reason, and tries again", async () => {
    let calls = 0;
    const session = new Session(async () => {
      calls += 1;
      if (calls === 1) throw new TypeError("Failed to fetch");
      return answer(3);
    });
    session.set(toPair(answer(0)));
    await expect(session.refresh()).rejects.toBeInstanceOf(TypeError);
    expect(session.accessToken).toBe("a0");
    expect(g.localStorage!.getItem("kaleem.session")).not.toBeNull();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(calls).toBe(2);
    expect(session.accessToken).toBe("a3");
  });

  it("ends the session when the refresh is refused", async () => {
    const session = new Session(async () => {
      throw new SessionExpiredError();
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
