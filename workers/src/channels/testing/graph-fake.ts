// Graph API conventions the WhatsApp and Messenger/Instagram fakes share: the error envelope,
// Bearer authentication, version checks and the scripted failures as Graph answers them.
import { bearerToken, type FakeRequest, type FakeReply, type ScriptedFailure } from "./fake-server.js";

let trace = 0;

export function graphError(status: number, code: number, message: string, extra: Record<string, unknown> = {}): FakeReply {
  trace += 1;
  return { status, body: { error: { message, type: "OAuthException", code, fbtrace_id: `FAKE${trace.toString(36).padStart(8, "0")}`, ...extra } } };
}

/** Missing or wrong Bearer token, as Graph answers it; null when the token is the expected one. */
export function graphAuthFailure(req: FakeRequest, accessToken: string): { reply: FakeReply; problem: string } | null {
  const token = bearerToken(req);
  if (token === null) return { reply: graphError(401, 104, "An access token is required to request this resource."), problem: "no Bearer token" };
  if (token !== accessToken) return { reply: graphError(401, 190, "Invalid OAuth access token - Cannot parse access token"), problem: "wrong access token" };
  return null;
}

export const GRAPH_VERSION = /^v\d{1,3}\.\d{1,3}$/;

export interface WindowFailure {
  status: number;
  code: number;
  message: string;
  extra?: Record<string, unknown>;
}

/** A scripted failure as Graph would answer it; `windowClosed` is the platform's own window error. */
export function scriptedGraphReply(failure: ScriptedFailure, windowClosed: WindowFailure, rateLimit: { status: number; code: number; message: string }): FakeReply {
  switch (failure.kind) {
    case "rate_limited": {
      const reply = graphError(rateLimit.status, rateLimit.code, rateLimit.message);
      return failure.retryAfterSeconds !== undefined ? { ...reply, headers: { "retry-after": String(failure.retryAfterSeconds) } } : reply;
    }
    case "window_closed":
      return graphError(windowClosed.status, windowClosed.code, windowClosed.message, windowClosed.extra);
    case "server_error":
      return failure.html
        ? { status: failure.status ?? 502, raw: Buffer.from("<html><body>Bad Gateway</body></html>"), headers: { "content-type": "text/html" } }
        : graphError(failure.status ?? 500, 2, "An unexpected error has occurred. Please retry your request later.", { is_transient: true });
    case "auth":
      return graphError(401, 190, "Error validating access token: Session has expired.", { error_subcode: 463 });
    case "blocked":
      return graphError(400, 551, "This person isn't available right now.");
    case "reply":
      return failure.reply;
    default:
      return graphError(500, 2, "An unexpected error has occurred.", { is_transient: true });
  }
}
