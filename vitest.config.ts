import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/helpers/fast-check-seed.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Eleventy builds are CPU-bound and the CI machine has 2 cores.
    maxWorkers: 2,
  },
});
