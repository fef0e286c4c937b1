// Ganvas's folder boundaries (README "Boundaries"), checked by `npm run lint` and first in `npm test`.
// Type-only imports never reach a bundle, so the tfjs/svelte rules ignore them (dependencyTypesNot: ['type-only']).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-core-no-tfjs',
      comment:
        'graph, nodes, i18n and the tfjs-free io codecs (charts, log line, Keras export, checkpoint files) run in Node, the page and ' +
        'the worker without tfjs: the editor bundle must not carry it. Nodes get `tf` handed in by the engine; ' +
        'import tfjs types with `import type`.',
      severity: 'error',
      from: { path: '^src/(graph|nodes|i18n)/|^src/io/(charts|logLine|kerasExport|checkpoint)\\.ts$', pathNot: '\\.test\\.ts$' },
      to: { path: '^node_modules/@tensorflow/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'svelte-only-in-ui',
      comment:
        'Svelte is the UI framework: engine, worker and CLI code must not depend on it, so they run headless and ' +
        'under any UI. Stores the UI needs live in src/ui (e.g. src/ui/state/language.ts).',
      severity: 'error',
      from: { path: '^(src|bench|scripts|e2e)/', pathNot: '^src/ui/' },
      to: { path: '^node_modules/svelte/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-no-training-math',
      comment:
        'The UI draws and sends messages; training (tfjs, src/train, src/kernels) runs in the worker. A UI file that ' +
        'needs a tensor belongs in the engine. Types are fine.',
      severity: 'error',
      from: { path: '^src/ui/', pathNot: '\\.test\\.ts$' },
      to: { path: '^node_modules/@tensorflow/|^src/(train|kernels)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-never-reaches-node-only',
      comment:
        'The page, the training worker and the browser benchmark are bundled for the browser: nothing they reach, ' +
        'however indirectly, may be Node-only (node: builtins, fs, src/cli, pngjs). Node-only code lives in src/cli.',
      severity: 'error',
      from: { path: '^(src/ui/main\\.ts|src/worker/trainingWorker\\.ts|bench/browser/main\\.ts)$' },
      to: {
        path: '^src/cli/|^node_modules/pngjs/|^(node:)?(fs|fs/promises|path|url|zlib|module|child_process|os|util|crypto|worker_threads)$',
        reachable: true,
      },
    },
    {
      name: 'no-circular',
      comment:
        'A runtime cycle makes load order matter and means two modules are really one: split out what both need. ' +
        'Cycles made only of type imports (protocol.ts naming the message types of its parts) vanish at runtime.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Vite's ?url imports are assets, not modules.
    exclude: { path: '\\?url$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.svelte', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
