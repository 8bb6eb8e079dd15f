// Runs s3rver (an S3 protocol server from npm) in a child process on a free port, over a temp
// directory, for a test file; stops it and removes the directory in teardown.
//
// Two things make s3rver 3.7.1 unusable as it ships on Node 20, and the runner below fixes both
// on the server side (nothing in the adapter under test changes):
// - its ListObjectsV2 continuation tokens use DES, which OpenSSL 3 only has in its legacy
//   provider: any truncated listing answered 500. The child runs with --openssl-legacy-provider.
// - it lists keys in directory-walk order, not S3's byte order of the whole key ("photos/a"
//   before "photos-old/b", where S3 has "-" < "/"), so paging with start-after skipped keys. The
//   runner sorts the walk by key, which is the order S3 and MinIO list in.
// What s3rver does not do at all, and no runner can add: verify SigV4 signatures (header or
// presigned), bucket policies, refusing anonymous requests. Tests say so where it matters.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

export interface S3rverServer {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  /** s3rver's built-in account. */
  accessKey: string;
  secretKey: string;
  region: "us-east-1";
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function runnerSource(s3rverMain: string, s3rverUtils: string, directory: string): string {
  return `
const utils = require(${JSON.stringify(s3rverUtils)});
const walk = utils.walk;
const keyOf = (p) => Buffer.from(p.replace(/\\._S3rver_[^/]*$/, ""), "utf8");
utils.walk = function* sortedWalk(dir, filter) {
  yield* [...walk(dir, filter)].sort((a, b) => Buffer.compare(keyOf(a), keyOf(b)) || (a < b ? -1 : a > b ? 1 : 0));
};
const S3rver = require(${JSON.stringify(s3rverMain)});
const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: ${JSON.stringify(directory)}, vhostBuckets: false });
server.run().then((addr) => process.stdout.write(JSON.stringify({ port: addr.port }) + "\\n"), (err) => { console.error(err); process.exit(1); });
process.on("SIGTERM", () => server.close().finally(() => process.exit(0)));
// The parent holds our stdin: when it dies without stopping us, the pipe ends and so do we.
process.stdin.on("end", () => {
  require("node:fs").rmSync(${JSON.stringify(directory)}, { recursive: true, force: true });
  process.exit(0);
});
process.stdin.resume();
`;
}

export async function startS3rver(): Promise<S3rverServer> {
  const directory = mkdtempSync(path.join(os.tmpdir(), "kaleem-s3rver-"));
  const main = require.resolve("s3rver");
  const utils = path.join(path.dirname(main), "utils.js");
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "-e", runnerSource(main, utils, directory)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (buf: Buffer) => {
        out += buf.toString();
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve((JSON.parse(line) as { port: number }).port);
      });
      child.stderr.on("data", (buf: Buffer) => (err += buf.toString()));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}: ${err}`)));
      setTimeout(() => reject(new Error(`s3rver did not start in 15s: ${err}`)), 15_000).unref();
    });
  } catch (err) {
    child.kill("SIGKILL");
    rmSync(directory, { recursive: true, force: true });
    throw err;
  }
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKey: "S3RVER",
    secretKey: "S3RVER",
    region: "us-east-1",
    async stop() {
      try {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((r) => child.once("exit", r));
          child.kill("SIGTERM");
          // A client socket left open would keep s3rver's close() waiting.
          const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(force);
        }
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
