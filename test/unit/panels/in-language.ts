// The panel's modules in another UI language, for unit tests: the catalogue of `lang`
// answers the browser's i18n.getMessage as the browsers do, and the modules are loaded afresh
// (they read chrome.i18n when loaded). Import the panel's modules after inLanguage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { substitute } from '../../../src/i18n/lookup';

export type Catalogue = Record<string, { message: string }>;

export const catalogue = (lang: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '_locales', lang, 'messages.json'), 'utf8')) as Catalogue;

export function inLanguage(lang: string): void {
  const cat = catalogue(lang);
  vi.resetModules();
  (globalThis as { chrome?: unknown }).chrome = {
    i18n: { getMessage: (k: string, s?: string[]) => (cat[k] ? substitute(cat[k].message, s ?? []) : ''), getUILanguage: () => lang },
  };
}

/** Back to Node's English (no chrome.i18n). */
export function leaveLanguage(): void {
  delete (globalThis as { chrome?: unknown }).chrome;
  vi.resetModules();
}
