import type { Logger } from "../../logger.js";
import type { Mailer, OutgoingEmail } from "../../ports/mailer.js";

/**
 * The default until an SMTP/API adapter exists: each email goes to the log at info, text
 * included, so whoever runs a development instance can follow a confirmation link. An operator
 * who opens signup to the public must wire a real Mailer (the text holds single-use links).
 */
export class LoggingMailer implements Mailer {
  constructor(private readonly logger: Logger) {}
  async send(email: OutgoingEmail): Promise<void> {
    this.logger.info({ email: { kind: email.kind, to: email.to, subject: email.subject, text: email.text } }, "email (logging mailer, not sent)");
  }
}
