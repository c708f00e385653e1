import 'server-only';
import { parseEnv, dataDirOf, type Env } from './env-schema';

// Parsed once per server process; a bad value throws with the variable's name.
let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

export function dataDir(): string {
  return dataDirOf(env(), process.cwd());
}
