// A restarted background rebuilds each tab from its checkpoint and the log after it. A
// checkpoint it cannot read (written by another version) is dropped, and the session goes on
// from what the log still holds: that is said, in the panel and in the trace, never silently.
import { Session, type SessionState } from '../aggregate';
import { CheckpointWriter } from './checkpoints';
import type { Intake, IntakeTab, RelayLink } from './intake';
import { partialRestoreNotice, savedNotices } from './notices';
import type { TabNotice } from '../protocol/messages';
import type { Checkpoint, SavedTab } from './store';

export interface RestoredTab extends IntakeTab {
  preserveLog: boolean;
  paused: boolean;
  /** What the user must be told about this session (carried on by later checkpoints). */
  notices: TabNotice[];
  /** Writes the tab's next checkpoints, knowing which chunks are on disk. */
  writer: CheckpointWriter;
}

/** The state with its messages put back from the chunks the head names (checkpoints.ts). */
function withChunks(saved: SavedTab): SessionState {
  const cp = saved.checkpoint as Checkpoint;
  if (!cp.chunks) return cp.state;
  const blocks = cp.chunks.map(([, serial]) => {
    const cols = saved.chunks?.get(serial);
    if (!cols) throw new Error(`chunk ${serial} of its messages is missing`);
    return cols;
  });
  return { ...cp.state, messages: null, messageBlocks: blocks };
}

export function restoreTab<L extends RelayLink>(saved: SavedTab, intake: Intake<L>, tabId = saved.checkpoint?.tabId ?? 0): RestoredTab {
  const onDisk = [...(saved.chunks?.keys() ?? [])];
  const t: RestoredTab = { session: new Session(), lastKey: 0, logged: 0, preserveLog: false, paused: false, notices: [], writer: CheckpointWriter.restored(tabId, [], onDisk) };
  const cp = saved.checkpoint;
  if (cp) {
    t.notices = savedNotices(cp.notices);
    try {
      t.session = Session.restore(withChunks(saved));
      t.writer = CheckpointWriter.restored(tabId, cp.chunks ?? [], onDisk);
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
