// A trace file's findings are not evidence: anyone can edit them, and an older version's rules
// may differ. Whoever opens a trace (the CLI, the panel, the viewer) audits its records again.
import { runAudit } from '../audit';
import type { AggregateSnapshot, FindingRecord } from '../protocol/session';
import type { TraceDocument } from './format';

/** The trace as the snapshot the audit and the summaries read; its recorded findings are dropped. */
export function snapshotOfTrace(doc: TraceDocument): AggregateSnapshot {
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

/**
 * The same trace with the findings of today's rules over its records in place of the file's.
 * Each keeps its sentence's key and parameters for the panel's language; a trace written from
 * it carries the English `message` only (format.ts).
 */
export function reaudited(doc: TraceDocument): TraceDocument {
  const findings: FindingRecord[] = runAudit(snapshotOfTrace(doc)).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, messageIds: f.messageIds, portIds: f.portIds, ...(f.text ? { text: f.text } : {}) }));
  return { ...doc, findings };
}
