// Trace files in and out: export through src/trace and a Blob URL download; import of a
// picked or dropped file through src/trace's validating importTrace, audited again (the file's
// own findings are not trusted, as in the CLI).
import { exportTrace, importTrace, stringifyTrace, TraceImportError, type TraceDocument } from '../src/trace/format';
import { toChromeTrace } from '../src/trace/perfetto';
import { reaudited } from '../src/trace/audited';
import { sourceOf, type Dataset } from './model/dataset';
import { msg } from './i18n';

export function traceOf(d: Dataset, title: string | null, notices: string[] = []): TraceDocument {
  return exportTrace(sourceOf(d), { tool: 'channel-inspector panel', exportedAt: new Date().toISOString(), title, notices });
}

function stamp(): string {
  return new Date().toISOString().replace(/[:T]/g, '-').replace(/\..*$/, '');
}

/** `notices`: what the panel says the recording misses (TabState.notices), kept in the trace. */
export function exportTraceFile(d: Dataset, title: string | null, notices: string[] = []) {
  download(`channel-trace-${stamp()}.json`, stringifyTrace(traceOf(d, title, notices)));
}

export function exportPerfettoFile(d: Dataset, title: string | null) {
  download(`channel-perfetto-${stamp()}.json`, JSON.stringify(toChromeTrace(traceOf(d, title))));
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the download time to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Reads and validates a trace file and audits its records again; the error says what is wrong
 * in words a user can act on.
 */
export async function readTraceFile(file: Blob): Promise<TraceDocument> {
  let text: string;
  try {
    text = await file.text();
  } catch (e) {
    throw new Error(`could not read the file: ${(e as Error).message}`);
  }
  let doc: TraceDocument;
  try {
    doc = importTrace(text);
  } catch (e) {
    throw new Error(describeImportError(e));
  }
  return reaudited(doc);
}

export function describeImportError(e: unknown): string {
  if (!(e instanceof TraceImportError)) return e instanceof Error ? e.message : String(e);
  switch (e.code) {
    case 'not-json':
      return msg('trNotJson', e.message);
    case 'not-a-trace':
      return msg('trNotATrace', e.message);
    case 'unsupported-version':
      return msg('trOtherVersion', e.message);
    case 'too-large':
      return msg('trTooLarge', e.message);
    case 'hostile':
      return msg('trHostile', e.message);
    default:
      return msg('trDamaged', e.message);
  }
}
