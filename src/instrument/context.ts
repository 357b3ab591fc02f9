// What every instrumentation module shares in one context (a document): the captured
// natives, the recorder, the model's shadow, and the local numbering of ports and messages.
import type { Natives } from './natives';
import type { Disguise } from './disguise';
import type { Recorder } from './recorder';
import type { Predicted, TransferKind } from '../protocol/messages';
import type { Shadow } from '../model/shadow';
import type { SampleResult } from './sample';
import type { SendSamples } from './send-sample';
import type { Breakpoints } from './breakpoints';

export interface Instr {
  readonly g: typeof globalThis;
  readonly n: Natives;
  readonly disguise: Disguise;
  readonly rec: Recorder;
  readonly shadow: Shadow;
  /** Samples of the sends whose delivery nothing reports (into a worker), taken at the sender. */
  readonly sent: SendSamples;
  /** The panel's message breakpoints (breakpoints.ts). */
  readonly breaks: Breakpoints;
  /** This document's origin, read at document_start. */
  readonly origin: string;
  /** Local id of a port, numbering it (and listening to its deliveries) on first sight. */
  portId(port: MessagePort): number;
  /** A port's id if it is already known. */
  knownPort(port: unknown): number | undefined;
  /** Numbers the two ports of a new channel (entangled) and listens to them. */
  newChannel(port1: MessagePort, port2: MessagePort): [number, number];
  /** Local ids for the ports that arrived with a message (their partner is elsewhere). */
  arrivedPorts(e: MessageEvent): number[];
  nextMessageId(): number;
  /** The page's call stack here, without the instrumentation's frames, as a string-table id. */
  stack(): number | undefined;
  /**
   * The Sample of received data (JSON text) and the bytes of its buffers, in one bounded walk.
   * `clone`: the data is the browser's fresh structured clone (a trusted event's, structuredClone's).
   */
  sample(data: unknown, clone: boolean): SampleResult;
  errorOutcome(err: unknown, path?: string): Predicted;
  /** Where in the message the value that made the native call throw sits, when it is safe to look. */
  cloneErrorPath(err: unknown, message: unknown, transfer: readonly unknown[], port?: object): string | undefined;
  kindOfTransferable(v: unknown): TransferKind;
}
