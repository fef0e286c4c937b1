// Vite config for the Ganvas app: Svelte, the built app's Content-Security-Policy, and the ES-module training worker.
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * The built app's Content-Security-Policy, as a <meta> tag (static hosting cannot be relied on for headers). No
 * inline scripts at all; 'wasm-unsafe-eval' lets tfjs compile its WASM backend; inline styles stay allowed because
 * Svelte and Rete position nodes with style attributes; blob:/data: cover downloads and exported images.
 * Build only: Vite's dev server injects inline scripts for HMR.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'ganvas-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        // An inline script would be blocked by the policy at runtime; fail the build instead of shipping it broken.
        if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(html)) throw new Error('index.html has an inline <script>, which the CSP forbids');
        return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [svelte(), contentSecurityPolicy()],
  css: {
    // rete-svelte-plugin's presets still use Sass @import and global colour functions.
    preprocessorOptions: { scss: { silenceDeprecations: ['import', 'global-builtin', 'color-functions'] } },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    // The chunks over Vite's 500 kB default are all loaded on demand: the training worker (tfjs + wasm backend,
    // ~2.2 MB), tfjs for the page's generator loader (~0.9 MB) and elkjs behind Arrange (~1.4 MB). What a visit
    // loads first is measured by `npm run bench` (JS at navigation), so the warning only said what we chose.
    chunkSizeWarningLimit: 2500,
  },
  // The training worker (src/worker) is an ES module: tfjs and the wasm backend split into chunks.
  worker: { format: 'es' },
  preview: { host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
});
