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
          patterns: [{ group: ['node:*'], message: 'Analyses are pure.' }],
        },
      ],
    },
  },
  {
    files: ['native-models/onnx/**', 'native-models/surgery/**', 'native-models/data/**', 'db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['onnxruntime-node'],
              message: 'ORT is imported only in native-models/runtime.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)
