// Types of cluster.mjs (plain JavaScript so `npm run cluster` needs no build step).
import type { ChildProcess } from 'node:child_process';

export type ClusterProcess = { name: string; child: ChildProcess; kill(signal?: NodeJS.Signals): void };
export type ClusterApp = ClusterProcess & { port: number; url: string };

export type Cluster = {
  /** The load balancer (nginx). */
  url: string;
  apps: ClusterApp[];
  simUrl: string;
  simKey: string;
  /** s3rver's directory: the bucket's objects are files below it. */
  s3Dir: string;
  databaseUrl: string;
  /** Stops everything started, by process group, and removes the working directory. */
  stop(): Promise<void>;
};

export function ensureNginx(log?: (message: string) => void): void;
export function waitFor(url: string, ms?: number): Promise<void>;
export function startCluster(options?: {
  instances?: number;
  port?: number;
  env?: Record<string, string>;
  simArgs?: string[];
  log?: (message: string) => void;
  output?: (name: string, text: string) => void;
}): Promise<Cluster>;
