// Reading a trace file for `audit` and `summary`: every failure becomes a UsageError that
// names the file, what is wrong and where in the document (exit 2).
import { readFileSync } from 'node:fs';
import type { AggregateSnapshot } from '../protocol/session';
import { TraceImportError, importTrace, type TraceDocument } from '../trace';
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
export function snapshotOf(doc: TraceDocument): AggregateSnapshot {
  return {
    rev: 0,
    contexts: doc.contexts,
    ports: doc.ports,
    messages: doc.messages,
    firstMessageId: doc.meta.firstMessageId,
    findings: [],
    mismatches: doc.mismatches,
    dropped: doc.dropped,
  };
}
