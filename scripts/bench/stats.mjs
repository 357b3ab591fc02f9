// Medians with their spread, and the number formats of the table.

/** { med, min, max, n } of the values (NaN-free). */
export function spread(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  const med = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { med, min: v[0], max: v[v.length - 1], n: v.length };
}

/** 12345 → "12.3k", 1234567 → "1.23M". */
export function si(x) {
  if (x == null || !Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a >= 1e6) return (x / 1e6).toPrecision(3) + 'M';
  if (a >= 1e3) return (x / 1e3).toPrecision(3) + 'k';
  return x.toPrecision(3);
}

export const fmtRate = (s) => (s ? `${si(s.med)}/s (${si(s.min)}–${si(s.max)})` : '–');
export const fmtRatio = (s) => (s ? `${s.med.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : '–');
export const fmtMs = (s) => (s ? `${s.med.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})` : '–');
export const fmtMB = (s) => (s ? `${(s.med / 1e6).toFixed(1)} MB (${(s.min / 1e6).toFixed(1)}–${(s.max / 1e6).toFixed(1)})` : '–');

/** A markdown table from a header row and rows of cells. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}
