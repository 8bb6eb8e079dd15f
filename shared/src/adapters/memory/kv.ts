import type { AttemptThrottle, AttemptVerdict, RateLimiter, RateLimitResult, TokenBlacklist } from "../../ports/kv.js";

export class MemoryTokenBlacklist implements TokenBlacklist {
  private readonly revoked = new Map<string, number>();
  private readonly subjects = new Map<string, { before: number; until: number }>();
  async revokeSubjectBefore(subject: string, epochSeconds: number, ttlSeconds: number): Promise<void> {
    this.subjects.set(subject, { before: epochSeconds, until: Date.now() + ttlSeconds * 1000 });
  }
  async subjectRevokedBefore(subject: string): Promise<number | null> {
    const entry = this.subjects.get(subject);
    if (!entry) return null;
    if (entry.until < Date.now()) {
      this.subjects.delete(subject);
      return null;
    }
    return entry.before;
  }
  async revoke(tokenId: string, ttlSeconds: number): Promise<void> {
    this.revoked.set(tokenId, Date.now() + ttlSeconds * 1000);
  }
  async isRevoked(tokenId: string): Promise<boolean> {
    const until = this.revoked.get(tokenId);
    if (until === undefined) return false;
    if (until < Date.now()) {
      this.revoked.delete(tokenId);
      return false;
    }
    return true;
  }
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();
  private lastSweep = Date.now();
  async hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
    const now = Date.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    w.count += 1;
    return {
      allowed: w.count <= limit,
      remaining: Math.max(0, limit - w.count),
      retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - now) / 1000)),
    };
  }
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}

/** The delay after the `attempts`-th attempt of a streak. */
function delayAfter(attempts: number, delaysMs: readonly number[]): number {
  if (delaysMs.length === 0) return 0;
  return delaysMs[Math.min(attempts, delaysMs.length) - 1] ?? 0;
}

export class MemoryAttemptThrottle implements AttemptThrottle {
  private readonly streaks = new Map<string, { attempts: number; openAt: number; forgetAt: number }>();
  private lastSweep = Date.now();
  async attempt(key: string, delaysMs: readonly number[], forgetAfterMs: number): Promise<AttemptVerdict> {
    const now = Date.now();
    if (now - this.lastSweep > 60_000) this.sweep(now);
    let streak = this.streaks.get(key);
    if (streak && streak.forgetAt <= now) streak = undefined;
    if (streak && now < streak.openAt) {
      return { allowed: false, attempts: streak.attempts, retryAfterSeconds: Math.max(1, Math.ceil((streak.openAt - now) / 1000)) };
    }
    const attempts = (streak?.attempts ?? 0) + 1;
    const openAt = now + delayAfter(attempts, delaysMs);
    this.streaks.set(key, { attempts, openAt, forgetAt: openAt + forgetAfterMs });
    return { allowed: true, attempts, retryAfterSeconds: 0 };
  }
  async reset(key: string): Promise<void> {
    this.streaks.delete(key);
  }
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, s] of this.streaks) if (s.forgetAt <= now) this.streaks.delete(k);
  }
}
