// channel-inspector/puppeteer: Firefox ESR (WebDriver BiDi) with the extension loaded and
// recording, as a Puppeteer Browser; Chromium goes through channel-inspector/playwright.
import { launchFirefoxSession, type FirefoxSession, type LaunchOptions } from './launch';

export { ChannelsHandle, type FindingsOptions, type SettleOptions, type WaitOptions, type TabSource } from './handle';
export { filterMessages, type MessageFilter, type TextMatch } from './filter';
export { matchers, toHaveNoFindings, type MatcherResult } from './matchers';
export type { LaunchOptions, FirefoxSession } from './launch';
export type { AuditFinding } from '../audit';
export type { AggregateSnapshot, MessageRecord, Severity } from '../protocol/session';
export type { TraceDocument } from '../trace';

/** Firefox ESR (system browser, or FIREFOX_PATH) with the extension, recording its pages: `{ browser, page, channels, close }`. */
export function withChannelInspector(options: LaunchOptions = {}): Promise<FirefoxSession> {
  return launchFirefoxSession(options);
}
