import type { RateLimiter, RateLimitResult, TokenBlacklist } from "../../ports/kv.js";

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
