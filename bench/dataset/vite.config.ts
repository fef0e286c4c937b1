// The dataset-preparation benchmark page (bench/datasetPrep.ts drives it): the real dataset worker, fed files the
// runner serves from .bench/dataset/. A separate build, so the app's bundle carries none of it.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./page'),
  // The data files are served by the runner (page.route), not copied into the build.
  publicDir: false,
  base: './',
  build: { outDir: here('../../dist-bench-dataset'), emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  logLevel: 'warn',
});
