// What every instrumentation module shares in one context (a document): the captured
// natives, the recorder, and the local numbering of ports and messages.
import type { Natives } from './natives';
import type { Disguise } from './disguise';
import type { Recorder } from './recorder';
import type { TransferRef } from '../protocol/messages';

export interface Instr {
  readonly g: typeof globalThis;
  readonly n: Natives;
  readonly disguise: Disguise;
  readonly rec: Recorder;
  /** Local id of a port, numbering it (and listening to its deliveries) on first sight. */
  portId(port: MessagePort): number;
  /** A port's id if it is already known. */
  knownPort(port: unknown): number | undefined;
  nextMessageId(): number;
  /** Describes a transfer list before the native call neuters it. */
  describeTransfer(list: readonly unknown[]): TransferRef[];
  /** The page's call stack here, without the instrumentation's frames, as a string-table id. */
  stack(): number | undefined;
}
