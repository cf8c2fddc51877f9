import tseslint from 'typescript-eslint';
import { layeringRule } from './build/eslint/layering-rule.js';

// Lint is where the process boundaries are enforced (see build/eslint/layering-rule.js); the rest is
// typescript-eslint's recommended set.
export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-results/', '.xdg/', '.demo/', '.tmp/', 'bench/results/'] },
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { layering: layeringRule } } },
    rules: {
      'local/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Raw ipcMain/ipcRenderer only inside the typed wrappers (GitHub Desktop's rule).
    files: ['electron/app/**/*.ts'],
    ignores: ['electron/app/ipc-main.ts', 'electron/app/preload.ts', 'electron/app/main.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use the typed wrappers in ipc-main.ts / preload.ts.' }] }],
    },
  },
);
