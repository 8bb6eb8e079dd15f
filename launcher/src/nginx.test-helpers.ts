// The shipped nginx (nginx/nginx.conf, byte for byte) run by Debian's /usr/sbin/nginx in front of
// role processes on loopback: a temporary directory holds a copy of the file and a site/ of its own
// (free ports, a certificate from nginx/gen-self-signed.sh, temp and log paths inside the directory). A missing
// or failing nginx throws: the cluster tests that use it fail rather than skip.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { freePort } from "@kaleem/shared/testing";
import { repoRoot } from "./processes.test-helpers.js";

export const NGINX_BIN = "/usr/sbin/nginx";
export const SHIPPED_NGINX_CONF = path.join(repoRoot, "nginx", "nginx.conf");

export interface Edge {
  /** https://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port> (redirects to HTTPS) */
  plainUrl: string;
  /** The self-signed certificate clients must trust. */
  ca: string;
  /** Output of `nginx -t` on the shipped file with this site. */
  configTest: { status: number | null; output: string };
  dir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function nginxArgs(dir: string, globals = ""): string[] {
  // -p: relative paths under the temp dir; -e: the start-up error log (before the config is read);
  // -g: the pid file, which the shipped file leaves to the deployment.
  return ["-p", `${dir}/`, "-e", path.join(dir, "error.log"), "-c", path.join(dir, "nginx.conf"), "-g", `pid ${path.join(dir, "nginx.pid")};${globals}`];
}

export async function startEdge(upstreams: { hubs: string[]; rest: string[] }): Promise<Edge> {
  if (!existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} is missing: install Debian's nginx (apt-get install -y nginx); this test needs a real one`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "kaleem-nginx-"));
  // nginx's workers drop to an unprivileged user when the master is root: they must reach the temp
  // paths below (bodies past the in-memory buffer go there). The key is read by the master only.
  chmodSync(dir, 0o755);
  const [httpsPort, httpPort] = [await freePort(), await freePort()];
  copyFileSync(SHIPPED_NGINX_CONF, path.join(dir, "nginx.conf"));
  mkdirSync(path.join(dir, "site"));
  // The shipped script makes the certificate (it writes next to itself, into certs/).
  copyFileSync(path.join(repoRoot, "nginx", "gen-self-signed.sh"), path.join(dir, "gen-self-signed.sh"));
  execFileSync("sh", [path.join(dir, "gen-self-signed.sh"), "localhost"], { stdio: "ignore" });
  const cert = path.join(dir, "certs", "fullchain.pem");
  const key = path.join(dir, "certs", "privkey.pem");
  const hostPort = (url: string) => new URL(url).host;
  const site: Record<string, string> = {
    "http.conf": [
      `access_log ${path.join(dir, "access.log")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path ${path.join(dir, `${t}-temp`)};`),
    ].join("\n"),
    // A dead hub stays marked failed for the rest of the test, as it would until it restarts.
    "hubs.conf": upstreams.hubs.map((u) => `server ${hostPort(u)} max_fails=1 fail_timeout=60s;`).join("\n"),
    "rest.conf": upstreams.rest.map((u) => `server ${hostPort(u)};`).join("\n"),
    "listen-http.conf": `listen 127.0.0.1:${httpPort};`,
    "tls.conf": [`listen 127.0.0.1:${httpsPort} ssl;`, `ssl_certificate ${cert};`, `ssl_certificate_key ${key};`].join("\n"),
  };
  for (const [name, text] of Object.entries(site)) writeFileSync(path.join(dir, "site", name), text + "\n");

  const test = spawnSync(NGINX_BIN, ["-t", ...nginxArgs(dir)], { encoding: "utf8" });
  const configTest = { status: test.status, output: `${test.stdout}${test.stderr}` };
  if (test.status !== 0) throw new Error(`nginx -t failed on ${SHIPPED_NGINX_CONF}:\n${configTest.output}`);

  // In the foreground, so this process owns it and stops it by its pid.
  const child = spawn(NGINX_BIN, nginxArgs(dir, " daemon off;"), { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout?.on("data", (b: Buffer) => output.push(b.toString()));
  child.stderr?.on("data", (b: Buffer) => output.push(b.toString()));
  const ca = readFileSync(cert, "utf8");
  const edge: Edge = {
    url: `https://127.0.0.1:${httpsPort}`,
    plainUrl: `http://127.0.0.1:${httpPort}`,
    ca,
    configTest,
    dir,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // Up when it answers over TLS; an nginx that exits instead fails the caller.
  const end = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${output.join("")}\n${readLog(dir)}`);
    try {
      await edgeRequest(edge, "/healthz");
      return edge;
    } catch (err) {
      if (Date.now() > end) {
        await edge.stop();
        throw new Error(`nginx did not answer: ${String(err)}\n${output.join("")}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function readLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, "error.log"), "utf8");
  } catch {
    return "";
  }
}

export interface EdgeResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

/** One HTTPS request through the edge, trusting its self-signed certificate (fetch cannot be told to). */
export function edgeRequest(
  edge: Pick<Edge, "url" | "ca">,
  pathname: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {},
): Promise<EdgeResponse> {
  return new Promise((resolve, reject) => {
    const req = https.request(edge.url + pathname, { method: init.method ?? "GET", headers: init.headers, ca: edge.ca, agent: false, ...(init.localAddress ? { localAddress: init.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString("utf8") });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}
