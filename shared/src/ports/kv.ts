// Small shared-state ports: in memory for the embedded runtime, Redis when REDIS_URL is set.

export interface TokenBlacklist {
  /** Rejects this token id until it would have expired anyway. */
  revoke(tokenId: string, ttlSeconds: number): Promise<void>;
  isRevoked(tokenId: string): Promise<boolean>;
  /** Rejects every token of `subject` issued before `epochSeconds` (password change), for `ttlSeconds`. */
  revokeSubjectBefore(subject: string, epochSeconds: number, ttlSeconds: number): Promise<void>;
  /** The cut-off set by revokeSubjectBefore, if one is still in force. */
  subjectRevokedBefore(subject: string): Promise<number | null>;
}

export interface RateLimitResult {
  allowed: boolean;
  remaining: number;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterSeconds: number;
}
export interface RateLimiter {
  /** Counts one hit for `key` in a fixed window; `allowed` is false once `limit` is passed. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
}
