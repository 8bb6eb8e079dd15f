import type { Logger } from "../logger.js";

// Outgoing email: what Kaleem tells account holders (confirm a signup, a sign-in lock, a team
// invitation). Sending is never on a request's critical path and never its outcome: callers send
// after answering, and a failed send is logged, not reported to the client (which would tell an
// attacker something about the address).

export type EmailKind = "signup_confirm" | "account_locked" | "team_invite";

export interface OutgoingEmail {
  kind: EmailKind;
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<void>;
}

/** Sends after the caller has answered; a failure is logged (without the text), never thrown. */
export function sendInBackground(mailer: Mailer, logger: Logger, email: OutgoingEmail): void {
  mailer.send(email).catch((err: unknown) => logger.warn({ err, kind: email.kind }, "email not sent"));
}
