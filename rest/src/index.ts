// Public surface of @kaleem/rest for the launcher (and for the hub, which reuses TokenService).
export { createRestApp, type RestApp } from "./app.js";
export type { RestDeps, RestRealtimeHooks } from "./deps.js";
export type { Caller, RestState, RestContext } from "./http/state.js";
export { readRawBody, readJsonBody, rejectOperatorKeys } from "./http/body.js";
export { errorBody, type ErrorBody } from "./http/errors.js";
export { defineRoute, API_PREFIX, type AnyRoute, type RouteSpec, type Reply, type RestServices } from "./http/route.js";
export { apiRoutes, API_VERSION } from "./routes/index.js";
export { buildOpenApi } from "./openapi.js";
