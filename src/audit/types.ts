// What the audit hands to the panel, traces and CLI, and what each rule file looks like.
import type { MessageKey } from '../i18n/lookup';
import type { AggregateSnapshot, ContextRecord, FindingRecord, MessageRecord, PortRecord, Severity } from '../protocol/session';

/** A finding with everything a web developer needs to act on it. */
export interface AuditFinding extends FindingRecord {
  /** One paragraph: why the browser did this, in the standard's terms. */
  explanation: string;
  /** URL of the HTML Standard section that defines the behaviour. */
  spec: string;
  /** Send stacks of the messages involved, deduplicated, in order of first use. */
  stacks: string[];
  /** Contexts involved (senders, receivers, holders), ascending. */
  contextIds: number[];
  /** How many messages (or, for port-leak, ports) the finding covers. */
  count: number;
}

export interface AuditOptions {
  /** A copied ArrayBuffer payload at least this large is a large-copy. Default 1 MiB. */
  largeCopyBytes?: number;
  /** Channels open on both ends, made in one context, that count as a leak. Default 100. */
  openChannels?: number;
}

/**
 * Evidence a rule cannot judge without, beyond what every recording has (src/audit/evidence.ts
 * says how a recording shows it has it). 'window-sends': window.postMessage calls recorded at
 * the sender, with their targetOrigin; a page recording sees window messages only where they
 * are delivered.
 */
export type Evidence = 'window-sends';

/** What a rule is, for docs, the panel and the CLI. */
export interface RuleInfo {
  id: string;
  severity: Severity;
  title: string;
  spec: string;
  explanation: string;
  /** Evidence the rule needs; a recording without it cannot produce this rule's findings. */
  needs?: readonly Evidence[];
}

/** Lookups built once per audit run, shared by every rule. */
export interface AuditIndex {
  context(id: number | null): ContextRecord | undefined;
  port(id: number | null): PortRecord | undefined;
  /** Messages whose transfer list carried the port, in id order. */
  shipments(portId: number): MessageRecord[];
}

export interface AuditInput {
  snapshot: AggregateSnapshot;
  options: Required<AuditOptions>;
  index: AuditIndex;
}

export interface Rule extends RuleInfo {
  /** Every catalogue key its findings' sentences use (the catalogue check reads these). */
  texts: readonly MessageKey[];
  run(input: AuditInput): AuditFinding[];
}
