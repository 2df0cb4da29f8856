// Lint keeps the house standing: the dependency direction between src/core,
// src/node and src/editor, no floating promises, no unused code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const fsAndProcess = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'child_process', 'node:child_process'];

/** `paths` entries that forbid a module, with the reason shown in the message. */
const forbid = (names, message) => names.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['**/*.mjs', '**/*.js', 'dist/**', 'out/**', 'node_modules/**', '*.vsix', 'test/fixtures/**'] },
  { files: ['**/*.ts'], extends: [js.configs.recommended] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      // Matching control characters is deliberate: they are what a message must never receive.
      'no-control-regex': 'off',
    },
  },
  {
    // The pure core: no editor, no file system, no processes, no git.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...forbid(['vscode'], 'src/core is pure: it must not import vscode.'),
          ...forbid(fsAndProcess, 'src/core is pure: no file system or processes (git lives in src/node).'),
        ],
        patterns: [{ group: ['**/node/**', '**/editor/**', '**/extension'], message: 'src/core depends on nothing else in src/.' }],
      }],
    },
  },
  {
    // The Node side (git, ledger files, hook, CLI) never knows VS Code.
    files: ['src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: forbid(['vscode'], 'src/node is the Node side: it must not import vscode.'),
        patterns: [{ group: ['**/editor/**', '**/extension'], message: 'src/node must not import the editor side.' }],
      }],
    },
  },
  {
    // The editor side may use the Node side's library modules, not the CLI's internals.
    files: ['src/editor/**/*.ts', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/node/cli/**'], message: 'The editor side does not import the CLI\'s internals.' }],
      }],
    },
  },
  {
    // Tests and benchmarks run in plain Node: never the vscode module.
    files: ['test/unit/**/*.ts', 'test/support/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: forbid(['vscode'], 'Unit tests and benchmarks run in plain Node.') }],
    },
  },
);
