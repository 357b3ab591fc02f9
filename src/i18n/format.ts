// Numbers, sizes and durations written the way the reader's locale writes them (Intl).
export interface Formats {
  number(n: number): string;
  /** A number with exactly `digits` decimals in the locale's digits and separators (the views put SI unit symbols after it). */
  fixed(n: number, digits: number): string;
  /** Bytes as B / kB / MB with the locale's digits and separators. */
  size(bytes: number): string;
  /** A duration in milliseconds: ms under a second, else seconds with one decimal. */
  duration(ms: number): string;
  /** A wall-clock time with milliseconds. */
  clock(epochMs: number): string;
}

export function formatsFor(locale: string | undefined): Formats {
  const loc = supported(locale);
  const int = new Intl.NumberFormat(loc);
  const unit = (u: string, digits: number) => new Intl.NumberFormat(loc, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits });
  const bytes = unit('byte', 0);
  const kb = unit('kilobyte', 1);
  const mb = unit('megabyte', 1);
  const ms = unit('millisecond', 0);
  const sec = unit('second', 1);
  const clock = new Intl.DateTimeFormat(loc, { hour: '2-digit', minute: '2-digit', second: '2-digit', fractionalSecondDigits: 3, hour12: false });
  const fixedBy = new Map<number, Intl.NumberFormat>();
  const fixed = (n: number, d: number) => {
    let f = fixedBy.get(d);
    if (!f) fixedBy.set(d, (f = new Intl.NumberFormat(loc, { minimumFractionDigits: d, maximumFractionDigits: d })));
    return f.format(n);
  };
  return {
    number: (n) => int.format(n),
    fixed,
    size: (b) => (b >= 1024 * 1024 ? mb.format(b / (1024 * 1024)) : b >= 1024 ? kb.format(b / 1024) : bytes.format(b)),
    duration: (t) => (t < 1000 ? ms.format(t) : sec.format(t / 1000)),
    clock: (t) => clock.format(t),
  };
}

/** The browser's UI language in BCP 47 form (zh_CN → zh-CN), or English when Intl does not know it. */
function supported(locale: string | undefined): string {
  const tag = (locale ?? 'en').replace(/_/g, '-');
  try {
    return Intl.NumberFormat.supportedLocalesOf([tag]).length ? tag : 'en';
  } catch {
    return 'en';
  }
}
