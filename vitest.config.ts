import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Process-spawning tests share two cores; a few files at a time keeps timing noise low.
    maxWorkers: 2,
    // Gives the run a directory for the shared Nacos servers and stops them at the end; it starts
    // nothing itself (a server starts when a test first asks for it, see test/servers/nacos-shared.ts).
    globalSetup: ['test/servers/nacos-run.ts'],
  },
});
