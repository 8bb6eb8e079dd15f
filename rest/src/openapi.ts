// OpenAPI 3.1 generated from the route table and its zod schemas (z.toJSONSchema emits JSON
// Schema 2020-12, the dialect OpenAPI 3.1 uses).
import { errorBodySchema } from "@kaleem/shared";
import { z } from "zod";
import { API_PREFIX, type AnyRoute } from "./http/route.js";

type JsonSchema = Record<string, unknown>;

/** The document as its route declares it: an OpenAPI version and whatever else OpenAPI allows. */
export const openApiDocumentSchema = z.object({ openapi: z.string() }).loose();
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;

function toSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema;
  return rest;
}

/** "/products/:id" → "/products/{id}" */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
}

function parameters(route: AnyRoute): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = toSchema(schema, "input");
    const props = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      out.push({ name, in: where, required: where === "path" || required.has(name), schema: prop });
    }
  }
  for (const header of route.headers ?? []) {
    out.push({ name: header.name, in: "header", required: header.required, description: header.description, schema: { type: "string" } });
  }
  return out;
}

const ERROR_STATUSES: Record<number, string> = {
  400: "Validation failed",
  401: "Missing, invalid or revoked access token",
  403: "Role not allowed",
  413: "Body too large",
  415: "Body is not application/json",
  429: "Rate limited (see Retry-After)",
};

function responses(route: AnyRoute): JsonSchema {
  const out: Record<string, JsonSchema> = {};
  for (const [status, doc] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    const schema = doc.schema ? toSchema(doc.schema, "output") : isError ? { $ref: "#/components/schemas/Error" } : null;
    out[status] = schema ? { description: doc.description, content: { "application/json": { schema } } } : { description: doc.description };
  }
  const implied = [400, 429];
  if (route.auth) implied.push(401);
  if (route.roles) implied.push(403);
  if (route.body) implied.push(413, 415);
  for (const status of implied) {
    out[String(status)] ??= { description: ERROR_STATUSES[status], content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
  }
  return out;
}

export function buildOpenApi(routes: readonly AnyRoute[], info: { title: string; version: string }): OpenApiDocument {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    const path = API_PREFIX + openApiPath(route.path);
    const operation: JsonSchema = {
      operationId: `${route.method}${route.path.replace(/[/:-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
      summary: route.summary,
      tags: [route.tag],
      parameters: parameters(route),
      responses: responses(route),
      ...(route.auth ? { security: [{ bearerAuth: [] }] } : { security: [] }),
      ...(route.roles ? { "x-roles": route.roles } : {}),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { "application/json": { schema: toSchema(route.body, "input") } } };
    }
    (paths[path] ??= {})[route.method] = operation;
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version },
    servers: [{ url: "/" }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: toSchema(errorBodySchema, "output") },
    },
  };
}
