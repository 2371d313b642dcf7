import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import budgetml from './scripts/lint/layering.mjs';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'media/', 'test/fixtures/', '.budgetml/', '.test-tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { budgetml },
    rules: {
      'budgetml/layering': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // ANSI escapes are part of what terminals print; matching them is deliberate.
      'no-control-regex': 'off',
    },
  },
  // Tests read records back from JSON files and servers as they come.
  { files: ['test/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The webview and the pages the end-to-end tests drive run in a browser.
  { files: ['webview-ui/**', 'test/e2e/**', 'scripts/code-server-shim.mjs'], languageOptions: { globals: { ...globals.browser } } },
);
