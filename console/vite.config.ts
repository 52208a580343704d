import { defineConfig } from 'vitest/config';

// Preact's JSX without a plugin: the transformer only needs to know where jsx() comes from.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // Relative asset paths: the console works from any folder of any static host.
  base: './',
  build: { target: 'es2022', sourcemap: false },
  // `npm run dev` beside `make run`: local sign-in goes to the stack's console server.
  server: { proxy: { '/local/': 'http://127.0.0.1:3001' } },
  // The unit tests wait on nothing (no timers, no network); the bound is only for a test
  // that hangs, so a machine busy with `make test`'s other packages never fails one.
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
