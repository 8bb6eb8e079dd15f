// The one place that talks HTTP to /api/v1: JSON in and out, the bearer token, one refresh-and-retry
// on 401, and the project's error shape turned into ApiError.
import type { ErrorBody } from "@kaleem/shared/contracts";
import { Session, SessionExpiredError, type RefreshResponse } from "./session";

export const API_BASE = "/api/v1";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
  /** On a list or settings load, 404/405/501 means the endpoint does not exist on this server (yet). */
  get missingEndpoint(): boolean {
    return this.status === 404 || this.status === 405 || this.status === 501;
  }
}

/** The project's error body, read defensively: a proxy in between may answer with anything. */
type UntrustedErrorBody = { error?: { [K in keyof ErrorBody["error"]]?: unknown } };

async function toApiError(res: Response): Promise<ApiError> {
  let body: UntrustedErrorBody | null = null;
  try {
    body = (await res.json()) as UntrustedErrorBody;
  } catch {
    body = null;
  }
  const code = typeof body?.error?.code === "string" ? body.error.code : `http_${res.status}`;
  const message = typeof body?.error?.message === "string" ? body.error.message : res.statusText || `HTTP ${res.status}`;
  return new ApiError(res.status, code, message, body?.error?.details);
}

async function parse<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const type = res.headers.get("content-type") ?? "";
  if (!type.includes("json")) throw new ApiError(res.status, "bad_response", `Expected JSON from the server, got ${type || "nothing"}`);
  return (await res.json()) as T;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  headers?: Record<string, string>;
  /** Send without the bearer token (sign-in, sign-up, refresh). */
  anonymous?: boolean;
  signal?: AbortSignal;
}

export function buildQuery(query: RequestOptions["query"]): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

async function rawRequest(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (token && !options.anonymous) headers.authorization = `Bearer ${token}`;
  return fetch(`${API_BASE}${path}${buildQuery(options.query)}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
}

export class ApiClient {
  readonly session: Session;

  constructor() {
    this.session = new Session(async (refreshToken) => {
      const res = await rawRequest("POST", "/auth/refresh", { body: { refreshToken }, anonymous: true }, null);
      // Only a refusal ends the session; a 5xx (or no answer at all) is retried.
      if (res.status >= 400 && res.status < 500 && res.status !== 429) throw new SessionExpiredError();
      if (!res.ok) throw await toApiError(res);
      return parse<RefreshResponse>(res);
    });
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    let res = await rawRequest(method, path, options, this.session.accessToken);
    if (res.status === 401 && !options.anonymous && this.session.current) {
      try {
        const pair = await this.session.refresh();
        res = await rawRequest(method, path, options, pair.accessToken);
      } catch (err) {
        if (err instanceof SessionExpiredError) throw new ApiError(401, "unauthorized", "Your session has ended. Please sign in again.");
        throw err;
      }
    }
    if (!res.ok) throw await toApiError(res);
    return parse<T>(res);
  }

  get<T>(path: string, query?: RequestOptions["query"], signal?: AbortSignal): Promise<T> {
    return this.request<T>("GET", path, { query, signal });
  }
  post<T>(path: string, body?: unknown, options: Omit<RequestOptions, "body"> = {}): Promise<T> {
    return this.request<T>("POST", path, { ...options, body: body ?? {} });
  }
  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body });
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body });
  }
  delete<T = void>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }
}

export const api = new ApiClient();
