// Inside a dedicated worker (issue 21): the worker's own postMessage (to the Worker object of
// its creator) and the messages its scope receives from there. Both are reported with via
// 'worker' and no object: the background takes the other end to be the context that made
// this worker. Like a window's, postMessage and onmessage live on the global itself.
import type { Instr } from './context';
import type { Listeners } from './listeners';
import { readTransfer } from './transfers';
import { watchScopeMessages } from './scope-messages';

export function instrumentWorkerScope(I: Instr, listeners: Listeners): void {
  const { g, n, rec } = I;
  const native = n.getOwnPropertyDescriptor(g, 'postMessage')?.value as Function | undefined;
  if (typeof native !== 'function') return;
  const self = g as unknown as object;
  I.disguise.method(g, 'postMessage', {
    postMessage(this: unknown, _message: unknown) {
      // A bare postMessage(...) call has no `this`: the scope's own, as WebIDL has it for a
      // global. Called on anything else: the native's own answer.
      if (!rec.active || (this !== self && this !== undefined && this !== null)) return n.apply(native, this, arguments);
      const transfer = readTransfer(I, arguments[1]);
      const at = n.now();
      const msg = I.nextMessageId();
      try {
        n.apply(native, self, arguments);
      } catch (err) {
        const path = I.cloneErrorPath(err, _message, transfer.objects);
        rec.emit({ k: 'post', at, msg, via: 'worker', transfer: transfer.refs, predicted: I.errorOutcome(err, path), stack: I.stack() });
        throw err;
      }
      const portIds: number[] = n.list();
      for (let i = 0; i < transfer.refs.length; i++) if (transfer.refs[i].kind === 'MessagePort') portIds[portIds.length] = transfer.refs[i].id!;
      if (portIds.length) I.shadow.transferred(portIds);
      rec.emit({ k: 'post', at, msg, via: 'worker', transfer: transfer.refs, predicted: { o: 'sent' }, stack: I.stack() });
    },
  }.postMessage);

  watchScopeMessages(I, listeners, { via: 'worker', skip: null, describe: null });
}
