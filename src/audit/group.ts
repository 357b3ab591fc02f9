// Collects the messages and ports of one finding (one rule × one port or one call site).
import type { FindingText, MessageRecord, Severity } from '../protocol/session';
import { english } from './text';
import type { AuditFinding, RuleInfo } from './types';

export class Group {
  readonly messageIds: number[] = [];
  readonly portIds = new Set<number>();
  readonly contextIds = new Set<number>();
  readonly stacks = new Set<string>();
  /** The first message added: the one sentences are written about. */
  first: MessageRecord | null = null;

  add(m: MessageRecord): this {
    if (this.first === null) this.first = m;
    this.messageIds.push(m.id);
    if (m.fromContext !== null) this.contextIds.add(m.fromContext);
    if (m.toContext !== null) this.contextIds.add(m.toContext);
    if (m.stack) this.stacks.add(m.stack);
    return this;
  }

  port(id: number | null): this {
    if (id !== null) this.portIds.add(id);
    return this;
  }

  context(id: number | null): this {
    if (id !== null) this.contextIds.add(id);
    return this;
  }

  get size(): number {
    return this.messageIds.length;
  }

  finding(rule: RuleInfo, text: FindingText, over: { severity?: Severity; spec?: string; count?: number } = {}): AuditFinding {
    return {
      rule: rule.id,
      severity: over.severity ?? rule.severity,
      message: english(text),
      text,
      messageIds: ascending(this.messageIds),
      portIds: ascending([...this.portIds]),
      explanation: rule.explanation,
      spec: over.spec ?? rule.spec,
      stacks: [...this.stacks],
      contextIds: ascending([...this.contextIds]),
      count: over.count ?? this.messageIds.length,
    };
  }
}

/** Groups by key, in order of first use (so output follows message order). */
export class Groups {
  readonly map = new Map<string, Group>();
  get(key: string): Group {
    let g = this.map.get(key);
    if (!g) {
      g = new Group();
      this.map.set(key, g);
    }
    return g;
  }
  /** Adds `m` to its receiver's group: its port's, or its receiving context's per call site. */
  addByReceiver(m: MessageRecord): void {
    if (m.via === 'port') this.get(`p${m.toPort}`).add(m).port(m.toPort);
    else this.get(`c${m.toContext}|${siteKey(m)}`).add(m);
  }
  [Symbol.iterator](): IterableIterator<Group> {
    return this.map.values();
  }
}

function ascending(ids: number[]): number[] {
  // Ids arrive in message order already; sort only when they do not.
  for (let i = 1; i < ids.length; i++) if (ids[i] < ids[i - 1]) return ids.slice().sort((a, b) => a - b);
  return ids.slice();
}

/** A call site: the send stack, or sender → receiver when the stack is unknown. */
export function siteKey(m: MessageRecord): string {
  return m.stack !== null ? `s${m.stack}` : `c${m.fromContext}>${m.toContext}`;
}
