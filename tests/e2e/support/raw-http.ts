import { readFileSync } from 'node:fs';
import http from 'node:http';

/**
 * Requests whose Host header the test chooses (fetch fills Host itself) and
 * whose redirects are not followed; bodies of event streams are not awaited.
 */
export type RawAnswer = { status: number; headers: http.IncomingHttpHeaders; text: string };

export function rawRequest(
  port: number,
  {
    method = 'GET',
    path = '/',
    headers = {},
    body,
  }: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method, path, headers, timeout: 15_000 }, (response) => {
      const chunks: Buffer[] = [];
      if (String(response.headers['content-type']).includes('text/event-stream')) {
        response.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: '' });
        return;
      }
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** The id Next gave a server action in the production build the tests run against. */
export function actionId(file: string, exportedName: string, distDir = '.next'): string {
  const manifest = JSON.parse(readFileSync(`${distDir}/server/server-reference-manifest.json`, 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const found = Object.entries(manifest.node).find(([, entry]) => entry.filename === file && entry.exportedName === exportedName);
  if (!found) throw new Error(`no server action ${file}#${exportedName} in the build`);
  return found[0];
}
