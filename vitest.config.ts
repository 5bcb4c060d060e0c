import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Eleventy builds are CPU-bound and the CI machine has 2 cores.
    maxWorkers: 2,
  },
});
