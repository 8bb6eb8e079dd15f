// Turns an uploaded JSON or CSV file into the rows `POST /products/import` expects. Rows are passed
// through as given: the server validates each one and reports the bad ones by index.

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && src[i + 1] === "\n") i++;
      row.push(field);
      field = "";
      if (row.some((f) => f !== "")) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== "")) rows.push(row);
  return rows;
}

const num = (v: string | undefined): number | string | undefined => {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v; // leave bad numbers for the server to reject with the row index
};

/** CSV columns: externalId, name_en, name_ar, description_en, description_ar, category, price, currency,
 * stock, tags (separated by | or ;), imageUrl, and attr_<name> for attributes. */
export function csvToProducts(text: string): Record<string, unknown>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) return [];
  const cols = header.map((h) => h.trim());
  return rows.map((cells) => {
    const get = (name: string) => {
      const i = cols.indexOf(name);
      return i === -1 ? undefined : cells[i]?.trim();
    };
    const attributes: Record<string, string> = {};
    cols.forEach((c, i) => {
      if (c.startsWith("attr_") && cells[i]) attributes[c.slice(5)] = cells[i]!.trim();
    });
    const product: Record<string, unknown> = {
      externalId: get("externalId"),
      name: { en: get("name_en") ?? "", ar: get("name_ar") ?? "" },
      description: { en: get("description_en") ?? "", ar: get("description_ar") ?? "" },
      category: get("category") || undefined,
      price: num(get("price")),
      currency: get("currency") || undefined,
      stock: num(get("stock")),
      tags: (get("tags") ?? "").split(/[|;]/).map((s) => s.trim()).filter(Boolean),
      imageUrl: get("imageUrl") || undefined,
      attributes,
    };
    for (const key of Object.keys(product)) if (product[key] === undefined) delete product[key];
    return product;
  });
}

export class ImportFileError extends Error {
  override name = "ImportFileError";
}

export function productsFromFile(name: string, text: string): unknown[] {
  const looksJson = /\.json$/i.test(name) || /^\s*[[{]/.test(text);
  if (!looksJson) return csvToProducts(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ImportFileError(err instanceof Error ? err.message : "invalid JSON");
  }
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object" && "products" in value && Array.isArray(value.products)) return value.products;
  throw new ImportFileError('expected an array of products or {"products": [...]}');
}
