// `expect(channels).toHaveNoFindings({ atLeast: 'warning' })`: one line for "this flow loses
// no message". Written to the matcher contract that @playwright/test's and vitest's (and
// Jest's) expect.extend share: (received, ...args) => { pass, message }, async allowed.
import { runAudit, type AuditFinding } from '../audit';
import { atOrAbove } from '../cli/audit';
import type { AggregateSnapshot } from '../protocol/session';
import { ChannelsHandle, formatFinding, type FindingsOptions } from './handle';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
  name: string;
}

/** Findings of a handle (settled), a snapshot or trace document (audited again), or a list of findings. */
async function findingsOf(received: unknown, o: FindingsOptions): Promise<AuditFinding[]> {
  // Duck-typed: the Playwright and Puppeteer entries are separate bundles, each with its own class.
  if (received instanceof ChannelsHandle || typeof (received as ChannelsHandle | null)?.findings === 'function') return (received as ChannelsHandle).findings(o);
  let list: AuditFinding[];
  if (Array.isArray(received)) list = received as AuditFinding[];
  else if (received && typeof received === 'object' && Array.isArray((received as AggregateSnapshot).messages)) {
    const s = received as AggregateSnapshot;
    list = runAudit({ ...s, firstMessageId: s.firstMessageId ?? 1, rev: 0, findings: [] });
  } else throw new TypeError('toHaveNoFindings expects the channels handle, a trace document, a snapshot or a list of findings');
  const ignore = new Set(o.ignore ?? []);
  return list.filter((f) => !ignore.has(f.rule) && (o.atLeast === undefined || atOrAbove(f, o.atLeast)));
}

export async function toHaveNoFindings(received: unknown, options: FindingsOptions = {}): Promise<MatcherResult> {
  const findings = await findingsOf(received, options);
  const what = `findings${options.atLeast ? ` at or above ${options.atLeast}` : ''}${options.ignore?.length ? ` (ignoring ${options.ignore.join(', ')})` : ''}`;
  const pass = findings.length === 0;
  return {
    pass,
    name: 'toHaveNoFindings',
    message: () =>
      pass
        ? `Expected channel-inspector ${what}, but there were none.`
        : `Expected no channel-inspector ${what}, found ${findings.length}:\n${findings.map((f) => `  ${formatFinding(f)}`).join('\n')}`,
  };
}

/** For expect.extend(matchers). */
export const matchers = { toHaveNoFindings };
