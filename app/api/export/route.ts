import { z } from 'zod';
import { MAX_EXPORT_IDS, prepareExport, type ExportSelection } from '@/lib/archive/export';
import { ZipLimitError } from '@/lib/archive/zip-writer';
import { filterFromSearchParams } from '@/lib/gallery/filters';
import { problem } from '@/lib/http/problem';

export const dynamic = 'force-dynamic';

const idsSchema = z.array(z.uuid()).min(1).max(MAX_EXPORT_IDS);
/** 10,000 ids × 37 characters, form-encoded, with room to spare. */
const MAX_FORM_BYTES = 1024 * 1024;

/**
 * GET /api/export — a zip of original pictures plus manifest.json and
 * manifest.csv (lib/archive/export.ts). `?ids=<uuid>,<uuid>,…` exports a
 * selection; otherwise the gallery filter in the query string (q, ratio,
 * status, favorites, sort, view) picks the tasks. The body is streamed one
 * picture at a time with an exact Content-Length, so the browser shows real
 * progress. A read: no side effects.
 */
export async function GET(request: Request) {
  return exportResponse(new URL(request.url).searchParams);
}

/**
 * POST /api/export — the same, for selections too long for a URL (Node
 * refuses request heads over 16 KB: about 400 ids). Body: an
 * `application/x-www-form-urlencoded` form with `ids` (comma-separated), as
 * a plain `<form method="post">` sends it, so the browser still handles the
 * download. Still a read; proxy.ts checks its Origin like any POST.
 */
export async function POST(request: Request) {
  const length = Number(request.headers.get('content-length') ?? 'NaN');
  if (!(length <= MAX_FORM_BYTES)) return problem(413, { detail: 'Send at most 10,000 ids, as a form with a Content-Length.' });
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) {
    return problem(415, { detail: 'Send the selection as a form (application/x-www-form-urlencoded) with an ids field.' });
  }
  return exportResponse(new URLSearchParams(await request.text()));
}

async function exportResponse(params: URLSearchParams): Promise<Response> {
  let selection: ExportSelection;
  const rawIds = params.get('ids');
  if (rawIds !== null) {
    const ids = idsSchema.safeParse([
      ...new Set(
        rawIds
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ]);
    if (!ids.success) {
      const detail = `ids must be a comma-separated list of 1 to ${MAX_EXPORT_IDS.toLocaleString('en')} picture ids.`;
      return problem(400, { type: 'invalid-request', detail, errors: { ids: [detail] } });
    }
    selection = { ids: ids.data };
  } else {
    // The whole filter: `from` ("jump to date") is where the gallery is scrolled to, not what it holds.
    selection = { filter: { ...filterFromSearchParams(params), from: undefined } };
  }

  let prepared;
  try {
    prepared = await prepareExport(selection);
  } catch (error) {
    if (error instanceof ZipLimitError) return problem(413, { detail: error.message });
    throw error;
  }
  const { zip, fileName, tasks, pictures, missing } = prepared;
  return new Response(zip.stream(), {
    headers: {
      'content-type': 'application/zip',
      'content-length': String(zip.length),
      'content-disposition': `attachment; filename="${fileName}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-darkroom-export-tasks': String(tasks),
      'x-darkroom-export-pictures': String(pictures),
      'x-darkroom-export-missing': String(missing),
    },
  });
}
