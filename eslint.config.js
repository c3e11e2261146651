// Lint rules, above all the import boundaries of docs/architecture.md:
//   src-shared   ← everything; imports nothing platform-specific
//   src-main/agent never imports electron; src-renderer never imports main or server;
//   the server never imports the app.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const node = ['node:*', 'fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net'];
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-*/**', 'var/**', 'coverage/**', 'tests/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    files: ['src-shared/**'],
    rules: restrict([
      { group: node, message: 'src-shared holds contracts only: no Node imports.' },
      { group: ['electron', 'react', 'react-dom', 'fastify', 'kysely', 'pg', 'better-sqlite3'], message: 'src-shared must stay platform-free.' },
      { group: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**'], message: 'src-shared imports nothing of the runtimes.' },
    ]),
  },
  {
    files: ['src-main/agent/**'],
    rules: restrict([
      { group: ['electron', 'electron/*', 'electron-store', 'electron-updater'], message: 'The agent gets platform services injected; it never imports electron.' },
      { group: ['**/src-server/**', '**/src-renderer/**'], message: 'The agent talks to the server over HTTP only.' },
    ]),
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/agent/**'],
    rules: restrict([{ group: ['**/src-server/**', '**/src-renderer/**'], message: 'Shells do not import the server or the renderer.' }]),
  },
  {
    files: ['src-renderer/**'],
    rules: restrict([
      { group: node, message: 'The renderer runs in a sandboxed page: no Node imports.' },
      { group: ['electron', 'electron/*'], message: 'The renderer reaches the shell through the preload bridge only.' },
      { group: ['**/src-main/**', '**/src-server/**'], message: 'The renderer never imports main or server code.' },
    ]),
  },
  {
    files: ['src-server/**'],
    rules: restrict([
      { group: ['electron', 'electron/*'], message: 'The server never imports electron.' },
      { group: ['**/src-main/**', '**/src-renderer/**'], message: 'The server never imports the app.' },
    ]),
  },
);
