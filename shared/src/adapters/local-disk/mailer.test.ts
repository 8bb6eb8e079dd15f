// The default mailer saves each email as an owner-only file and logs only where it is.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../logger.js";
import { DirectoryMailer } from "./mailer.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("DirectoryMailer", () => {
  it("writes the email to a private file and keeps its text out of the log", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "kaleem-mail-"));
    dirs.push(root);
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }) });
    const mailer = new DirectoryMailer(path.join(root, "mail"), logger);
    const link = "http://127.0.0.1:3000/dashboard/confirm#token=single-use-link-value";
    await mailer.send({ kind: "signup_confirm", to: "new.owner@example.com", subject: "Confirm your store", text: `Open ${link}` });
    await mailer.send({ kind: "account_locked", to: "new.owner@example.com", subject: "Sign-in locked", text: "Someone tried" });

    const files = readdirSync(path.join(root, "mail")).sort();
    expect(files).toHaveLength(2);
    const confirm = path.join(root, "mail", files.find((f) => f.includes("signup_confirm"))!);
    expect(readFileSync(confirm, "utf8")).toBe(`To: new.owner@example.com\nSubject: Confirm your store\n\nOpen ${link}\n`);
    expect(statSync(confirm).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(root, "mail")).mode & 0o777).toBe(0o700);
    const log = lines.join("");
    expect(log).toContain(confirm);
    expect(log).not.toContain("single-use-link-value");
    expect(log).not.toContain("new.owner@example.com");
  });
});
