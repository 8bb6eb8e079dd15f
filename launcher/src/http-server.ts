// The process's one HTTP server: Socket.IO answers /socket.io/ itself; the rest goes to the
// front ends (embedded), the REST app, or — for roles without REST — the health and metrics probes.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Redis } from "ioredis";
import type { Logger, Metrics, Store } from "@kaleem/shared";
import type { Lifecycle } from "./lifecycle.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type MaybeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;

export function createHttpServer(lifecycle: Lifecycle): http.Server {
  const server = http.createServer();
  server.keepAliveTimeout = 5_000;
  // Registered before the hub so that, closing in reverse, websockets are closed first and the
  // server then only waits for in-flight HTTP requests.
  lifecycle.onClose(
    "http server",
    () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Keep-alive sockets with no request in flight would hold close() open.
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
      }),
  );
  return server;
}

export function routeRequests(
  server: http.Server,
  routes: { media: MaybeHandler | null; frontend: MaybeHandler | null; rest: Handler | null; ops: MaybeHandler },
  logger: Logger,
): void {
  server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Socket.IO answers its own path before this listener runs.
    if (req.url?.startsWith("/socket.io/")) return;
    void (async () => {
      if (routes.media && (await routes.media(req, res))) return;
      if (routes.rest) {
        if (routes.frontend && (await routes.frontend(req, res))) return;
        return routes.rest(req, res);
      }
      if (await routes.ops(req, res)) return;
      res.statusCode = 404;
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ error: { code: "not_found", message: "Route not found" } }));
    })().catch((err: unknown) => {
      logger.error({ err }, "request failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
}

export async function listen(server: http.Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** /healthz, /readyz and /metrics for roles without the REST app (which serves its own). */
export function opsHandler(deps: { store: Store; metrics: Metrics; redis: Redis | null }): MaybeHandler {
  return async (req, res) => {
    const url = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" || (url !== "/healthz" && url !== "/readyz" && url !== "/metrics")) return false;
    if (url === "/metrics") {
      const { contentType, body } = await deps.metrics.render();
      res.setHeader("Content-Type", contentType);
      res.end(body);
      return true;
    }
    const checks: Record<string, "ok" | "fail"> = {};
    if (url === "/readyz") {
      checks.store = await deps.store.ping().then(() => "ok" as const, () => "fail" as const);
      if (deps.redis) checks.redis = await deps.redis.ping().then(() => "ok" as const, () => "fail" as const);
    }
    const ready = Object.values(checks).every((c) => c === "ok");
    res.statusCode = ready ? 200 : 503;
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: ready ? "ok" : "fail", ...(url === "/readyz" ? { checks } : {}) }));
    return true;
  };
}
