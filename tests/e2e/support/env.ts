/** Where the browser tests' servers listen, and the settings the app runs with. */
/** Shifts every browser-test port (E2E_PORT_OFFSET=1000): a second run can go on beside another on the same machine. */
export const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
const simPort = 4010 + PORT_OFFSET;
const appPort = 3100 + PORT_OFFSET;
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
