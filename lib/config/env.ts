import 'server-only';

/**
 * The app's view of the configuration: lib/config/load-env.ts (parsed once per
 * process, shared with proxy.ts and the scripts), behind `server-only` so no
 * client component can import it.
 */
export { loadEnv as env, dataDir, databaseFile } from './load-env';
