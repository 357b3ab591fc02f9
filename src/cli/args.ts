// A small, strict argument parser: every flag is declared, unknown ones are errors, so a
// typo in a CI script fails loudly instead of being ignored.

/** Bad command line or input: the CLI prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export type FlagSpec =
  | { kind: 'boolean' }
  | { kind: 'string'; placeholder: string }
  | { kind: 'ms'; placeholder: string }
  | { kind: 'enum'; values: readonly string[] };

export interface CommandSpec {
  /** Flag names without dashes; `alias` maps a short form ("o") to one of them. */
  flags: Record<string, FlagSpec>;
  aliases?: Record<string, string>;
  /** Names of the positional arguments, all required. */
  positionals: readonly string[];
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | number | boolean>;
  help: boolean;
}

export function parseArgs(argv: readonly string[], spec: CommandSpec): Parsed {
  const out: Parsed = { positionals: [], flags: {}, help: false };
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPositionals || arg === '-' || !arg.startsWith('-')) {
      out.positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      out.help = true;
      continue;
    }
    const long = arg.startsWith('--');
    const eq = long ? arg.indexOf('=') : -1;
    const given = eq > 0 ? arg.slice(2, eq) : arg.slice(long ? 2 : 1);
    const name = long ? given : spec.aliases?.[given];
    const flag = name !== undefined && Object.hasOwn(spec.flags, name) ? spec.flags[name] : undefined;
    if (!flag || name === undefined) throw new UsageError(`unknown option ${long ? `--${given}` : arg}`);
    if (Object.hasOwn(out.flags, name)) throw new UsageError(`--${name} given twice`);
    if (flag.kind === 'boolean') {
      if (eq > 0) throw new UsageError(`--${name} takes no value`);
      out.flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      // A following flag is not a value: `-o --json` is a missing file name.
      if (value === undefined || (value.startsWith('-') && value !== '-')) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    out.flags[name] = convert(name, flag, value);
  }
  if (out.help) return out;
  const want = spec.positionals;
  if (out.positionals.length < want.length) throw new UsageError(`missing <${want[out.positionals.length]}>`);
  if (out.positionals.length > want.length) throw new UsageError(`unexpected argument "${out.positionals[want.length]}"`);
  return out;
}

function convert(name: string, flag: FlagSpec, value: string): string | number {
  switch (flag.kind) {
    case 'string':
      if (value === '') throw new UsageError(`--${name} needs a value`);
      return value;
    case 'ms': {
      const n = Number(value);
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} expects milliseconds (a whole number), got "${value}"`);
      return n;
    }
    case 'enum':
      if (!flag.values.includes(value)) throw new UsageError(`--${name} must be one of ${flag.values.join(', ')}, got "${value}"`);
      return value;
    default:
      return value;
  }
}
