import type { AccessClaims, Logger, Role, TenantStore, User } from "@kaleem/shared";
import type Koa from "koa";

/** The authenticated caller: verified token claims plus the user as the store knows it now. */
export interface Caller {
  claims: AccessClaims;
  user: User;
  /** The user's current role from the store (a demotion applies at once, not when the token expires). */
  role: Role;
  store: TenantStore;
}

export interface RestState {
  requestId: string;
  log: Logger;
  /** Route template for metrics and logs ("/api/v1/products/:id"), or null when nothing matched. */
  route: string | null;
  /** Exact bytes of the request body once read (webhook signatures are checked over these). */
  rawBody?: Buffer;
  caller?: Caller;
  /** The error code answered, for the request log line. */
  errorCode?: string;
}

export type RestContext = Koa.ParameterizedContext<RestState>;
