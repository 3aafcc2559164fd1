import { defineConfig } from 'vitest/config';

// One root config; each project reads sources directly through the "dev-source"
// export condition, so tests never need a build.
export default defineConfig({
  resolve: { conditions: ['dev-source'] },
  ssr: { resolve: { conditions: ['dev-source'] } },
  test: {
    pool: 'forks',
    // The preset audits to stdout by default; test runs opt in with an explicit audit destination.
    env: { LLMGUARD_AUDIT: 'off' },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['packages/*/src/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'contract', include: ['test/contract/**/*.test.ts', 'test/security/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
        },
      },
    ],
  },
});
