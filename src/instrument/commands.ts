// The commands that come down a private bridge: a document's from its relay (bridge.ts), a
// worker's from the context that made it (worker-bridge.ts). Fields are read as data
// properties: the command is a clone made in this realm, and no getter of the page may run.
import type { PageToRelay, StoreResult } from '../protocol/messages';
import type { Natives } from './natives';
import type { Recorder } from './recorder';
import type { Replayer } from './replay';
import type { WorkerLinks } from './worker-link';
import type { Breakpoints } from './breakpoints';

/** Store as global variable. */
export interface StoreGlobal {
  run(cmd: unknown): StoreResult;
}

/** What answers the commands; null until attached (a worker's end never has the panel's tools). */
export interface CommandParts {
  rec: Recorder | null;
  /** The workers this context made that report from inside. */
  links: WorkerLinks | null;
  /** The panel's message breakpoints. */
  breaks: Breakpoints | null;
  store: StoreGlobal | null;
  replayer: Replayer | null;
  /** Where the answers to store and replay go; null where none is asked for (a worker's end). */
  reply: ((answer: PageToRelay) => void) | null;
}

const NOT_READY = 'the instrumentation is not ready';

export function dispatchCommand(n: Natives, cmd: unknown, to: CommandParts): void {
  if (typeof cmd !== 'object' || cmd === null) return;
  const t = n.dataProp(cmd, 't');
  if (t === 'recording') {
    const on = n.dataProp(cmd, 'on') === true;
    to.rec?.setRecording(on);
    to.links?.recording(on);
  } else if (t === 'sync') {
    const until = n.dataProp(cmd, 'until');
    const doc = n.dataProp(cmd, 'doc');
    if (typeof until !== 'number') return;
    // No doc: this context's own stream. A worker's stream is asked through the context that made it.
    if (doc === undefined || doc === to.rec?.doc) to.rec?.sync(until);
    else if (typeof doc === 'string') to.links?.sync(doc, until);
  } else if (t === 'breakpoints') {
    if (to.rec) to.breaks?.set(cmd, to.rec.doc);
  } else if ((t === 'store' || t === 'replay') && to.reply) {
    const inner = n.dataProp(cmd, 'cmd');
    const req = typeof inner === 'object' && inner !== null ? n.dataProp(inner, 'req') : undefined;
    if (typeof req !== 'number') return;
    if (t === 'store') to.reply({ t: 'stored', req, result: to.store ? to.store.run(inner) : { ok: false, error: NOT_READY } });
    else to.reply({ t: 'replayed', req, result: to.replayer ? to.replayer.run(inner) : { ok: false, error: NOT_READY } });
  }
}
