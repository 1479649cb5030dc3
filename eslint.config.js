import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'

const nativeModules = ['onnxruntime-node', 'better-sqlite3']

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', 'tests/e2e/artifacts/**', 'tests/.tmp/**'],
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
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'electron', ...nativeModules],
              message: 'Renderer uses window.workbench only.',
            },
            {
              group: ['**/native-models/runtime/**', '**/native-models/engine/**', '**/native-models/onnx/**', '**/db/**'],
              message: 'Only @analysis is shared with the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['native-models/analysis/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*', 'electron', 'vue', ...nativeModules], message: 'Analyses are pure.' }] },
      ],
    },
  },
  {
    files: ['native-models/onnx/**', 'native-models/surgery/**', 'native-models/data/**', 'db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['onnxruntime-node'], message: 'ORT is imported only in native-models/runtime.' }] },
      ],
    },
  },
  prettier,
)
