import { defineConfig } from 'vitest/config';

// Preact's JSX without a plugin: the transformer only needs to know where jsx() comes from.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // Relative asset paths: the console works from any folder of any static host.
  base: './',
  build: { target: 'es2022', sourcemap: false },
  test: { include: ['src/**/*.test.ts'] },
});
