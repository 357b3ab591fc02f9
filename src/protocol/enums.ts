// Every closed set of words the records use, written once: the page's events (messages.ts),
// the background's records (session.ts), the Session's input checks and the trace reader
// all take them from here.

export const VIAS = ['port', 'window', 'worker', 'broadcast', 'clone'] as const;
export type Via = (typeof VIAS)[number];

export const CONTEXT_KINDS = ['window', 'worker', 'sharedworker', 'serviceworker'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** Why a worker is not recorded from inside (issue 21; src/aggregate/worker-inside.ts). */
export const INSIDE_WHYS = ['switch-off', 'switch-failed', 'not-dedicated', 'no-response-to-filter', 'created-before-switch', 'unknown'] as const;
export type InsideWhy = (typeof INSIDE_WHYS)[number];

export const TRANSFER_KINDS = ['MessagePort', 'ArrayBuffer', 'ImageBitmap', 'OffscreenCanvas', 'ReadableStream', 'WritableStream', 'TransformStream', 'other'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export const EVENT_TYPES = ['message', 'messageerror'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const OUTCOME_STATUSES = ['sent', 'queued', 'delivered', 'dropped', 'error'] as const;
export type OutcomeStatus = (typeof OUTCOME_STATUSES)[number];

export const SEVERITIES = ['info', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which side a message's payload sample was taken on (the receiver's clone, or the sender after its send). */
export const SAMPLE_SIDES = ['receiver', 'sender'] as const;
export type SampleSide = (typeof SAMPLE_SIDES)[number];

export const CALL_ROLES = ['request', 'response', 'notification', 'handshake', 'event'] as const;
export type CallRole = (typeof CALL_ROLES)[number];

/**
 * Why a request or response has no pair (src/decode/pairing.ts): no counterpart with its id
 * seen; one seen but which way one of them went is not known; several calls in one direction
 * share the id too close in time to tell which is answered; where the message went is not
 * known, so it is not paired at all; forgotten by the pairing's budget before an answer came.
 */
export const CALL_UNPAIRED = ['unseen', 'direction-unknown', 'ambiguous', 'no-scope', 'forgotten'] as const;
export type CallUnpaired = (typeof CALL_UNPAIRED)[number];

/** What a listener record is attached to (a clone has no listener). */
export const LISTENER_VIAS = ['port', 'window', 'worker', 'broadcast'] as const;
export type ListenerVia = (typeof LISTENER_VIAS)[number];

export const LISTENER_KINDS = ['listener', 'handler'] as const;
export type ListenerKind = (typeof LISTENER_KINDS)[number];

export const WRAPPED_BY = ['sentry', 'raven', 'newrelic', 'rollbar', 'bugsnag', 'zone.js', 'jquery'] as const;
export type WrappedBy = (typeof WRAPPED_BY)[number];

export const LISTENER_REMOVALS = ['remove', 'once', 'abort', 'handler'] as const;
export type ListenerRemoval = (typeof LISTENER_REMOVALS)[number];

/** How much of a port's started/closed/listeners was seen (PortRecord.stateKnown). */
export const PORT_STATE_KNOWN = ['observed', 'reported', 'unknown'] as const;
export type PortStateKnown = (typeof PORT_STATE_KNOWN)[number];

/** A set for membership checks of untrusted input. */
export const setOf = (words: readonly string[]): ReadonlySet<string> => new Set(words);
