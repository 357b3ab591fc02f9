// What a panel is sent: the whole model (snapshot, packed or not, and plain data for the
// audit and traces), then deltas of what changed since the previous one. The changed-sets
// are kept by the parts that change things (core.ts's dirty ids, listener-book.ts).

import type { AggregateDelta, AggregateSnapshot, ContextRecord, EvictedIds, FindingRecord, ListenerRecord, MessageRecord, MismatchRecord, PackedSnapshot, PortRecord } from '../protocol/session';
import type { Budgets } from './budgets';
import type { Core } from './core';
import type { ListenerBook } from './listener-book';

/** The model as plain records (live references: clone before keeping). */
export interface SessionData {
  contexts: ContextRecord[];
  ports: PortRecord[];
  messages: MessageRecord[];
  findings: FindingRecord[];
  mismatches: MismatchRecord[];
  dropped: Record<string, number>;
  /** Ids below it were evicted by the budget. */
  firstMessageId: number;
  listeners: ListenerRecord[];
  /** Port and listener ids the budgets evicted (budgets.ts). */
  evicted: EvictedIds;
}

export class Deltas {
  private newMismatches: MismatchRecord[] = [];
  private findingsChanged = false;
  private lastDeltaFirstId = 1;

  constructor(
    private readonly k: Core,
    private readonly budgets: Budgets,
    private readonly listeners: ListenerBook,
  ) {}

  /** After readState: a restored session sends a snapshot first, deltas from there. */
  restored(): void {
    this.lastDeltaFirstId = this.k.store.firstId;
  }

  /** Findings come from src/audit; the Session only keeps and ships them. */
  setFindings(findings: FindingRecord[]): void {
    this.k.findings = findings;
    this.findingsChanged = true;
  }

  /** A mismatch between the page's model and its browser, kept and sent in the next delta. */
  mismatch(m: MismatchRecord): void {
    this.k.mismatches.push(m);
    this.newMismatches.push(m);
  }

  /** The recording was cleared: findings and mismatches go, the panel is told. */
  cleared(): void {
    this.k.findings = [];
    this.k.mismatches = [];
    this.newMismatches = [];
    this.findingsChanged = true;
  }

  /** Calls held on ports whose identity grew since are placed again (their pairs may change). */
  portsKnownBetter(): void {
    if (this.k.dirtyPorts.size) this.k.calls.portsChanged(this.k.dirtyPorts);
  }

  data(): SessionData {
    return {
      contexts: this.k.contexts,
      ports: this.k.ports.list(),
      messages: this.k.store.records,
      findings: this.k.findings,
      mismatches: this.k.mismatches,
      dropped: this.droppedObject(),
      firstMessageId: this.k.store.firstId,
      listeners: this.listeners.settled(),
      evicted: this.budgets.evicted(),
    };
  }

  /** Everything, for a panel that just connected. Follow it with deltas where rev > snapshot.rev. */
  snapshot(): AggregateSnapshot {
    return { ...this.allBut(), messages: this.k.store.records.slice() };
  }

  /** A snapshot's every part but its messages. */
  private allBut(): Omit<AggregateSnapshot, 'messages'> {
    return {
      rev: this.k.rev,
      contexts: this.k.contexts.slice(),
      ports: this.k.ports.list(),
      firstMessageId: this.k.store.firstId,
      findings: this.k.findings.slice(),
      mismatches: this.k.mismatches.slice(),
      dropped: this.droppedObject(),
      listeners: this.listeners.settled(),
      evicted: this.budgets.evicted(),
    };
  }

  /**
   * The snapshot with messages as blocks of columns: what to post to a panel. Full blocks
   * that did not change since the last call are reused, so repeated snapshots stay cheap.
   */
  packedSnapshot(): PackedSnapshot {
    return { ...this.allBut(), messages: this.k.store.packedBlocks() };
  }

  /** What was added or changed since the previous delta; null when nothing was. */
  takeDelta(): AggregateDelta | null {
    this.portsKnownBetter();
    const messages = this.k.store.takeDelta();
    this.listeners.settle();
    const evicted = this.budgets.take();
    if (
      !evicted &&
      !messages.length &&
      !this.listeners.changed &&
      !this.k.dirtyContexts.size &&
      !this.k.dirtyPorts.size &&
      !this.newMismatches.length &&
      !this.k.droppedChanged &&
      !this.findingsChanged &&
      this.lastDeltaFirstId === this.k.store.firstId
    )
      return null;
    const delta: AggregateDelta = {
      rev: ++this.k.rev,
      contexts: [...this.k.dirtyContexts].sort((a, b) => a - b).map((id) => this.k.contexts[id - 1]),
      ports: present([...this.k.dirtyPorts].sort((a, b) => a - b).map((id) => this.k.ports.get(id))),
      messages,
      firstMessageId: this.k.store.firstId,
      mismatches: this.newMismatches,
      dropped: this.k.droppedChanged ? this.droppedObject() : null,
      findings: this.findingsChanged ? this.k.findings.slice() : null,
      listeners: this.listeners.takeChanged(),
    };
    if (evicted) delta.evicted = evicted;
    this.k.dirtyContexts.clear();
    this.k.dirtyPorts.clear();
    this.newMismatches = [];
    this.k.droppedChanged = false;
    this.findingsChanged = false;
    this.lastDeltaFirstId = this.k.store.firstId;
    return delta;
  }

  private droppedObject(): Record<string, number> {
    return Object.fromEntries(this.k.dropped);
  }
}

/** The records still kept (a dirty id may have been evicted since). */
function present<T>(list: (T | undefined)[]): T[] {
  return list.filter((x): x is T => x !== undefined);
}
