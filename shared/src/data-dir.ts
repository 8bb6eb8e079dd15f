// The data dir holds password hashes, shoppers' PII, sealed channel secrets and the generated
// signing keys: nobody but the account running Kaleem may read it. Everything Kaleem writes there
// goes through these helpers (umask is process-wide and not ours to change), and what an older
// version left readable is tightened at start-up.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` (and its parents) owner-only, or tightens it if it exists, along with the files and
 * folders directly in it (the database and its -wal/-shm, secrets.json, demo.json, media/): a
 * folder at 0700 keeps whatever lies deeper private too.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const mode = entry.isDirectory() ? PRIVATE_DIR_MODE : entry.isFile() ? PRIVATE_FILE_MODE : null;
    if (mode === null) continue;
    try {
      chmodSync(path.join(dir, entry.name), mode);
    } catch (err) {
      // Someone else's file in our folder: the folder's own 0700 still keeps it from other users.
      if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
    }
  }
}

/** Writes `file` owner-only (the `mode` of writeFileSync applies only when it creates the file). */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  writeFileSync(file, data, { mode: PRIVATE_FILE_MODE });
  chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * Creates an empty owner-only `file` if it is missing, otherwise tightens it. SQLite creates the
 * -wal and -shm files with the database file's mode, so a database opened after this stays private.
 */
export function ensurePrivateFile(file: string): void {
  if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  else closeSync(openSync(file, "a", PRIVATE_FILE_MODE));
}
