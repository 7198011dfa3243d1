import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Store tests share one PostgreSQL database; files run in parallel but each uses its own schema.
    pool: 'forks',
  },
});
