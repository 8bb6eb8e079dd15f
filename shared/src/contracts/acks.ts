// Acknowledgement shapes: types only, so browser bundles without zod can use them.
import type { CONNECT_ERROR_CODES, ERROR_CODES, SESSION_REVOKED_REASONS } from "./constants.js";

export type ErrorCode = (typeof ERROR_CODES)[number];
export interface AckError {
  code: ErrorCode;
  message: string;
  /** With `rate_limited`: seconds until the refused request may be tried again. */
  retryAfterSeconds?: number;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckFn<T> = (response: Ack<T>) => void;

export type SessionRevokedReason = (typeof SESSION_REVOKED_REASONS)[number];
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];
/** What a refused handshake's `connect_error` carries as `err.data`. */
export interface ConnectErrorData {
  code: ConnectErrorCode;
  /** With `rate_limited`: seconds until connecting may be tried again. */
  retryAfterSeconds?: number;
}
