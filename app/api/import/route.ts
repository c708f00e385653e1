import { rm } from 'node:fs/promises';
import { NextResponse } from 'next/server';
import { ArchiveRejectedError, importArchive } from '@/lib/archive/import';
import type { ImportResult, ImportStreamLine } from '@/lib/archive/import-result';
import { sameOrigin } from '@/lib/auth/gate';
import { sessionRequired } from '@/lib/auth/require';
import { authSettings, wrongHostResponse } from '@/lib/auth/settings';
import { problem } from '@/lib/http/problem';
import { looksLikeZip, MAX_IMPORT_BYTES, saveUpload, tooLarge, UploadError } from '@/lib/archive/upload';

export const dynamic = 'force-dynamic';

/**
 * POST /api/import — body: a zip made by Export (raw bytes, not a form).
 *
 * A mutation, yet a route handler rather than a server action: server actions
 * buffer the whole request body in memory (1 MB default limit), while an
 * export can be gigabytes. The body is streamed to a temp file under the data
 * directory and read back with random access. See
 * docs/decisions/0009-export-import.md.
 *
 * proxy.ts deliberately does not run for this path (it would buffer the body
 * in memory and cut it at 10 MB — ADR 0008), so this route applies the same
 * Host allow-list, Origin rule and session check itself, before reading a byte of the body.
 *
 * Answers JSON `{ ok: true, imported, duplicates, restored, skipped, errors,
 * moreErrors }`, or problem details (lib/http/problem.ts) when it refuses the
 * upload. With `Accept: application/x-ndjson` an accepted upload streams
 * `{"type":"progress",done,total}` lines while pictures are verified and
 * stored, and ends with `{"type":"result",ok,…}` (`ok: false, error` when the
 * archive turned out unusable midway) — large imports take minutes, and the
 * lines keep proxies from timing out. Refusals before the stream starts are
 * problem details in either mode.
 */
export async function POST(request: Request) {
  const wrongHost = wrongHostResponse(request);
  if (wrongHost) return wrongHost;
  if (!sameOrigin(request.headers, authSettings().publicOrigin, authSettings().trustProxy)) {
    return problem(403, { type: 'cross-origin', detail: 'Cross-origin request refused: import from a Darkroom page of this server.' });
  }
  const denied = await sessionRequired(request);
  if (denied) return denied;
  const declared = parseLength(request.headers.get('content-length'));
  if (declared !== null && declared > MAX_IMPORT_BYTES) return problem(413, { detail: tooLarge(MAX_IMPORT_BYTES) });
  if (!request.body || declared === 0)
    return problem(400, { type: 'invalid-request', detail: 'Choose a zip file made by Darkroom’s Export.' });

  let upload: { file: string; bytes: number };
  try {
    upload = await saveUpload(request.body, declared);
  } catch (error) {
    if (error instanceof UploadError) return problem(error.status, { detail: error.message });
    throw error;
  }
  const cleanup = () => rm(upload.file, { force: true });

  try {
    if (!(await looksLikeZip(upload.file))) {
      await cleanup();
      return problem(415, { detail: 'This file is not a zip archive. Choose a zip made by Darkroom’s Export.' });
    }
  } catch (error) {
    await cleanup();
    throw error;
  }

  const wantsStream = (request.headers.get('accept') ?? '').includes('application/x-ndjson');
  if (!wantsStream) {
    try {
      return NextResponse.json({ ok: true, ...(await importArchive(upload.file)) } satisfies ImportResult, noStore);
    } catch (error) {
      if (error instanceof ArchiveRejectedError) return problem(422, { type: 'archive-rejected', detail: error.message });
      throw error;
    } finally {
      await cleanup();
    }
  }

  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const send = (line: ImportStreamLine) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
        } catch {
          open = false; // the browser went away; the import still finishes
        }
      };
      let lastSent = 0;
      try {
        const report = await importArchive(upload.file, ({ done, total }) => {
          // At most ~10 lines a second, plus the last.
          if (done === total || Date.now() - lastSent >= 100) {
            lastSent = Date.now();
            send({ type: 'progress', done, total });
          }
        });
        send({ type: 'result', ok: true, ...report });
      } catch (error) {
        if (!(error instanceof ArchiveRejectedError)) {
          console.error('[import] failed:', error instanceof Error ? error.message : error);
        }
        send({
          type: 'result',
          ok: false,
          error: error instanceof ArchiveRejectedError ? error.message : 'Darkroom could not import this file.',
        });
      } finally {
        await cleanup();
        if (open) controller.close();
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    },
  });
}

const noStore = { headers: { 'cache-control': 'no-store' } };

function parseLength(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
