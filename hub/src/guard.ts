// Per-socket event middleware: counts events, enforces the event budget, refuses with an ack.
import type { Ack } from "@kaleem/shared";
import type { Socket } from "socket.io";
import type { EventRouter } from "./ack.js";
import type { HubContext } from "./context.js";
import { SocketRateLimit } from "./rate-limit.js";

/**
 * With a router, an event that passes the budget goes straight to the namespace's shared handler
 * (the socket holds no listener per event); without one it goes on to the socket's own listeners.
 */
export function guardEvents<S extends Socket>(socket: S, namespace: "widget" | "inbox", known: ReadonlySet<string>, ctx: HubContext, router?: EventRouter<S>): void {
  const limit = new SocketRateLimit(ctx.config.limits.socketEventsPer10s);
  socket.use((packet, next) => {
    const [event] = packet;
    const name = typeof event === "string" && known.has(event) ? event : "unknown";
    ctx.metrics.eventsIn.inc({ namespace, event: name });
    const verdict = limit.hit();
    if (verdict === "ok") {
      if (router && name !== "unknown" && router.dispatch(socket, name, packet.slice(1))) return;
      return next();
    }
    ctx.metrics.rejected.inc({ namespace, reason: verdict === "flood" ? "flood" : "rate_limited" });
    const last = packet[packet.length - 1];
    if (typeof last === "function") {
      const retryAfterSeconds = limit.retryAfterSeconds();
      const reply: Ack<never> = {
        ok: false,
        error: { code: "rate_limited", message: `Too many events; retry in ${retryAfterSeconds}s`, retryAfterSeconds },
      };
      (last as (r: Ack<never>) => void)(reply);
    }
    if (verdict === "flood") {
      ctx.logger.warn({ namespace, socketId: socket.id }, "socket disconnected for flooding");
      socket.disconnect(true);
    }
  });
}
