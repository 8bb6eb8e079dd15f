// A small path router under the app's base (/dashboard/): the product serves index.html for every
// path below it, so deep links and reloads land on the right page.
import { useSyncExternalStore } from "react";

const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export type Route =
  | { page: "login" }
  | { page: "signup" }
  | { page: "confirm" }
  | { page: "inbox"; conversationId: string | null }
  /** An open order (the detail drawer) and the customer whose orders are listed, when narrowed to one. */
  | { page: "orders"; orderId?: string | null; customerId?: string | null }
  | { page: "catalog" }
  | { page: "knowledge" }
  | { page: "channels" }
  | { page: "webhooks" }
  | { page: "widget" }
  | { page: "team" }
  | { page: "analytics" }
  | { page: "replies" }
  | { page: "bot" }
  | { page: "audit" };

export function parseRoute(pathname: string, search = ""): Route {
  const path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  switch (head) {
    case undefined:
    case "inbox":
      return { page: "inbox", conversationId: id ?? null };
    case "orders":
      return { page: "orders", orderId: id ?? null, customerId: new URLSearchParams(search).get("customer") };
    case "login":
    case "signup":
    case "confirm":
    case "catalog":
    case "knowledge":
    case "channels":
    case "webhooks":
    case "widget":
    case "team":
    case "analytics":
    case "replies":
    case "bot":
    case "audit":
      return { page: head };
    default:
      return { page: "inbox", conversationId: null };
  }
}

export function hrefFor(route: Route): string {
  if (route.page === "inbox") return `${BASE}/inbox${route.conversationId ? `/${encodeURIComponent(route.conversationId)}` : ""}`;
  if (route.page === "orders") {
    const order = route.orderId ? `/${encodeURIComponent(route.orderId)}` : "";
    return `${BASE}/orders${order}${route.customerId ? `?customer=${encodeURIComponent(route.customerId)}` : ""}`;
  }
  return `${BASE}/${route.page}`;
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((l) => l()));

export function navigate(route: Route, replace = false): void {
  const href = hrefFor(route);
  if (href === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useRoute(): Route {
  const location = useSyncExternalStore(subscribe, () => window.location.pathname + window.location.search);
  const at = location.indexOf("?");
  return at === -1 ? parseRoute(location) : parseRoute(location.slice(0, at), location.slice(at));
}
