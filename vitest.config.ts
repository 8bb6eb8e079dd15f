import { defineConfig } from "vitest/config";
import { workspaceAliases } from "./vitest.aliases.js";

const packages = ["shared", "workers", "rest", "hub", "launcher", "webchat-widget", "dashboard"];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      resolve: { alias: workspaceAliases },
      test: {
        name,
        root: `./${name}`,
        include: ["src/**/*.test.ts", "test/**/*.test.ts"],
        environment: "node",
        testTimeout: 60_000,
        hookTimeout: 120_000,
        pool: "forks",
      },
    })),
  },
});
