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

export interface AttemptVerdict {
  /** False while the key is closed by an earlier attempt; nothing was counted then. */
  allowed: boolean;
  /** Attempts counted so far in this streak (this one included when allowed). */
  attempts: number;
  /** When refused: seconds until the key opens again. */
  retryAfterSeconds: number;
}

/**
 * Spaced attempts per key (sign-ins per account): each allowed attempt closes the key for a while,
 * longer as attempts pile up. Checking and counting are one atomic step, so a burst of parallel
 * requests gets no more tries than a patient attacker.
 */
export interface AttemptThrottle {
  /**
   * Refused while `key` is closed. Otherwise counts one attempt and closes `key` for
   * `delaysMs[attempts - 1]` ms (the last entry once past the end). The streak is forgotten
   * `forgetAfterMs` after the key opens again.
   */
  attempt(key: string, delaysMs: readonly number[], forgetAfterMs: number): Promise<AttemptVerdict>;
  /** Ends the streak (the attempt succeeded). */
  reset(key: string): Promise<void>;
}
