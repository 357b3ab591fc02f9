// Message lookup over the extension's catalogues (_locales/<lang>/messages.json). The browser's
// i18n API picks the catalogue of its UI language; where it has none (Node: tests, the CLI) or
// a key is missing there, the English catalogue answers. Substitutions are `$1`…`$9`, as the
// browsers' getMessage does them without declared placeholders.
import en from '../../_locales/en/messages.json';

export type MessageKey = keyof typeof en;
export type Catalogue = Record<string, { message: string; description?: string }>;
/** The browser's i18n.getMessage: '' for a key its catalogues lack. */
export type GetMessage = (key: string, substitutions?: string[]) => string;

/** `$1`…`$9` replaced by the substitutions, `$$` by `$`: what the browsers do. */
export function substitute(text: string, subs: readonly string[]): string {
  return text.replace(/\$(\$|[1-9])/g, (_, d: string) => (d === '$' ? '$' : (subs[Number(d) - 1] ?? '')));
}

export function makeLookup(getMessage: GetMessage | null, fallback: Catalogue = en): (key: MessageKey, ...subs: (string | number)[]) => string {
  return (key, ...subs) => {
    const s = subs.map(String);
    const found = getMessage?.(key, s);
    if (found) return found;
    const e = fallback[key];
    return e ? substitute(e.message, s) : key;
  };
}
