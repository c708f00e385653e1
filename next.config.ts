import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native modules stay outside the bundle and load from node_modules at runtime.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', 'sharp'],
  poweredByHeader: false,
  reactStrictMode: true,
  // Separate build directories let tests build without touching the one `npm start` serves.
  distDir: process.env.DARKROOM_DIST_DIR || '.next',
};

export default nextConfig;
