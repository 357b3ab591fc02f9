// channel-inspector/playwright: Chromium with the extension loaded and recording, as a
// Playwright persistent context, plus the @playwright/test fixtures and matcher.
import { launchChromiumSession, type ChromiumSession, type LaunchOptions } from './launch';

export { ChannelsHandle, type FindingsOptions, type SettleOptions, type WaitOptions, type TabSource } from './handle';
export { filterMessages, type MessageFilter, type TextMatch } from './filter';
export { matchers, toHaveNoFindings, type MatcherResult } from './matchers';
export { channelInspectorFixtures } from './fixtures';
export type { LaunchOptions, ChromiumSession } from './launch';
export type { AuditFinding } from '../audit';
export type { AggregateSnapshot, MessageRecord, Severity } from '../protocol/session';
export type { TraceDocument } from '../trace';

/** Chromium (system browser, or CHROMIUM_PATH) with the extension, recording its pages: `{ context, page, channels, close }`. */
export function withChannelInspector(options: LaunchOptions = {}): Promise<ChromiumSession> {
  return launchChromiumSession(options);
}
