import { describe, expect, it } from "vitest";
import { ImportFileError, csvToProducts, parseCsv, productsFromFile } from "./import-file";

describe("import file", () => {
  it("parses quoted CSV fields with commas, quotes and newlines", () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ["a", "b"],
      ["x, y", 'say "hi"\nthere'],
    ]);
  });

  it("maps CSV columns to import rows, keeping bad numbers for the server to report", () => {
    const rows = csvToProducts("externalId,name_en,name_ar,price,stock,tags,attr_color\nsku1,Abaya,عباية,199.5,3,black|eid,black\nsku2,Bad,,abc,,,\n");
    expect(rows[0]).toEqual({
      externalId: "sku1",
      name: { en: "Abaya", ar: "عباية" },
      description: { en: "", ar: "" },
      price: 199.5,
      stock: 3,
      tags: ["black", "eid"],
      attributes: { color: "black" },
    });
    expect(rows[1]?.price).toBe("abc");
  });

  it("accepts a JSON array or {products}", () => {
    expect(productsFromFile("a.json", '[{"externalId":"1"}]')).toEqual([{ externalId: "1" }]);
    expect(productsFromFile("a.json", '{"products":[{"externalId":"2"}]}')).toEqual([{ externalId: "2" }]);
    expect(() => productsFromFile("a.json", '{"nope":1}')).toThrow(ImportFileError);
    expect(() => productsFromFile("a.json", "{bad")).toThrow(ImportFileError);
  });
});
