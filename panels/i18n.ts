// The panel's and the viewer's texts and number formats in the browser's UI language: the one
// place that reads the browser's i18n API (absent in Node, where English answers).
import { makeLookup, type GetMessage } from '../src/i18n/lookup';
import { formatsFor } from '../src/i18n/format';

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
