// What a listener got, as text that keeps the types a structured clone keeps, so a test
// can tell a Map with a BigInt from an object with a string.
window.show = function show(v) {
  if (typeof v === 'bigint') return v + 'n';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object' || v === null) return Object.is(v, -0) ? '-0' : String(v);
  if (v instanceof Map) return 'Map{' + [...v].map(([k, x]) => show(k) + '=>' + show(x)).join(',') + '}';
  if (v instanceof Set) return 'Set{' + [...v].map(show).join(',') + '}';
  if (v instanceof Date) return 'Date(' + v.getTime() + ')';
  if (Array.isArray(v)) return '[' + v.map(show).join(',') + ']';
  return '{' + Object.keys(v).map((k) => k + ':' + show(v[k])).join(',') + '}';
};
// Everything this document's listeners received, in order.
window.got = [];
