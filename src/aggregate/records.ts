// Constructors for records and the shared, never-mutated values they start with.
// Outcomes are replaced, never edited, so constants can be shared by many records.

import type { Via } from '../protocol/messages';
import type { ContextRecord, MessageOutcome, MessageRecord, PortRecord, TransferRecord } from '../protocol/session';

export const SENT: MessageOutcome = Object.freeze({ status: 'sent', reason: null }) as MessageOutcome;
export const QUEUED: MessageOutcome = Object.freeze({ status: 'queued', reason: null }) as MessageOutcome;
export const DELIVERED: MessageOutcome = Object.freeze({ status: 'delivered', reason: null }) as MessageOutcome;
export const NO_LISTENER: MessageOutcome = Object.freeze({ status: 'dropped', reason: 'no-listener' }) as MessageOutcome;
/** Toward a port whose holder's document went away before it reported a delivery. */
export const RECEIVER_GONE: MessageOutcome = Object.freeze({ status: 'dropped', reason: 'receiver-gone' }) as MessageOutcome;
export const MESSAGEERROR: MessageOutcome = Object.freeze({ status: 'error', reason: 'messageerror' }) as MessageOutcome;
export const NO_TRANSFER: TransferRecord[] = Object.freeze([]) as unknown as TransferRecord[];

/** A message with id 0: it gets its id when stored (see Session.commit). */
export function newMessage(via: Via): MessageRecord {
  return {
    id: 0,
    via,
    type: 'message',
    fromContext: null,
    toContext: null,
    fromPort: null,
    toPort: null,
    sentAt: null,
    deliveredAt: null,
    outcome: SENT,
    transfer: NO_TRANSFER,
    preview: null,
    bytes: null,
    targetOrigin: null,
    origin: null,
    stack: null,
    listeners: null,
    handlerMs: null,
    waitMs: null,
    originRead: null,
    bufferBytes: null,
    errorPath: null,
    replayOf: null,
    sample: null,
    sampleFrom: null,
    call: null,
  };
}

export function newPort(id: number, channelId: number | null, createdIn: number | null, at: number | null): PortRecord {
  return {
    id,
    channelId,
    entangledWith: null,
    createdIn,
    createdAt: at,
    holders: [],
    started: false,
    closed: false,
    closedAt: null,
    shipped: false,
    lostIn: null,
    listeners: 0,
    createdStack: null,
    identity: null,
    stateKnown: 'observed',
  };
}

export function newContext(id: number, doc: string, ctx: number): ContextRecord {
  return {
    id,
    kind: 'window',
    url: '',
    origin: '',
    parentId: null,
    frameId: null,
    parentFrameId: null,
    documentId: null,
    doc,
    ctx,
    top: false,
    indexInParent: null,
    openerId: null,
    createdAt: null,
    endedAt: null,
  };
}
