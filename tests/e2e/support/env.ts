/** Where the browser tests' servers listen, and the settings the app runs with. */
const simPort = 4010;
const appPort = 3100;
const apiKey = process.env.FREEPIK_API_KEY ?? 'canary-key-0f6f1e2d9c8b7a6f';

export const E2E = {
  simPort,
  appPort,
  apiKey,
  simUrl: `http://127.0.0.1:${simPort}`,
  appUrl: `http://127.0.0.1:${appPort}`,
  dataDir: '.darkroom/e2e',
  databaseFile: '.darkroom/e2e/darkroom.db',
  logFile: '.darkroom/e2e/server.log',
  appEnv: {
    PORT: String(appPort),
    DATABASE_URL: 'file:./.darkroom/e2e/darkroom.db',
    FREEPIK_API_KEY: apiKey,
    FREEPIK_API_BASE_URL: `http://127.0.0.1:${simPort}`,
    NEXT_TELEMETRY_DISABLED: '1',
  },
};
