// Unit tests run in Node beside the code; Playwright owns e2e/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    setupFiles: ['src/testing/tfjsTestMode.ts'],
    // Training tests run real iterations on the cpu backend.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // tfjs keeps one global engine per process: one worker per file keeps backends apart.
    pool: 'forks',
  },
});
