// Lint: typescript-eslint's type-checked rules over src/ and test/, run in `npm test`.
// Formatting is Prettier's alone (`npm run format:check`), so no rule here is about layout.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'report/',
      'results/',
      '.scratch/',
      'bin/',
      '*.config.*',
      '.dependency-cruiser.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A `!` hides the question of what happens when the value is missing: narrow, or throw a sentence.
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // A test's `!` is on a value the test itself just produced: a missing one fails at that line,
    // which is what a test is for. The product code (src/, tests aside) has none.
    // Tests also doctor parsed JSON on purpose (a results file made wrong field by field), read
    // raw frames as text, and match control bytes of WebSocket close frames: the rules against
    // untyped values and control characters would only be switched off line by line there.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/require-await': 'off',
      'no-control-regex': 'off',
    },
  },
);
