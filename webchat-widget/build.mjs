// Builds the widget: dist/widget.js (loader, served at /widget.js) and dist/chat.js (chat bundle,
// served at /widget/chat.js). Prints raw and gzip sizes and fails when a bundle is over budget.
import { build } from "esbuild";
import { mkdir, readFile } from "node:fs/promises";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const KB = 1024;
/** Budgets from the widget issue: loader ≤ 6 KB gzip, loader + chat ≤ 40 KB gzip. */
const LOADER_BUDGET = 6 * KB;
const TOTAL_BUDGET = 40 * KB;

// The shared contracts are zod schemas plus types and constants. The widget uses only types
// (erased) and constants at run time, so it bundles the zod-free constants module instead: zod
// stays out of the bundle, and importing a schema by mistake fails the build loudly.
const contractsConstantsOnly = {
  name: "contracts-constants-only",
  setup(b) {
    b.onResolve({ filter: /^@kaleem\/shared\/contracts$/ }, () => ({
      path: path.resolve(here, "../shared/src/contracts/constants.ts"),
    }));
  },
};

const common = {
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  platform: "browser",
  conditions: ["source"],
  legalComments: "none",
  charset: "utf8",
  metafile: true,
  plugins: [contractsConstantsOnly],
  logLevel: "warning",
};

export async function buildWidget({ outdir = path.join(here, "dist"), quiet = false } = {}) {
  await mkdir(outdir, { recursive: true });
  const bundles = [
    { name: "widget.js", entry: "src/loader.ts" },
    { name: "chat.js", entry: "src/chat/index.ts" },
  ];
  const sizes = {};
  for (const b of bundles) {
    const outfile = path.join(outdir, b.name);
    const result = await build({ ...common, entryPoints: [path.join(here, b.entry)], outfile });
    const inputs = Object.keys(result.metafile.inputs);
    if (inputs.some((i) => i.includes("node_modules/zod"))) throw new Error(`${b.name} pulled in zod; import only types and constants from contracts`);
    const code = await readFile(outfile);
    sizes[b.name] = { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  const loader = sizes["widget.js"];
  const chat = sizes["chat.js"];
  const total = { raw: loader.raw + chat.raw, gzip: loader.gzip + chat.gzip };
  if (!quiet) {
    const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
    console.log("bundle      raw        gzip");
    for (const [name, s] of Object.entries({ ...sizes, total })) console.log(`${name.padEnd(11)} ${fmt(s.raw).padEnd(10)} ${fmt(s.gzip)}`);
  }
  const errors = [];
  if (loader.gzip > LOADER_BUDGET) errors.push(`widget.js is ${loader.gzip} B gzip, budget ${LOADER_BUDGET} B`);
  if (total.gzip > TOTAL_BUDGET) errors.push(`widget total is ${total.gzip} B gzip, budget ${TOTAL_BUDGET} B`);
  if (errors.length) throw new Error(`over budget: ${errors.join("; ")}`);
  return { ...sizes, total };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWidget().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
