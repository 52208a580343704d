import { defineConfig } from 'vitest/config';

// Preact's JSX without a plugin: the transformer only needs to know where jsx() comes from.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // Relative asset paths: the console works from any folder of any static host.
  base: './',
  build: { target: 'es2022', sourcemap: false },
  // `npm run dev` beside `make run`: local sign-in goes to the stack's console server.
  server: { proxy: { '/local/': 'http://127.0.0.1:3001' } },
  test: { include: ['src/**/*.test.ts'] },
});
