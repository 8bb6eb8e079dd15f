// The route table entry. One list of these drives both the router (router.ts) and the OpenAPI
// document (openapi.ts), so the documented API and the served API cannot drift apart.
import type { AttachmentService, JsonText, Mailer, Role, TokenService } from "@kaleem/shared";
import type { LoginThrottle } from "../auth/login-throttle.js";
import type { z } from "zod";
import type { RestDeps } from "../deps.js";
import type { Caller, RestContext } from "./state.js";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** `auth` routes are counted against the per-IP login limit; the rest against the general limit. */
export type RateLimitGroup = "auth" | "api";

export interface RestServices {
  deps: RestDeps;
  tokens: TokenService;
  loginThrottle: LoginThrottle;
  mailer: Mailer;
  attachments: AttachmentService;
}

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface HandlerInput<P, Q, B, A extends boolean> {
  ctx: RestContext;
  params: P;
  query: Q;
  body: B;
  caller: A extends true ? Caller : undefined;
  services: RestServices;
  ip: string;
}

/** What a handler answers, as the router writes it (the erased form of `ReplyOf`). */
export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseDoc {
  description: string;
  /** The body's view (from @kaleem/shared/contracts); a status without one answers no body. */
  schema?: z.ZodType;
}

/** Documented responses by status. Errors are thrown (errors.ts writes them), never returned. */
export type Responses = Record<number, ResponseDoc>;

/** A documented body: the view itself, or its JSON text as the store composed it (written as it is). */
type BodyOf<D> = D extends { schema: infer S extends z.ZodType } ? { body: z.input<S> | JsonText<z.output<S>> } : { body?: undefined };
type StatusOf<S extends number> = S extends 200 ? { status?: 200 } : { status: S };

/**
 * The replies a route may give: one per documented status, its body typed by that status's schema
 * (status 200 may be left out). A handler answering a shape its `responses` do not document is a
 * type error, so the OpenAPI document and the served bodies cannot drift apart.
 * (The trailing `status?: keyof R & number` gives `status` a generic contextual type, which is what
 * keeps a handler's `status: 201` literal instead of widening it to `number` before R is known.)
 */
export type ReplyOf<R extends Responses> = {
  [S in keyof R & number]: StatusOf<S> & BodyOf<R[S]> & { headers?: Record<string, string> };
}[keyof R & number] & { status?: keyof R & number };

export interface HeaderDoc {
  name: string;
  required: boolean;
  description: string;
}

export interface RouteSpec<
  PS extends z.ZodType | undefined,
  QS extends z.ZodType | undefined,
  BS extends z.ZodType | undefined,
  A extends boolean,
  R extends Responses,
> {
  method: HttpMethod;
  /** Path below /api/v1 in router syntax: "/products/:id". */
  path: string;
  summary: string;
  tag: string;
  /** Requires a valid access token. */
  auth: A;
  /** Roles allowed (default: any authenticated role). */
  roles?: readonly Role[];
  rateLimit?: RateLimitGroup;
  params?: PS;
  query?: QS;
  body?: BS;
  headers?: readonly HeaderDoc[];
  responses: R;
  /** R comes from `responses` only (NoInfer): a handler's reply cannot widen what is documented. */
  handler(input: HandlerInput<Out<PS>, Out<QS>, Out<BS>, A>): Promise<NoInfer<ReplyOf<R>>>;
}

/** A route with its types erased, as the router and the OpenAPI generator see it. */
export interface AnyRoute {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  auth: boolean;
  roles?: readonly Role[];
  rateLimit?: RateLimitGroup;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  headers?: readonly HeaderDoc[];
  responses: Responses;
  handler(input: HandlerInput<unknown, unknown, unknown, boolean>): Promise<Reply>;
}

export function defineRoute<
  PS extends z.ZodType | undefined = undefined,
  QS extends z.ZodType | undefined = undefined,
  BS extends z.ZodType | undefined = undefined,
  A extends boolean = true,
  R extends Responses = Responses,
>(spec: RouteSpec<PS, QS, BS, A, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}

export const API_PREFIX = "/api/v1";
