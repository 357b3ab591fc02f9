// What a tab's panel must say beside the recording: how the session may be incomplete.
import type { TabNotice } from '../protocol/messages';
import type { Intake, RelayLink } from './intake';

const REFUSED: Record<string, string> = {
  'batch-other-frame': 'batches naming a document of another frame were refused',
  'batch-other-document': 'batches naming another document of the frame were refused',
  'batch-other-port': 'batches naming a document already sending on another connection were refused',
};

export function tabNotices<L extends RelayLink>(t: { id: number; notices: string[]; instrumentErrors: TabNotice[] }, intake: Intake<L>): TabNotice[] {
  const out: TabNotice[] = t.notices.map((message) => ({ kind: 'partial-restore', message }));
  out.push(...t.instrumentErrors);
  for (const [cause, count] of Object.entries(intake.refused.get(t.id) ?? {})) {
    out.push({ kind: 'refused-batches', message: `${count} ${REFUSED[cause] ?? `batches were refused (${cause})`}.`, count });
  }
  if (intake.storeFailures > 0) {
    out.push({ kind: 'store-failed', message: `Saving the recording failed ${intake.storeFailures} times: the frames keep those batches until it works.`, count: intake.storeFailures });
  }
  return out;
}
