// The panel's and the viewer's texts and number formats in the browser's UI language: the one
// place that reads the browser's i18n API (absent in Node, where English answers).
import { makeLookup, type GetMessage } from '../src/i18n/lookup';
import { formatsFor } from '../src/i18n/format';
import { renderFindingText, type Wording } from '../src/i18n/finding-text';
import type { FindingText } from '../src/protocol/session';

interface I18nApi {
  getMessage: GetMessage;
  getUILanguage(): string;
}
const api = (globalThis as { chrome?: { i18n?: I18nApi } }).chrome?.i18n;

export const msg = makeLookup(api ? (key, subs) => api.getMessage(key, subs) : null);
export const uiLanguage = api?.getUILanguage() ?? 'en';
export const fmt = formatsFor(uiLanguage);

/** Tells the document its language: CJK text then takes the glyphs of that language's fonts. */
export function markLanguage(doc: Document): void {
  doc.documentElement.lang = uiLanguage.replace(/_/g, '-');
}

const WORDING: Wording = { say: (key, ...subs) => msg(key, ...subs), number: (n) => fmt.number(n), fixed: (n, d) => fmt.fixed(n, d) };

/** A sentence of the background or the audit in the UI language; its English when it has none or a key this build does not know (an older producer, a trace). */
export function inUiLanguage(text: FindingText | undefined, english: string): string {
  return (text ? renderFindingText(text, WORDING) : null) ?? english;
}
