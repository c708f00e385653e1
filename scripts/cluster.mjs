// `npm run cluster`: the team profile on one machine, for trying it — a throwaway PostgreSQL 15 cluster,
// an S3-compatible server (s3rver), the RunWay simulator, three app instances and nginx in front of them
// (round robin, no sticky sessions, SSE-safe), all on loopback. Prints the URL; Ctrl+C stops everything
// it started, by PID. docs/deploy.md shows the same for real servers.
//
//   npm run cluster                      # 3 instances, simulator key, no password
//   INSTANCES=2 APP_PASSWORD=… PORT=3500 npm run cluster
import { startCluster } from './lib/cluster.mjs';
import { ensureBuild, ensureDependencies, ensurePrismaClient, log } from './lib/steps.mjs';

ensureDependencies();
ensurePrismaClient();
ensureBuild();

const env = process.env.APP_PASSWORD ? { APP_PASSWORD: process.env.APP_PASSWORD } : {};
const cluster = await startCluster({
  instances: Number(process.env.INSTANCES ?? 3),
  port: process.env.PORT ? Number(process.env.PORT) : undefined,
  env,
  log,
  output: (name, text) => process.stdout.write(text.replace(/^(?=.)/gm, `[${name}] `)),
}).catch((error) => {
  console.error(`[darkroom] cluster failed: ${error.message}`);
  process.exit(1);
});
log(`cluster ready: ${cluster.url}  (${cluster.apps.length} instances, PostgreSQL, S3, simulator) — Ctrl+C stops it`);
for (const app of cluster.apps) {
  app.child.on('exit', (code, signal) => log(`${app.name} exited (${code ?? signal})`));
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    log('stopping the cluster…');
    void cluster.stop().then(() => process.exit(0));
  });
}
