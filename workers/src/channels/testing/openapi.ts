// A small validator for the parts of JSON Schema that Meta's OpenAPI document uses in its
// request schemas: $ref, allOf, oneOf (with OpenAPI's discriminator), anyOf, type, enum, const,
// required, properties, additionalProperties, items, min/maxItems, min/maxLength, min/maximum.
// One deliberate reading: an `additionalProperties: false` inside an allOf branch admits the
// properties its sibling branches declare (Meta writes message schemas as allOf[base, specific]
// and means the union; strict JSON Schema would refuse every message).

export type JsonSchema = {
  $ref?: string;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  discriminator?: { propertyName: string; mapping?: Record<string, string> };
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export interface OpenApiDocument {
  components?: { schemas?: Record<string, JsonSchema> };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function resolveRef(doc: OpenApiDocument, ref: string): JsonSchema {
  const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
  const schema = m?.[1] ? doc.components?.schemas?.[m[1]] : undefined;
  if (!schema) throw new Error(`unresolvable $ref ${ref}`);
  return schema;
}

/** Property names a schema declares, through $ref and allOf. */
function declaredProperties(doc: OpenApiDocument, schema: JsonSchema, depth = 0): string[] {
  if (depth > 20) return [];
  const own = Object.keys(schema.properties ?? {});
  const viaRef = schema.$ref ? declaredProperties(doc, resolveRef(doc, schema.$ref), depth + 1) : [];
  const viaAll = (schema.allOf ?? []).flatMap((s) => declaredProperties(doc, s, depth + 1));
  return [...own, ...viaRef, ...viaAll];
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      return true;
  }
}

function check(doc: OpenApiDocument, schema: JsonSchema, value: unknown, at: string, siblings: ReadonlySet<string>, depth: number): string[] {
  if (depth > 40) return [];
  if (schema.$ref) return check(doc, resolveRef(doc, schema.$ref), value, at, siblings, depth + 1);
  const problems: string[] = [];

  if (schema.allOf) {
    const union = new Set([...siblings, ...schema.allOf.flatMap((s) => declaredProperties(doc, s))]);
    for (const branch of schema.allOf) problems.push(...check(doc, branch, value, at, union, depth + 1));
  }
  if (schema.oneOf) {
    const d = schema.discriminator;
    const tag = d && isObject(value) ? value[d.propertyName] : undefined;
    const mapped = d?.mapping && typeof tag === "string" ? d.mapping[tag] : undefined;
    if (d?.mapping && isObject(value)) {
      if (!mapped) problems.push(`${at}.${d.propertyName}: "${String(tag)}" is not one of ${Object.keys(d.mapping).join(", ")}`);
      else problems.push(...check(doc, { $ref: mapped }, value, at, siblings, depth + 1));
    } else {
      const tries = schema.oneOf.map((s) => check(doc, s, value, at, siblings, depth + 1));
      const passing = tries.filter((t) => t.length === 0).length;
      if (passing !== 1) {
        const closest = tries.reduce((a, b) => (b.length < a.length ? b : a));
        problems.push(passing === 0 ? `${at} matches none of its forms (closest: ${closest.join("; ")})` : `${at} matches ${passing} of its forms, exactly one expected`);
      }
    }
  }
  if (schema.anyOf && !schema.anyOf.some((s) => check(doc, s, value, at, siblings, depth + 1).length === 0)) problems.push(`${at} matches none of its forms`);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) return [...problems, `${at} must be ${types.join(" or ")}`];
  }
  if (schema.enum && !schema.enum.some((e) => e === value)) problems.push(`${at} must be one of ${schema.enum.map(String).join(", ")}`);
  if (schema.const !== undefined && schema.const !== value) problems.push(`${at} must be ${String(schema.const)}`);

  if (typeof value === "string") {
    if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${at} is longer than ${schema.maxLength} characters (${value.length})`);
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at} is shorter than ${schema.minLength} characters`);
  }
  if (typeof value === "number") {
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at} is above ${schema.maximum}`);
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at} is below ${schema.minimum}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) problems.push(`${at} has more than ${schema.maxItems} items (${value.length})`);
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${at} has fewer than ${schema.minItems} items`);
    if (schema.items) value.forEach((item, i) => problems.push(...check(doc, schema.items!, item, `${at}[${i}]`, new Set(), depth + 1)));
  }
  if (isObject(value)) {
    for (const name of schema.required ?? []) if (value[name] === undefined) problems.push(`${at}.${name} is required`);
    const props = schema.properties ?? {};
    for (const [name, sub] of Object.entries(props)) if (value[name] !== undefined) problems.push(...check(doc, sub, value[name], `${at}.${name}`, new Set(), depth + 1));
    const extra = schema.additionalProperties;
    if (extra !== undefined && extra !== true) {
      for (const name of Object.keys(value)) {
        if (name in props || siblings.has(name)) continue;
        if (extra === false) problems.push(`${at}.${name} is not allowed`);
        else problems.push(...check(doc, extra, value[name], `${at}.${name}`, new Set(), depth + 1));
      }
    }
  }
  return problems;
}

/** Problems of `value` against `#/components/schemas/<name>`; [] when it conforms. */
export function validateOpenApi(doc: OpenApiDocument, schemaName: string, value: unknown): string[] {
  return check(doc, { $ref: `#/components/schemas/${schemaName}` }, value, "body", new Set(), 0);
}
