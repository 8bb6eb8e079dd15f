// Builds the widget: dist/widget.js (loader, served at /widget.js) and dist/chat.js (chat bundle,
// served at /widget/chat.js). Prints raw and gzip sizes and fails when a bundle is over budget.
import { build } from "esbuild";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import { gzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const KB = 1024;
/** Budgets from the widget issue: loader ≤ 6 KB gzip, loader + chat ≤ 40 KB gzip. */
const LOADER_BUDGET = 6 * KB;
const TOTAL_BUDGET = 40 * KB;

// The shared contracts are zod schemas plus types. The widget uses only types from them (erased)
// and takes its run-time pieces from the zod-free "@kaleem/shared/client" corner; type imports of
// "@kaleem/shared/contracts" resolve to that corner too, so zod stays out of the bundle and
// importing a schema by mistake fails the build loudly.
const contractsClientOnly = {
  name: "contracts-client-only",
  setup(b) {
    b.onResolve({ filter: /^@kaleem\/shared\/contracts$/ }, () => ({
      path: path.resolve(here, "../shared/src/contracts/client.ts"),
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
  plugins: [contractsClientOnly],
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
  // The client library for apps (React Native, Node): ESM, unminified, socket.io-client left to
  // the app's own dependency. Not part of the widget budget.
  await build({
    ...common,
    entryPoints: [path.join(here, "src/client/index.ts")],
    outfile: path.join(outdir, "client.mjs"),
    format: "esm",
    minify: false,
    metafile: false,
    external: ["socket.io-client"],
  });

  // Baseline for comparison: socket.io-client alone, bundled the same way.
  const baseline = await build({
    ...common,
    plugins: [],
    metafile: false,
    write: false,
    stdin: { contents: 'import { io } from "socket.io-client"; window.__io = io;', resolveDir: here, loader: "js" },
  });
  const baseCode = baseline.outputFiles[0].contents;
  sizes["socket.io-client alone"] = { raw: baseCode.length, gzip: gzipSync(baseCode, { level: 9 }).length };
  const loader = sizes["widget.js"];
  const chat = sizes["chat.js"];
  const total = { raw: loader.raw + chat.raw, gzip: loader.gzip + chat.gzip };
  if (!quiet) {
    const fmt = (n) => `${(n / KB).toFixed(1)} KB`;
    console.log(`${"bundle".padEnd(24)} ${"raw".padEnd(10)} gzip`);
    for (const [name, s] of Object.entries({ ...sizes, total })) console.log(`${name.padEnd(24)} ${fmt(s.raw).padEnd(10)} ${fmt(s.gzip)}`);
  }
  const errors = [];
  if (loader.gzip > LOADER_BUDGET) errors.push(`widget.js is ${loader.gzip} B gzip, budget ${LOADER_BUDGET} B`);
  if (total.gzip > TOTAL_BUDGET) errors.push(`widget total is ${total.gzip} B gzip, budget ${TOTAL_BUDGET} B`);
  if (errors.length) throw new Error(`over budget: ${errors.join("; ")}`);
  return { ...sizes, total };
}

const SECTION = "## Widget bundle size";

/** Rewrites only the widget's section of BENCHMARKS.md (other sections belong to other benchmarks). */
async function writeBenchmarks(sizes) {
  const file = path.resolve(here, "../BENCHMARKS.md");
  let text = "";
  try {
    text = await readFile(file, "utf8");
  } catch {
    text = "# Benchmarks\n";
  }
  const kb = (n) => `${(n / KB).toFixed(1)} KB`;
  const row = (name, s) => `| ${name} | ${s.raw.toLocaleString("en")} B (${kb(s.raw)}) | ${s.gzip.toLocaleString("en")} B (${kb(s.gzip)}) |`;
  const base = sizes["socket.io-client alone"];
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const section = [
    SECTION,
    "",
    `Command: \`npm run bench -w @kaleem/webchat-widget\` (the same build as \`npm run build -w @kaleem/webchat-widget\`: esbuild, minified, ES2019, IIFE; gzip level 9). Machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}. Measured ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| bundle | raw | gzip |",
    "|---|---|---|",
    row("`widget.js` (loader, every page)", sizes["widget.js"]),
    row("`chat.js` (panel + client + socket.io-client, on first open)", sizes["chat.js"]),
    row("**whole widget**", sizes.total),
    row("baseline: socket.io-client alone", base),
    "",
    `Budgets (the build fails above them): loader ≤ 6 KB gzip, whole widget ≤ 40 KB gzip. The loader is ${((sizes["widget.js"].gzip / (6 * KB)) * 100).toFixed(0)}% of its budget; the whole widget is ${((sizes.total.gzip / (40 * KB)) * 100).toFixed(0)}% of its budget and ${(sizes.total.gzip / base.gzip).toFixed(2)}× the size of socket.io-client alone (the widget's own code, styles and Arabic/English strings add ${kb(sizes.total.gzip - base.gzip)} gzip). zod stays out of the bundle: the build fails if it gets in.`,
    "",
  ].join("\n");
  const start = text.indexOf(SECTION);
  if (start === -1) text = `${text.trimEnd()}\n\n${section}`;
  else {
    const next = text.indexOf("\n## ", start + SECTION.length);
    text = text.slice(0, start) + section + (next === -1 ? "" : text.slice(next + 1));
  }
  await writeFile(file, text.endsWith("\n") ? text : `${text}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWidget()
    .then((sizes) => (process.argv.includes("--benchmarks") ? writeBenchmarks(sizes) : undefined))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
