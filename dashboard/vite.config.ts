import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// The product serves the built app at /dashboard/ with an SPA fallback to index.html.
// `npm run dev` proxies the API and sockets to a locally running instance (KALEEM_URL).
export default defineConfig({
  base: "/dashboard/",
  plugins: [react()],
  resolve: {
    alias: [{ find: /^@kaleem\/shared\/contracts$/, replacement: here("../shared/src/contracts/index.ts") }],
  },
  build: {
    outDir: here("./dist"),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry /*#__PURE__*/ comments in spots Rollup ignores; harmless noise.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: {
      "/api": process.env.KALEEM_URL ?? "http://localhost:8080",
      "/socket.io": { target: process.env.KALEEM_URL ?? "http://localhost:8080", ws: true },
    },
  },
});
