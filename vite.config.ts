// Vite config for the Ganvas app. Kept minimal on purpose: a CSP header/plugin and a training worker
// (`worker: { format: 'es' }`) are expected to be added here later.
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  css: {
    // rete-svelte-plugin's presets still use Sass @import and global colour functions.
    preprocessorOptions: { scss: { silenceDeprecations: ['import', 'global-builtin', 'color-functions'] } },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
  },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
