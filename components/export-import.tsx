'use client';

import { useEffect, useId, useRef, useState } from 'react';
import type { ImportReport, ImportResult, ImportStreamLine } from '@/lib/archive/import-result';
import { httpErrorFromText } from '@/lib/client/http-error';

type Props = {
  /** Export URL for what the person is looking at: `/api/export?${filterToSearchParams(filter)}`. */
  href: string;
  /**
   * A selection to export instead of the filter (when non-empty). Sent as a
   * POST form to `href`'s path: a URL can hold only ~400 ids (Node's 16 KB head limit).
   */
  ids?: readonly string[];
  /** Tasks the export will hold, for the "Preparing N pictures…" note (defaults to `ids.length`; omit when unknown). */
  count?: number;
  /** Called after an import finished (the gallery should refetch). */
  onImported?: (report: ImportReport) => void;
  /** Where the zip is uploaded. */
  importUrl?: string;
};

type ImportState =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; loaded: number; total: number }
  | { phase: 'processing'; name: string; done: number; total: number | null }
  | { phase: 'done'; report: ImportReport }
  | { phase: 'failed'; error: string };

const plural = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * Export (a plain download link: the browser shows its own progress, the
 * server sends an exact Content-Length) and Import (upload with progress,
 * then the server's per-picture progress, then a summary).
 */
export function ExportImport({ href, ids, count: countProp, onImported, importUrl = '/api/import' }: Props) {
  const selection = ids && ids.length > 0 ? ids : null;
  const count = countProp ?? selection?.length;
  const inputId = useId();
  const [exportNote, setExportNote] = useState('');
  const [state, setState] = useState<ImportState>({ phase: 'idle' });
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const noteTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const busy = state.phase === 'uploading' || state.phase === 'processing';

  useEffect(
    () => () => {
      clearTimeout(noteTimer.current);
      xhrRef.current?.abort();
    },
    [],
  );

  const onExport = (event: React.MouseEvent | React.FormEvent) => {
    if (count === 0) {
      event.preventDefault();
      return;
    }
    setExportNote(
      count === undefined
        ? 'Preparing the export… your browser shows the download’s progress.'
        : `Preparing ${plural(count, 'picture', 'pictures')}… your browser shows the download’s progress.`,
    );
    clearTimeout(noteTimer.current);
    noteTimer.current = setTimeout(() => setExportNote(''), 10_000);
  };

  const upload = (file: File) => {
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    let seen = 0;
    let result: ImportResult | null = null;
    const readLines = () => {
      const text = xhr.responseText;
      const end = text.lastIndexOf('\n');
      if (end < seen) return;
      for (const line of text.slice(seen, end).split('\n')) {
        if (!line.trim()) continue;
        const message = JSON.parse(line) as ImportStreamLine;
        if (message.type === 'progress') {
          setState({ phase: 'processing', name: file.name, done: message.done, total: message.total });
        } else {
          result = message;
        }
      }
      seen = end + 1;
    };

    xhr.open('POST', importUrl);
    xhr.setRequestHeader('content-type', 'application/zip');
    xhr.setRequestHeader('accept', 'application/x-ndjson');
    xhr.upload.onprogress = (e) => {
      setState({ phase: 'uploading', name: file.name, loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    };
    xhr.upload.onload = () => setState({ phase: 'processing', name: file.name, done: 0, total: null });
    xhr.onprogress = () => {
      if (xhr.getResponseHeader('content-type')?.includes('ndjson')) readLines();
    };
    xhr.onload = () => {
      xhrRef.current = null;
      try {
        if (xhr.getResponseHeader('content-type')?.includes('ndjson')) {
          readLines();
        } else if (xhr.status >= 200 && xhr.status < 300) {
          result = JSON.parse(xhr.responseText) as ImportResult;
        } else {
          // A refusal (session, origin, size, not a zip, not an export): problem details, like every API route.
          const fallback = `The import failed (HTTP ${xhr.status}). Please try again.`;
          const error = httpErrorFromText(xhr.status, xhr.getResponseHeader('content-type'), xhr.responseText, fallback);
          result = { ok: false, error: error.detail };
        }
      } catch {
        result = null;
      }
      if (!result) {
        setState({ phase: 'failed', error: `The import failed (HTTP ${xhr.status}). Please try again.` });
      } else if (!result.ok) {
        setState({ phase: 'failed', error: result.error });
      } else {
        setState({ phase: 'done', report: result });
        onImported?.(result);
      }
    };
    xhr.onerror = () => {
      xhrRef.current = null;
      setState({ phase: 'failed', error: 'The upload failed: the connection to Darkroom was lost.' });
    };
    xhr.onabort = () => {
      xhrRef.current = null;
      setState({ phase: 'failed', error: 'Import cancelled.' });
    };
    setState({ phase: 'uploading', name: file.name, loaded: 0, total: file.size });
    xhr.send(file);
  };

  return (
    <div className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        {selection ? (
          <form method="post" action={href.split('?')[0]} onSubmit={onExport}>
            <input type="hidden" name="ids" value={selection.join(',')} />
            <button type="submit" className="btn-secondary">
              Export<span className="sr-only"> {plural(selection.length, 'selected picture', 'selected pictures')} as a zip</span>
            </button>
          </form>
        ) : (
          <a
            href={href}
            download
            onClick={onExport}
            aria-disabled={count === 0 || undefined}
            className={`btn-secondary inline-flex items-center ${count === 0 ? 'pointer-events-none opacity-60' : ''}`}
          >
            Export
            {count !== undefined && <span className="sr-only"> {plural(count, 'picture', 'pictures')} as a zip</span>}
          </a>
        )}
        <input
          id={inputId}
          type="file"
          accept=".zip,application/zip"
          disabled={busy}
          className="peer sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = ''; // the same file can be chosen again
            if (file) upload(file);
          }}
        />
        <label
          htmlFor={inputId}
          className="btn-secondary cursor-pointer peer-focus-visible:ring-2 peer-focus-visible:ring-amber-400 peer-disabled:cursor-not-allowed peer-disabled:opacity-60"
        >
          Import zip
        </label>
        {state.phase === 'uploading' && (
          <button type="button" className="btn-ghost" onClick={() => xhrRef.current?.abort()}>
            Cancel import
          </button>
        )}
      </div>

      <p aria-live="polite" className="text-sm text-neutral-400">
        {exportNote}
      </p>

      {state.phase === 'uploading' && (
        <div className="flex items-center gap-2 text-sm text-neutral-300">
          <progress className="w-48 accent-amber-400" value={state.loaded} max={state.total || 1} aria-label="Upload progress" />
          <span className="tabular-nums">{Math.round((state.loaded / (state.total || 1)) * 100)}%</span>
        </div>
      )}
      {state.phase === 'processing' && (
        <div className="flex items-center gap-2 text-sm text-neutral-300">
          {/* Without a total yet the bar is indeterminate. */}
          <progress
            className="w-48 accent-amber-400"
            aria-label="Import progress"
            {...(state.total ? { value: state.done, max: state.total } : {})}
          />
          {state.total ? <span className="tabular-nums">{`${state.done.toLocaleString()} of ${state.total.toLocaleString()}`}</span> : null}
        </div>
      )}

      <div role="status" aria-live="polite" className="text-sm">
        {state.phase === 'uploading' && <span className="sr-only">Uploading {state.name}…</span>}
        {state.phase === 'processing' && <span className="text-neutral-400">Checking and storing pictures…</span>}
        {state.phase === 'failed' && <p className="text-red-300">{state.error}</p>}
        {state.phase === 'done' && <ImportSummary report={state.report} />}
      </div>
    </div>
  );
}

function ImportSummary({ report }: { report: ImportReport }) {
  const failed = report.errors.length + report.moreErrors;
  const parts = [
    `Imported ${plural(report.imported, 'picture', 'pictures')}.`,
    report.duplicates
      ? `${plural(report.duplicates, 'was', 'were')} already here${report.restored ? ` (${report.restored.toLocaleString()} lost file${report.restored === 1 ? '' : 's'} restored)` : ''}.`
      : '',
    report.skipped ? `${plural(report.skipped, 'task', 'tasks')} without a picture skipped.` : '',
    failed ? `${plural(failed, 'picture', 'pictures')} could not be imported:` : '',
  ].filter(Boolean);
  return (
    <div className="flex flex-col gap-1 text-neutral-200">
      <p>{parts.join(' ')}</p>
      {failed > 0 && (
        <ul className="list-disc pl-5 text-red-300">
          {report.errors.map((e, i) => (
            <li key={i}>
              {e.prompt ? (
                <span className="text-neutral-300">“{e.prompt.length > 60 ? `${e.prompt.slice(0, 60)}…` : e.prompt}”: </span>
              ) : null}
              {e.error}
            </li>
          ))}
          {report.moreErrors > 0 && <li>…and {report.moreErrors.toLocaleString()} more.</li>}
        </ul>
      )}
    </div>
  );
}
