// The default until an SMTP/API adapter exists: each email is saved as a text file in the data
// dir (owner-only, like the database), and the log says where. The log never holds the text:
// signup links are single-use credentials, and log redaction would hide them anyway. An operator
// who opens signup to the public must wire a real Mailer.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ensurePrivateDir } from "../../data-dir.js";
import { newId } from "../../ids.js";
import type { Logger } from "../../logger.js";
import type { Mailer, OutgoingEmail } from "../../ports/mailer.js";

export class DirectoryMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger,
  ) {}

  async send(email: OutgoingEmail): Promise<void> {
    ensurePrivateDir(this.dir);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(this.dir, `${stamp}-${email.kind}-${newId()}.txt`);
    writeFileSync(file, `To: ${email.to}\nSubject: ${email.subject}\n\n${email.text}\n`, { mode: 0o600, flag: "wx" });
    this.logger.info({ kind: email.kind, file }, "email saved, not sent (no mail transport configured)");
  }
}
