import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Process-spawning tests share two cores; a few files at a time keeps timing noise low.
    maxWorkers: 2,
    // Gives the run a directory for the servers shared across test files (Nacos, Eureka) and stops
    // them at the end; it starts nothing itself (a server starts when a test first asks for it, see
    // test/servers/shared-server.ts).
    globalSetup: ['test/servers/shared-run.ts'],
  },
});
