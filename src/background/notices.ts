// What a tab's panel must say beside the recording: how the session may be incomplete. Each
// notice is a catalogue sentence (text) that the panel words in the UI language; its English
// (message) is rendered from the same sentence for traces and the CLI.
import { english } from '../i18n/english';
import type { MessageKey } from '../i18n/lookup';
import type { TabNotice } from '../protocol/messages';
import type { FindingArg, FindingText } from '../protocol/session';
import type { Intake, RelayLink } from './intake';

const say = (key: MessageKey, ...args: FindingArg[]): FindingText => ({ key, args });

function notice(kind: TabNotice['kind'], text: FindingText, extra: Omit<TabNotice, 'kind' | 'message' | 'text'> = {}): TabNotice {
  return { kind, message: english(text), text, ...extra };
}

/** The background restarted and could not read a saved session (`why`: what failed). */
export function partialRestoreNotice(why: string): TabNotice {
  return notice('partial-restore', say('noticePartialRestore', { s: why }));
}

/** A frame's instrumentation failed to install (`stage` and the error's message as the page said them). */
export function instrumentErrorNotice(stage: string, error: string, frameId: number, url: string | undefined): TabNotice {
  return notice('instrument-error', say('noticeInstrumentError', { s: stage.slice(0, 40) }, { s: error.slice(0, 500) }), { frameId, url });
}

function refusedText(cause: string, count: number): FindingText {
  const c: FindingArg = { n: count };
  const one = count === 1;
  switch (cause) {
    case 'batch-other-frame':
      return one ? say('noticeRefusedOtherFrame_one', c) : say('noticeRefusedOtherFrame_other', c);
    case 'batch-other-document':
      return one ? say('noticeRefusedOtherDocument_one', c) : say('noticeRefusedOtherDocument_other', c);
    case 'batch-other-port':
      return one ? say('noticeRefusedOtherPort_one', c) : say('noticeRefusedOtherPort_other', c);
    default:
      return one ? say('noticeRefused_one', c, { s: cause }) : say('noticeRefused_other', c, { s: cause });
  }
}

function storeFailedText(count: number): FindingText {
  return count === 1 ? say('noticeStoreFailed_one', { n: count }) : say('noticeStoreFailed_other', { n: count });
}

export function tabNotices<L extends RelayLink>(t: { id: number; notices: TabNotice[]; instrumentErrors: TabNotice[] }, intake: Intake<L>): TabNotice[] {
  const out: TabNotice[] = [...t.notices, ...t.instrumentErrors];
  for (const [cause, count] of Object.entries(intake.refused.get(t.id) ?? {})) {
    out.push(notice('refused-batches', refusedText(cause, count), { count }));
  }
  if (intake.storeFailures > 0) out.push(notice('store-failed', storeFailedText(intake.storeFailures), { count: intake.storeFailures }));
  return out;
}

/**
 * The notices a checkpoint carries on, as they were saved: checkpoints written before notices
 * had a sentence hold English strings, shown as they are.
 */
export function savedNotices(saved: unknown): TabNotice[] {
  if (!Array.isArray(saved)) return [];
  const out: TabNotice[] = [];
  for (const n of saved) {
    if (typeof n === 'string') out.push({ kind: 'partial-restore', message: n });
    else if (n && typeof n === 'object' && typeof (n as TabNotice).message === 'string') {
      const { message, text } = n as TabNotice;
      out.push(isText(text) ? { kind: 'partial-restore', message, text } : { kind: 'partial-restore', message });
    }
  }
  return out;
}

function isText(t: unknown): t is FindingText {
  return !!t && typeof t === 'object' && typeof (t as FindingText).key === 'string' && Array.isArray((t as FindingText).args);
}
