// Sign-in throttling per account, whatever address the attempts come from (the per-IP auth limit
// only slows one source). Attempts are counted before the password is checked, so parallel
// guesses gain nothing; a success ends the streak. Keyed by the email address, existing or not:
// an unknown address is throttled exactly like a real one, so the throttle reveals nothing.
import {
  publicBaseUrl,
  sendInBackground,
  sha256Hex,
  type AttemptThrottle,
  type AttemptVerdict,
  type Config,
  type Logger,
  type Mailer,
  type TenantStore,
} from "@kaleem/shared";

/** Failures that cost nothing (typos); from the next one on, each failure doubles the wait. */
export const FREE_LOGIN_FAILURES = 2;

/** Wait after the n-th failed attempt of a streak (index n - 1), ending with the lock. */
export function loginSchedule(config: Config): number[] {
  const { lockAfterFailures, lockSeconds } = config.limits.login;
  const delays: number[] = [];
  for (let n = 1; n < lockAfterFailures; n++) delays.push(n <= FREE_LOGIN_FAILURES ? 0 : Math.min(2 ** (n - FREE_LOGIN_FAILURES), lockSeconds) * 1000);
  delays.push(lockSeconds * 1000);
  return delays;
}

export class LoginThrottle {
  private readonly schedule: number[];
  constructor(
    private readonly config: Config,
    private readonly throttle: AttemptThrottle,
    private readonly mailer: Mailer,
  ) {
    this.schedule = loginSchedule(config);
  }

  private key(email: string): string {
    return `login:${sha256Hex(email)}`;
  }

  /** Counts one attempt for `email`; refused (not counted) while the account must wait. */
  attempt(email: string): Promise<AttemptVerdict> {
    return this.throttle.attempt(this.key(email), this.schedule, this.config.limits.login.lockSeconds * 1000);
  }

  succeeded(email: string): Promise<void> {
    return this.throttle.reset(this.key(email));
  }

  /**
   * True when this failed attempt locks the account: the lockAfterFailures-th of the streak, and
   * every one after it (each comes only after the previous lock ran out, so at most one per lock).
   */
  locksNow(verdict: AttemptVerdict): boolean {
    return verdict.attempts >= this.config.limits.login.lockAfterFailures;
  }

  /** The lock happened: an audit row in the account's store and an email to its holder. */
  async recordLock(tenant: TenantStore, userId: string, email: string, ip: string, log: Logger): Promise<void> {
    const { lockAfterFailures, lockSeconds } = this.config.limits.login;
    const until = new Date(Date.now() + lockSeconds * 1000).toISOString();
    await tenant.audit.add({ actorId: userId, action: "auth.login_locked", target: userId, data: { failures: lockAfterFailures, until }, ip });
    const minutes = Math.ceil(lockSeconds / 60);
    sendInBackground(this.mailer, log, {
        kind: "account_locked",
        to: email,
        subject: "Sign-in to your Kaleem account is paused",
        text:
          `There were ${lockAfterFailures} failed attempts to sign in to your account (the last from ${ip}), ` +
          `so sign-in is paused for ${minutes} minute${minutes === 1 ? "" : "s"}, until ${until}.\n\n` +
          `If this was you, wait and try again. If it was not, someone is guessing your password: ` +
          `once you are back in, change it, and ask your store owner to review the audit log.\n\n${publicBaseUrl(this.config)}/dashboard/`,
    });
  }
}
