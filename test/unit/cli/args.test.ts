import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs, type CommandSpec } from '../../../src/cli/args';
import { run } from './fixtures';

const spec: CommandSpec = {
  positionals: ['url'],
  flags: {
    output: { kind: 'string', placeholder: 'file' },
    browser: { kind: 'enum', values: ['chromium', 'firefox'] },
    'until-idle': { kind: 'ms', placeholder: 'ms' },
    headful: { kind: 'boolean' },
  },
  aliases: { o: 'output' },
};

const fails = (argv: string[], message: RegExp) => expect(() => parseArgs(argv, spec)).toThrow(message);

describe('parseArgs', () => {
  it('reads positionals, long and short flags, --flag=value and --', () => {
    expect(parseArgs(['http://a.test/', '-o', 'x.json', '--browser=firefox', '--until-idle', '250', '--headful'], spec)).toEqual({
      positionals: ['http://a.test/'],
      flags: { output: 'x.json', browser: 'firefox', 'until-idle': 250, headful: true },
      help: false,
    });
    expect(parseArgs(['--output', 'y.json', '--', '-odd-url'], spec).positionals).toEqual(['-odd-url']);
  });

  it('rejects unknown flags, missing and bad values, repeats and wrong arity', () => {
    fails(['u', '--bogus'], /unknown option --bogus/);
    fails(['u', '-x'], /unknown option -x/);
    fails(['u', '--output'], /--output needs a value/);
    fails(['u', '-o', '--headful'], /--output needs a value/);
    fails(['u', '--output='], /--output needs a value/);
    fails(['u', '--browser', 'safari'], /--browser must be one of chromium, firefox, got "safari"/);
    fails(['u', '--until-idle', '1.5'], /milliseconds/);
    fails(['u', '--until-idle', '-5'], /needs a value/);
    fails(['u', '--until-idle', 'soon'], /milliseconds/);
    fails(['u', '--headful=yes'], /takes no value/);
    fails(['u', '-o', 'a', '-o', 'b'], /given twice/);
    fails([], /missing <url>/);
    fails(['u', 'v'], /unexpected argument "v"/);
    expect(() => parseArgs(['u', '--__proto__'], spec)).toThrow(UsageError);
  });

  it('lets --help through without the positionals', () => {
    expect(parseArgs(['--help'], spec).help).toBe(true);
    expect(parseArgs(['-h'], spec).help).toBe(true);
  });
});

describe('channel-inspector command line', () => {
  it('prints help for the tool and for each command, exit 0', async () => {
    for (const [argv, first] of [
      [['--help'], 'Usage: channel-inspector <command>'],
      [['help', 'audit'], 'Usage: channel-inspector audit'],
      [['record', '--help'], 'Usage: channel-inspector record <url>'],
      [['audit', '-h'], 'Usage: channel-inspector audit <trace.json>'],
      [['summary', '--help'], 'Usage: channel-inspector summary <trace.json>'],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.out.split('\n')[0]).toContain(first);
    }
  });

  it('exits 2 on no command, an unknown command, unknown flags and bad values', async () => {
    expect((await run([])).code).toBe(2);
    for (const [argv, message] of [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['audit', 't.json', '--strict'], 'unknown option --strict'],
      [['audit', 't.json', '--fail-on', 'fatal'], '--fail-on must be one of info, warning, error'],
      [['summary', 't.json', '--json'], 'unknown option --json'],
      [['record', 'http://a.test/', '--browser', 'safari'], '--browser must be one of chromium, firefox'],
      [['record', 'http://a.test/', '--timeout', '10s'], '--timeout expects milliseconds'],
      [['audit'], 'missing <trace.json>'],
    ] as const) {
      const r = await run([...argv]);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toContain(message);
      expect(r.out).toBe('');
    }
  });
});
