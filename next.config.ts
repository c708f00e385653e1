import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native modules stay outside the bundle and load from node_modules at runtime.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/adapter-pg', 'pg', 'sharp'],
  poweredByHeader: false,
  // `npm test` type-checks the whole repo (tests included) once with tsc; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // proxy.ts sees a buffered copy of each body it runs on; server actions take at most 1 MB anyway
    // (imports and webhooks are outside the proxy), so a flood of large posts cannot pin 10 MB each.
    proxyClientMaxBodySize: '2mb',
  },
  reactStrictMode: true,
  // Separate build directories let tests build without touching the one `npm start` serves.
  distDir: process.env.DARKROOM_DIST_DIR || '.next',
};

export default nextConfig;
