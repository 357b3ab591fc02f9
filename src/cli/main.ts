// `channel-inspector`: dispatches a command and turns every expected failure into a message
// and an exit status (0 ok, 1 findings at or above --fail-on, 2 bad usage or input).
import { notJudged, RULES, runAudit } from '../audit';
import type { Severity } from '../protocol/session';
import { UsageError, parseArgs, type CommandSpec } from './args';
import { atOrAbove, findingsJson, printFindings, SEVERITIES } from './audit';
import { FORMATS, github, junit, type Format } from './audit-formats';
import { diffSnapshots } from './diff';
import { printDiff } from './diff-print';
import { DEFAULT_LATENCY, EXACT, parseFactor, parseTolerance } from './diff-tolerance';
import { browserLauncher, type BrowsersModule } from './drivers';
import { HELP } from './help';
import { countBy, printOverview } from './overview';
import { PageLoadError, checkUrl, record, type BrowserName, type Launch } from './record';
import { readTraceFile, snapshotOf } from './trace-file';

type Write = (line: string) => void;

export interface CliDeps {
  /** scripts/browsers.mjs, for `record`. */
  browsers?: BrowsersModule;
  /** Replaces the real browsers (tests). */
  launch?: Launch;
  out?: Write;
  err?: Write;
  /** Aborted on Ctrl-C: `record` stops and writes what it has. */
  signal?: AbortSignal;
  version?: string;
}

const SPECS: Record<'record' | 'audit' | 'summary' | 'diff', CommandSpec> = {
  record: {
    positionals: ['url'],
    flags: {
      output: { kind: 'string', placeholder: 'file' },
      browser: { kind: 'enum', values: ['chromium', 'firefox'] },
      'until-idle': { kind: 'ms', placeholder: 'ms' },
      timeout: { kind: 'ms', placeholder: 'ms' },
      headful: { kind: 'boolean' },
      workers: { kind: 'boolean' },
      perfetto: { kind: 'string', placeholder: 'file' },
    },
    aliases: { o: 'output' },
  },
  audit: {
    positionals: ['trace.json'],
    flags: { 'fail-on': { kind: 'enum', values: SEVERITIES }, json: { kind: 'boolean' }, format: { kind: 'enum', values: FORMATS } },
  },
  summary: { positionals: ['trace.json'], flags: {} },
  diff: {
    positionals: ['before.json', 'after.json'],
    flags: {
      tolerance: { kind: 'string', placeholder: 'n|n%' },
      'latency-factor': { kind: 'string', placeholder: 'x' },
      'latency-floor': { kind: 'ms', placeholder: 'ms' },
      'ignore-ports': { kind: 'boolean' },
      json: { kind: 'boolean' },
    },
  },
};

export async function main(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const err = deps.err ?? ((l: string) => process.stderr.write(l + '\n'));
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? rest[0] : undefined;
      out(topic && Object.hasOwn(HELP, topic) ? HELP[topic as keyof typeof HELP] : HELP.main);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-V') {
      out(deps.version ?? 'unknown');
      return 0;
    }
    if (!Object.hasOwn(SPECS, command)) throw new UsageError(`unknown command "${command}"`);
    const name = command as keyof typeof SPECS;
    const args = parseArgs(rest, SPECS[name]);
    if (args.help) {
      out(HELP[name]);
      return 0;
    }
    if (name === 'summary') return summary(args.positionals[0], out);
    if (name === 'audit') return audit(args.positionals[0], (args.flags['fail-on'] as Severity) ?? 'error', auditFormat(args.flags), out);
    if (name === 'diff') return diff(args.positionals[0], args.positionals[1], args.flags, out);
    return await recordCommand(args.positionals[0], args.flags, deps, out, err);
  } catch (e) {
    if (e instanceof UsageError || e instanceof PageLoadError) {
      err(`channel-inspector: ${e.message}`);
      if (e instanceof UsageError && /^(unknown|missing|unexpected|--)/.test(e.message)) err(`Run "channel-inspector ${command && Object.hasOwn(SPECS, command) ? `${command} ` : ''}--help" for usage.`);
      return 2;
    }
    throw e;
  }
}

function summary(file: string, out: Write): number {
  const doc = readTraceFile(file);
  out(`${file}: ${doc.meta.title ?? 'untitled'}${doc.meta.exportedAt ? `, recorded ${doc.meta.exportedAt}` : ''} by ${doc.meta.tool}`);
  out('');
  printOverview(snapshotOf(doc), out);
  return 0;
}

/** --json is --format json, kept for scripts written before --format. */
function auditFormat(flags: Record<string, unknown>): Format {
  const format = flags.format as Format | undefined;
  if (flags.json === true && format !== undefined && format !== 'json') throw new UsageError(`--json and --format ${format} cannot be used together`);
  return flags.json === true ? 'json' : (format ?? 'text');
}

function audit(file: string, failOn: Severity, format: Format, out: Write): number {
  const snapshot = snapshotOf(readTraceFile(file));
  const findings = runAudit(snapshot);
  const skipped = notJudged(RULES, snapshot.messages);
  if (format === 'json') out(findingsJson(findings, failOn, file, skipped));
  else if (format === 'junit') out(junit(findings, failOn, file, skipped));
  else if (format === 'github') for (const line of github(findings, file, skipped)) out(line);
  else printFindings(findings, failOn, out, skipped);
  return findings.some((f) => atOrAbove(f, failOn)) ? 1 : 0;
}

function diff(before: string, after: string, flags: Record<string, unknown>, out: Write): number {
  const options = {
    tolerance: flags.tolerance !== undefined ? parseTolerance(flags.tolerance as string) : EXACT,
    latency: {
      factor: flags['latency-factor'] !== undefined ? parseFactor(flags['latency-factor'] as string) : DEFAULT_LATENCY.factor,
      floorMs: (flags['latency-floor'] as number | undefined) ?? DEFAULT_LATENCY.floorMs,
    },
    ignorePorts: flags['ignore-ports'] === true,
  };
  // Both files are read before anything is printed: an unreadable one is exit 2, not a diff.
  const a = snapshotOf(readTraceFile(before));
  const b = snapshotOf(readTraceFile(after));
  const d = diffSnapshots(a, b, options);
  if (flags.json === true) out(JSON.stringify({ before, after, same: d.differences === 0, ...d }, null, 2));
  else printDiff(d, { before, after }, out);
  return d.differences ? 1 : 0;
}

async function recordCommand(url: string, flags: Record<string, unknown>, deps: CliDeps, out: Write, err: Write): Promise<number> {
  const launch = deps.launch ?? (deps.browsers ? browserLauncher(deps.browsers) : null);
  if (!launch) throw new UsageError('record needs the browsers: run it through the channel-inspector command');
  const output = (flags.output as string | undefined) ?? 'trace.json';
  const result = await record(
    {
      url: checkUrl(url),
      out: output,
      browser: (flags.browser as BrowserName | undefined) ?? 'chromium',
      untilIdleMs: (flags['until-idle'] as number | undefined) ?? 1000,
      timeoutMs: (flags.timeout as number | undefined) ?? 30_000,
      headful: flags.headful === true,
      workers: flags.workers === true,
      perfetto: (flags.perfetto as string | undefined) ?? null,
      tool: `channel-inspector ${deps.version ?? ''}`.trim(),
    },
    { launch, write: out, note: err, signal: deps.signal },
  );
  const s = result.snapshot;
  printOverview(s, out, { maxLines: 12 });
  out('');
  if (s.findings.length) {
    out(`Findings: ${countBy(s.findings, (f) => `${f.rule} (${f.severity})`)}`);
    out(`  details: channel-inspector audit ${output}`);
  } else out('Findings: none');
  out(`Wrote ${output} (${s.messages.length} messages${result.stop === 'timeout' ? ', stopped at --timeout' : result.stop === 'interrupted' ? ', stopped by Ctrl-C' : ''})${flags.perfetto ? ` and ${flags.perfetto as string}` : ''}.`);
  return 0;
}
