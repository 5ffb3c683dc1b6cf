// ESLint (`npm run lint`, zero warnings in CI): typescript-eslint's type-checked rules for every
// package, the Lit and web-component rules for the widget. A rule switched off says why.
import litPlugin from 'eslint-plugin-lit';
import wcPlugin from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'artifacts/**', 'reports/**', 'packs/**', '.stryker-tmp/**', '**/*.d.ts'],
  },
  {
    files: [
      'packages/*/src/**/*.{ts,tsx}',
      'packages/*/test/**/*.{ts,tsx}',
      'test/**/*.ts',
      'test-support/**/*.ts',
      'examples/*/test/**/*.ts',
    ],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // One program for every file, the root tsconfig's (each package's sources through its `paths`),
      // not one per package tsconfig (projectService): those read each other's types from dist/, so
      // lint had to wait for the build, and built six overlapping programs (91 s against 47 s here).
      parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // A leading underscore marks a name kept on purpose: a field taken out of an object by
      // destructuring (`const { hidden: _hidden, ...shown } = row`), a parameter a seam requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The in-memory implementations of promise-returning seams (MemoryStore, local presence,
      // typing, ephemeral log) are `async` without awaiting so that a throw reaches the caller as a
      // rejection, as it does from the durable implementations; dropping `async` would change that.
      '@typescript-eslint/require-await': 'off',
      // One concept a file: 500 lines of code at most (blank lines and comments are not counted, so
      // nothing is ever kept under the cap by joining lines or dropping a comment).
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Tests read what the wire and real HTTP answers carry (`res.json()`, raw socket payloads) to
    // check its shape: typing each read first would assert the very shape the test is checking.
    files: ['**/*.{test,e2e,integration}.{ts,tsx}', 'test-support/**/*.ts', 'packages/*/test/**/*.{ts,tsx}', 'examples/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['packages/widget/src/**/*.ts'],
    extends: [litPlugin.configs['flat/recommended'], wcPlugin.configs['flat/recommended']],
  },
);
