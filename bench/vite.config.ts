// The browser benchmark page: a separate build so the app's bundle stays free of benchmark code.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./browser'),
  publicDir: here('../public'),
  base: './',
  build: { outDir: here('../dist-bench'), emptyOutDir: true, target: 'es2022' },
  logLevel: 'warn',
});
