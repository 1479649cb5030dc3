import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'

const nativeModules = ['onnxruntime-node', 'better-sqlite3']

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'coverage/**',
      'tests/e2e/artifacts/**',
      'tests/.tmp/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...vue.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'scripts/*.js'] },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nativeModules].map((name) => ({
            name,
            message: 'Renderer uses window.workbench only.',
          })),
          patterns: [
            { group: ['node:*'], message: 'Renderer uses window.workbench only.' },
            {
              group: [
                '**/native-models/runtime/**',
                '**/native-models/engine/**',
                '**/native-models/onnx/**',
                '**/db/**',
              ],
              message: 'Only @analysis is shared with the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    // Vue SFC imports are typed by vue-tsc, not by the ESLint type checker.
    files: ['renderer/src/main.ts'],
    rules: { '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['native-models/analysis/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'vue', ...nativeModules].map((name) => ({
            name,
            message: 'Analyses are pure.',
          })),
          patterns: [
            { group: ['node:*'], message: 'Analyses are pure.' },
            {
              group: [
                '**/db/**',
                '**/native-models/{runtime,engine,onnx,surgery,data}/**',
                '**/electron/*',
                '!**/electron/api',
                '**/electron/api/*',
                '!**/electron/api/contract',
              ],
              message: 'Analyses are pure math over typed arrays (contract types only).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'SQL lives in db/: call its queries.' },
            { name: 'onnxruntime-node', message: 'ORT is imported only in native-models/runtime.' },
          ],
          patterns: [
            {
              group: ['**/db/**', '!**/db/index.ts', '!**/db/errors.ts'],
              message: 'Import the workspace layer from db/index.ts (a DbHandle runs no SQL).',
            },
            {
              group: ['**/native-models/runtime/**'],
              message: 'ORT sessions live in the engine process (native-models/engine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['native-models/**'],
    ignores: ['native-models/analysis/**', 'native-models/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'better-sqlite3', message: 'SQL lives in db/.' },
            { name: 'onnxruntime-node', message: 'ORT is imported only in native-models/runtime.' },
          ],
          patterns: [
            { group: ['**/db/**'], message: 'The engine side never opens the workspace.' },
          ],
        },
      ],
    },
  },
  {
    files: ['native-models/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'SQL lives in db/.' }],
          patterns: [{ group: ['**/db/**'], message: 'The runtime never opens the workspace.' }],
        },
      ],
    },
  },
  {
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'onnxruntime-node', message: 'ORT is imported only in native-models/runtime.' },
            {
              name: 'electron',
              message: 'The workspace layer runs under Node and Electron alike.',
            },
          ],
          patterns: [
            {
              group: [
                '**/native-models/**',
                '**/electron/*',
                '!**/electron/api',
                '**/electron/api/*',
                '!**/electron/api/contract',
              ],
              message: 'db/ depends on nothing but SQLite and the contract types.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)
