import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      '.next-*/**',
      'lib/db/generated/**',
      'lib/db/generated-pg/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
      // Runtime data and scratch files of local runs (gitignored).
      '.darkroom/**',
      'data/**',
    ],
  },
];

export default config;
