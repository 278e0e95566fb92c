// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.tmp/**'] },
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
  {
    // The browser-safe core: no Node built-ins, no winston.
    files: ['lib/**/*.ts'],
    ignores: [
      'lib/node/**',
      'lib/cli/**',
      'lib/testing/fake-flyte-server*.ts',
      'lib/testing/node/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
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
          ].map((name) => ({
            name,
            message: 'Node built-ins belong in lib/node/.',
          })),
        },
      ],
    },
  },
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
);
