// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

/** Node built-ins and winston: only lib/node/ and the Node-only files of lib/testing/ use them. */
const nodeOnly = {
  patterns: [
    { group: ['node:*'], message: 'Node built-ins belong in lib/node/.' },
    { group: ['winston', 'winston/*'], message: 'winston belongs in lib/node/.' },
  ],
  paths: [
    'fs',
    'http',
    'https',
    'net',
    'os',
    'path',
    'child_process',
    'events',
    'stream',
    'url',
    'crypto',
  ].map((name) => ({ name, message: 'Node built-ins belong in lib/node/.' })),
};

/** The layers of lib/, lowest first; each may import only from the layers before it. */
const LAYERS = ['model', 'api', 'streams', 'pack'];
const TOP = ['node', 'testing', 'cli'];
const NODE_FILES = ['lib/node/**', 'lib/cli/**', 'lib/testing/fake-flyte-server*.ts'];

/**
 * One config object per layer: `no-restricted-imports` refuses imports of the layers above it
 * (and of the entry points in lib/ itself); the browser-safe ones also refuse Node built-ins.
 * Flat config replaces a rule's options instead of merging them, hence one object per folder.
 */
function layerRules() {
  const above = (layer) => [...LAYERS.slice(LAYERS.indexOf(layer) + 1), ...TOP];
  const layerConfigs = LAYERS.map((layer) => ({
    files: [`lib/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeOnly.paths,
          patterns: [
            ...nodeOnly.patterns,
            {
              group: [...above(layer).flatMap((up) => [`../${up}/*`, `../../${up}/*`]), '../*.js'],
              message: `lib/${layer} may import only from ${
                LAYERS.slice(0, LAYERS.indexOf(layer)).join(', ') || 'itself'
              } (layers import downwards: ${LAYERS.join(' → ')} → ${TOP.join(' / ')}).`,
            },
          ],
        },
      ],
    },
  }));
  return [
    ...layerConfigs,
    {
      files: ['lib/index.ts', 'lib/testing/**/*.ts'],
      ignores: NODE_FILES,
      rules: { 'no-restricted-imports': ['error', nodeOnly] },
    },
  ];
}

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**', 'api-docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Use explicit named exports, not export *.' },
      ],
    },
  },
  // The browser-safe core imports no Node built-ins, and each layer imports only from the layers
  // below it: model → api → streams → pack → node / testing (see docs/architecture.md).
  ...layerRules(),
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly' },
    },
  },
  // Bench children run as plain Node on the built package (no TypeScript loader).
  {
    files: ['bench/**/*.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: {
        process: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
      },
    },
  },
);
