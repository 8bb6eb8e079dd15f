// Acknowledgement shapes: types only, so browser bundles without zod can use them.
import type { CONNECT_ERROR_CODES, ERROR_CODES, SESSION_REVOKED_REASONS } from "./constants.js";

export type ErrorCode = (typeof ERROR_CODES)[number];
export interface AckError {
  code: ErrorCode;
  message: string;
}
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckFn<T> = (response: Ack<T>) => void;

export type SessionRevokedReason = (typeof SESSION_REVOKED_REASONS)[number];
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];
