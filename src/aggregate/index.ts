// The aggregation of a tab's event streams into one Session (see session.ts).
export { Session, type SessionOptions, type IngestResult, type PendingWork, type SessionData } from './session';
export type { BatchSource } from './contexts';
export { SESSION_STATE_FORMAT, SESSION_STATE_VERSION, type SessionState, type WriteStateOptions } from './state';
export { topologyAt, findMessage, type TopologyAt, type PortAt, type TimelineSource } from './timeline';
export { packMessages, unpackMessages, messageAt, blockRowAt, packSnapshot, unpackSnapshot } from './columns';
