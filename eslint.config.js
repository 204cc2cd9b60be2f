// The core (everything but src/entry) must stay runtime-neutral so it runs on Workers too.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnly = {
  patterns: [
    { group: ['node:*'], message: 'Node built-ins belong in src/entry only.' },
    { group: ['undici', 'pino', 'pino-*', 'postgres', '@electric-sql/pglite*', 'drizzle-orm/postgres-js*', 'drizzle-orm/pglite*'], message: 'Runtime-specific packages are injected from src/entry.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', '.wrangler/', 'migrations/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts', 'adapters/**/*.ts'],
    ignores: ['src/entry/**'],
    rules: {
      'no-restricted-imports': ['error', nodeOnly],
      'no-restricted-globals': ['error',
        { name: 'process', message: 'Read configuration through parseConfig; process exists only in src/entry.' },
        { name: 'Buffer', message: 'Use Uint8Array and TextEncoder (Web APIs).' },
        { name: 'require', message: 'ESM only.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'adapters/**/*.ts', 'partners/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Named exports only (src/entry/worker.ts is the one exception).' }] },
  },
  { files: ['src/entry/worker.ts'], rules: { 'no-restricted-syntax': 'off' } },
);
