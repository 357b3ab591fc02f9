// A restarted background rebuilds each tab from its checkpoint and the log after it. A
// checkpoint it cannot read (written by another version) is dropped, and the session goes on
// from what the log still holds: that is said, in the panel and in the trace, never silently.
import { Session } from '../aggregate';
import type { Intake, IntakeTab, RelayLink } from './intake';
import type { SavedTab } from './store';

export interface RestoredTab extends IntakeTab {
  preserveLog: boolean;
  paused: boolean;
  /** What the user must be told about this session (carried on by later checkpoints). */
  notices: string[];
}

export function partialRestoreNotice(why: string): string {
  return `Partial recording: a saved session could not be restored (${why}); what came before the background restarted is missing.`;
}

export function restoreTab<L extends RelayLink>(saved: SavedTab, intake: Intake<L>): RestoredTab {
  const t: RestoredTab = { session: new Session(), lastKey: 0, logged: 0, preserveLog: false, paused: false, notices: [] };
  const cp = saved.checkpoint;
  if (cp) {
    t.notices = Array.isArray(cp.notices) ? cp.notices.filter((n) => typeof n === 'string') : [];
    try {
      t.session = Session.restore(cp.state);
    } catch (e) {
      t.notices.push(partialRestoreNotice(e instanceof Error ? e.message : String(e)));
    }
    t.preserveLog = cp.preserveLog === true;
    t.paused = cp.paused === true;
    t.lastKey = cp.upTo;
    intake.bindings.load(cp.bindings);
  }
  for (const { key, entry } of saved.log) intake.replay(t, key, entry);
  t.session.takeDelta();
  return t;
}
