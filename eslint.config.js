import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

// The boundaries (docs/architecture.md). ESLint keeps only the last `no-restricted-imports` that matches a file,
// so each block below lists every pattern that applies to its files.
const testCode = {
  group: [
    '**/test/**',
    '**/test-support/**',
    '**/*-test-kit*',
    '**/*.test*',
    '**/security-harness*',
    '**/security-assertions*',
    '**/test-history*',
  ],
  message: 'Production code never imports test code: harnesses and kits live in server/test/.',
}
const httpAndSockets = {
  group: ['hono', 'hono/*', '@hono/*', 'socket.io', 'socket.io/*'],
  message:
    'The domain never imports Hono or Socket.IO: routes (server/src/routes, server/src/http) and realtime/ call into it.',
}
const domainFolders = [
  'provisioning',
  'admin',
  'alerts',
  'area-codes',
  'auth',
  'vapi',
  'db',
  'lib',
  'metrics',
  'outbound-webhooks',
  'notifications',
  'api-keys',
  'carriers',
  'call-events',
  'inbound-log',
  'carrier-purchases',
]
const testFiles = ['**/*.test.ts', '**/*.test.tsx', '**/*-test-kit.ts', '**/test-support/**', '**/test-env.ts']

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/.data/**',
      'e2e/artifacts/**',
      '**/test-results/**',
      '**/playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.ts', '*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { attributes: false, arguments: false } },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through server/src/env.ts (or a test-env file).',
        },
      ],
    },
  },
  {
    files: [
      'server/src/env.ts',
      '**/test-env.ts',
      'server/src/env.test.ts',
      'e2e/**',
      '**/*.config.ts',
      'server/bench/**',
      'server/chaos/**',
      // A stand-alone program of a customer's, written only from /api/openapi.json: it reads its own settings.
      'server/examples/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: [
      ...testFiles,
      'server/src/security/security-*.ts',
      'server/src/admin/test-history.ts',
      'server/src/cluster/**',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [testCode] }] },
  },
  {
    files: domainFolders.map((folder) => `server/src/${folder}/**/*.ts`),
    ignores: [...testFiles, 'server/src/admin/test-history.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [testCode, httpAndSockets] }] },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@dialtone/server', '@dialtone/server/*', '**/server/**'],
              message: 'web never imports server: what both need is in shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|zod/|\\./)',
              message: 'shared is the wire contract: it imports zod and its own files, nothing else.',
            },
          ],
        },
      ],
    },
  },
  { files: ['migrations/src/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
)
