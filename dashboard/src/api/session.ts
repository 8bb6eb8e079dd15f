// Holds the token pair, refreshes it before the access token expires, and shares it between tabs.
// Refresh tokens rotate and a reused one revokes the whole family, so exactly one refresh may be in
// flight, and a tab adopts a pair another tab already refreshed instead of spending the old one again.
import type { SessionTokens } from "@kaleem/shared/contracts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
}

/** The part of a session body (`POST /auth/refresh`, login, sign-up) the session keeps. */
export type RefreshResponse = Pick<SessionTokens, "accessToken" | "refreshToken" | "expiresIn">;

const STORAGE_KEY = "kaleem.session";
/** Refresh this long before expiry (or at 80 % of the lifetime, whichever comes first). */
const REFRESH_MARGIN_MS = 30_000;

/** Retry a refresh that failed for a transient reason (network, 5xx) after this long. */
const RETRY_MS = 5_000;
const LOCK_NAME = "kaleem.session.refresh";

type Listener = (pair: TokenPair | null) => void;

/** The part of the Web Locks API used here: a lock shared by every tab of this origin. */
interface TabLocks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

function tabLocks(): TabLocks | null {
  const locks = (globalThis as { navigator?: { locks?: TabLocks } }).navigator?.locks;
  return locks && typeof locks.request === "function" ? locks : null;
}

export class SessionExpiredError extends Error {
  constructor() {
    super("Session expired");
    this.name = "SessionExpiredError";
  }
}

export function toPair(res: RefreshResponse, now = Date.now()): TokenPair {
  return { accessToken: res.accessToken, refreshToken: res.refreshToken, expiresAt: now + res.expiresIn * 1000 };
}

function readStored(): TokenPair | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === "object" && value !== null &&
      "accessToken" in value && typeof value.accessToken === "string" &&
      "refreshToken" in value && typeof value.refreshToken === "string" &&
      "expiresAt" in value && typeof value.expiresAt === "number"
    ) {
      return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: value.expiresAt };
    }
  } catch {
    // Corrupt storage is the same as no session.
  }
  return null;
}

export class Session {
  private pair: TokenPair | null = readStored();
  private inFlight: Promise<TokenPair> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly refresher: (refreshToken: string) => Promise<RefreshResponse>) {
    window.addEventListener("storage", (event) => {
      if (event.key !== STORAGE_KEY) return;
      this.pair = readStored();
      this.schedule();
      this.emit();
    });
    this.schedule();
  }

  get current(): TokenPair | null {
    return this.pair;
  }

  get accessToken(): string | null {
    return this.pair?.accessToken ?? null;
  }

  set(pair: TokenPair | null): void {
    this.pair = pair;
    if (pair) localStorage.setItem(STORAGE_KEY, JSON.stringify(pair));
    else localStorage.removeItem(STORAGE_KEY);
    this.schedule();
    this.emit();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Spend the refresh token once, however many callers (and tabs) ask at the same time. Tabs share
   * one pair and so schedule their background refresh for the same instant: the Web Lock makes the
   * second tab wait and then adopt the pair the first one stored, instead of presenting the spent
   * token (which the server treats as stolen and answers by ending every tab's session).
   */
  refresh(): Promise<TokenPair> {
    if (this.inFlight) return this.inFlight;
    const used = this.pair;
    if (!used) return Promise.reject(new SessionExpiredError());
    const run = async (): Promise<TokenPair> => {
      const stored = readStored();
      if (stored && stored.refreshToken !== used.refreshToken && stored.expiresAt > Date.now() + REFRESH_MARGIN_MS) {
        // Another tab already rotated the pair.
        this.set(stored);
        return stored;
      }
      try {
        const next = toPair(await this.refresher(used.refreshToken));
        this.set(next);
        return next;
      } catch (err) {
        if (err instanceof SessionExpiredError) {
          this.set(null);
          throw err;
        }
        // Offline or a server hiccup says nothing about the session: keep it and try again soon.
        this.retryLater();
        throw err;
      }
    };
    const locks = tabLocks();
    this.inFlight = (locks ? locks.request(LOCK_NAME, run) : run()).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private retryLater(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, RETRY_MS);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pair = this.pair;
    if (!pair) return;
    const left = pair.expiresAt - Date.now();
    const delay = Math.max(0, Math.min(left - REFRESH_MARGIN_MS, left * 0.8));
    this.timer = setTimeout(() => {
      this.refresh().catch(() => undefined);
    }, delay);
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.pair);
  }
}
