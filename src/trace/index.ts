// Trace files: the versioned JSON document (format.ts) and the Chrome trace export (perfetto.ts).
export {
  TRACE_FORMAT,
  TRACE_VERSION,
  DEFAULT_TRACE_LIMITS,
  TraceImportError,
  exportTrace,
  importTrace,
  stringifyTrace,
  type TraceDocument,
  type TraceMeta,
  type TraceSource,
  type TraceLimits,
  type TraceErrorCode,
} from './format';
export { reaudited, snapshotOfTrace } from './audited';
export { toChromeTrace, type ChromeTrace, type ChromeTraceEvent } from './perfetto';
