// Refused handshakes: socket.io passes an Error's `data` to the client's connect_error, so every
// refusal carries a protocol code (`err.data.code`) besides its human message.
import { PROTOCOL_VERSION, RateLimitedError, UnauthorizedError, type ConnectErrorCode, type ConnectErrorData } from "@kaleem/shared";

export class HandshakeRefused extends Error {
  readonly data: ConnectErrorData;
  constructor(code: ConnectErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = "HandshakeRefused";
    this.data = retryAfterSeconds === undefined ? { code } : { code, retryAfterSeconds };
  }
}

/** Clients send the protocol major version they speak; none means a client from before v1 said so. */
export function checkProtocol(version: number | undefined): void {
  const spoken = version ?? 1;
  if (spoken !== PROTOCOL_VERSION) {
    throw new HandshakeRefused("protocol_unsupported", `This server speaks protocol version ${PROTOCOL_VERSION}; the client asked for ${spoken}`);
  }
}

/** What a namespace middleware hands to socket.io's next(err). */
export function toConnectError(err: unknown): HandshakeRefused {
  if (err instanceof HandshakeRefused) return err;
  if (err instanceof RateLimitedError) return new HandshakeRefused("rate_limited", err.message, err.retryAfterSeconds);
  if (err instanceof UnauthorizedError) return new HandshakeRefused("unauthorized", err.message);
  return new HandshakeRefused("unauthorized", "unauthorized");
}
