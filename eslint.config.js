import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "data/**", "test-artifacts/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", setInterval: "readonly", clearInterval: "readonly", fetch: "readonly", AbortController: "readonly", AbortSignal: "readonly", TextEncoder: "readonly", TextDecoder: "readonly", window: "readonly", document: "readonly", navigator: "readonly", localStorage: "readonly", HTMLElement: "readonly", customElements: "readonly" } },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through shared/src/config.ts (loadConfig) only." }],
    },
  },
  { files: ["shared/src/config.ts", "scripts/**", "**/*.test.ts", "**/*.test-helpers.ts", "**/test/**", "vitest.*.ts", "dashboard/vite.config.ts", "webchat-widget/build.mjs"], rules: { "no-restricted-properties": "off" } },
  // Domain code depends on ports; adapters are chosen by the composition root (launcher/src/factories.ts).
  {
    files: ["hub/src/**", "rest/src/**", "workers/src/**", "webchat-widget/src/**", "dashboard/src/**"],
    ignores: ["**/*.test.ts", "**/*.test-helpers.ts", "workers/src/bot/eval/**", "workers/src/bot/search/embedded-search.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: [{ name: "@kaleem/shared/adapters", message: "Depend on the port; the launcher's factories choose the adapter." }] }],
    },
  },
);
