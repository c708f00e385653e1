// Types of postgres.mjs (plain JavaScript so it runs before dependencies are installed).

export const POSTGRES_BIN: string;

/** Installs postgresql-15 + postgresql-contrib with apt when missing (as root); throws otherwise. True when it installed. */
export function ensurePostgres(options?: { log?: (message: string) => void }): boolean;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number>;

export type PostgresCluster = {
  /** Superuser URL of the `postgres` database, e.g. postgresql://postgres@127.0.0.1:5433/postgres (trust auth). */
  url: string;
  port: number;
  /** The postmaster's PID; stop() ends exactly this process. */
  pid: number;
  dir: string;
  /** Stops the server by PID (fast, then immediate shutdown) and removes its directory. */
  stop(): Promise<void>;
};

/** Starts a throwaway PostgreSQL 15 cluster on a free loopback port. */
export function startPostgresCluster(options?: {
  settings?: Record<string, string>;
  log?: (message: string) => void;
}): Promise<PostgresCluster>;
