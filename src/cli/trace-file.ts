// Reading a trace file for `audit` and `summary`: every failure becomes a UsageError that
// names the file, what is wrong and where in the document (exit 2).
import { readFileSync } from 'node:fs';
import { TraceImportError, importTrace, type TraceDocument } from '../trace';
import { snapshotOfTrace } from '../trace/audited';
import { UsageError } from './args';

export function readTraceFile(path: string): TraceDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`);
  }
  if (text.trim() === '') throw new UsageError(`${path}: the file is empty`);
  try {
    return importTrace(text);
  } catch (e) {
    if (!(e instanceof TraceImportError)) throw e;
    // The error's message already starts with its path inside the document.
    throw new UsageError(`${path}: cannot read this trace (${e.code}): ${e.message}`);
  }
}

/** The trace as the snapshot the audit and the summaries read; its recorded findings are dropped. */
export const snapshotOf = snapshotOfTrace;
