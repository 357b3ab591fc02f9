// The handle a test gets: the tab's recording as traces, findings and messages, read from
// the extension's background while the test drives the page. Pure: the browser is behind
// `TabSource` (src/testing/launch.ts gives the real ones, unit tests a fake).
import { writeFileSync } from 'node:fs';
import { runAudit, type AuditFinding } from '../audit';
import type { AggregateSnapshot, MessageRecord, Severity } from '../protocol/session';
import { exportTrace, stringifyTrace, type TraceDocument } from '../trace';
import { atOrAbove } from '../cli/audit';
import { firstFrame } from '../cli/audit-formats';
import { waitIdle } from '../cli/record';
import type { Activity } from '../cli/record';
import { describeFilter, filterMessages, type MessageFilter } from './filter';

/** One tab in the browser with the extension, as the handle reads it. */
export interface TabSource {
  /** The tab's session now (null while the background has nothing for it). */
  snapshot(): Promise<AggregateSnapshot | null>;
  activity(): Promise<Activity | null>;
  /** Forces through what waits on data that may never come, then snapshots (end of a flow). */
  finish(): Promise<AggregateSnapshot | null>;
  /** The page's title or URL, for the trace's meta. */
  title(): Promise<string>;
}

export interface SettleOptions {
  /** Quiet time that counts as "done": no new context, port, message or outcome (default 500 ms). */
  idleMs?: number;
  /** Stop waiting after this long even if the page is still busy (default 10 s). */
  timeoutMs?: number;
}

export interface WaitOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** Messages that must match (default 1). */
  count?: number;
}

export interface FindingsOptions extends SettleOptions {
  /** Only findings at or above this severity (default: all). */
  atLeast?: Severity;
  /** Rule ids to leave out, e.g. ['origin-not-checked']. */
  ignore?: readonly string[];
}

const EMPTY: AggregateSnapshot = { rev: 0, contexts: [], ports: [], messages: [], firstMessageId: 1, findings: [], mismatches: [], dropped: {} };

export class ChannelsHandle {
  constructor(
    private readonly source: TabSource,
    private readonly tool = 'channel-inspector',
    private readonly clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) },
  ) {}

  /** The recording as it is now, without waiting (messages still in flight show as sent). */
  async snapshot(): Promise<AggregateSnapshot> {
    return (await this.source.snapshot()) ?? EMPTY;
  }

  /** Waits until the page's messaging is quiet (see SettleOptions). */
  async settle({ idleMs = 500, timeoutMs = 10_000 }: SettleOptions = {}): Promise<void> {
    await waitIdle(this.source, { idleMs, deadline: this.clock.now() + timeoutMs, now: this.clock.now, sleep: this.clock.sleep });
  }

  /** Settles, ends what still waits on data, and returns the whole recording with fresh findings. */
  async final(o: SettleOptions = {}): Promise<AggregateSnapshot> {
    await this.settle(o);
    const s = (await this.source.finish()) ?? EMPTY;
    return { ...s, findings: runAudit(s) };
  }

  /** The recording as a trace document (what `save` writes and `channel-inspector audit` reads). */
  async trace(o: SettleOptions = {}): Promise<TraceDocument> {
    const s = await this.final(o);
    return exportTrace(s, { tool: this.tool, exportedAt: new Date().toISOString(), title: await this.source.title() });
  }

  /** The audit's findings over the settled recording, most severe rules first as the audit lists them. */
  async findings(o: FindingsOptions = {}): Promise<AuditFinding[]> {
    const s = await this.final(o);
    const ignore = new Set(o.ignore ?? []);
    return runAudit(s).filter((f) => !ignore.has(f.rule) && (o.atLeast === undefined || atOrAbove(f, o.atLeast)));
  }

  /** Messages recorded so far that match the filter (no waiting). */
  async messages(filter: MessageFilter = {}): Promise<MessageRecord[]> {
    return filterMessages(await this.snapshot(), filter);
  }

  /** Resolves with the first message (or `count` messages) matching the filter; rejects after the timeout saying what was seen. */
  async waitForMessage(filter: MessageFilter, { timeoutMs = 10_000, count = 1 }: WaitOptions = {}): Promise<MessageRecord> {
    const deadline = this.clock.now() + timeoutMs;
    for (;;) {
      const s = await this.snapshot();
      const hits = filterMessages(s, filter);
      if (hits.length >= count) return hits[count - 1];
      if (this.clock.now() >= deadline) throw new Error(await this.timeoutMessage(filter, count, hits.length, timeoutMs, s));
      await this.clock.sleep(50);
    }
  }

  private async timeoutMessage(filter: MessageFilter, count: number, got: number, timeoutMs: number, s: AggregateSnapshot): Promise<string> {
    const lines = [`No ${count > 1 ? `${count} messages` : 'message'} matching ${describeFilter(filter)} within ${timeoutMs} ms (${got} matched, ${s.messages.length} recorded).`];
    // What went wrong is usually in the findings: a port never started, a message lost on a shipped port.
    const findings = runAudit(s).filter((f) => atOrAbove(f, 'warning'));
    if (findings.length) lines.push('Findings so far:', ...findings.map((f) => `  ${formatFinding(f)}`));
    return lines.join('\n');
  }

  /** Writes the trace to `path` (open it in the panel's viewer or run `channel-inspector audit` on it). */
  async save(path: string, o: SettleOptions = {}): Promise<string> {
    writeFileSync(path, stringifyTrace(await this.trace(o)));
    return path;
  }
}

/** "ERROR port-never-started: 3 messages … (sent from app.js:10:5)". */
export function formatFinding(f: AuditFinding): string {
  const at = firstFrame(f.stacks[0]);
  return `${f.severity.toUpperCase()} ${f.rule}: ${f.message}${at ? `\n      sent from: ${at}` : ''}`;
}
