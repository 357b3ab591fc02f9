// src/model: an executable reference implementation of the HTML Standard's channel messaging.
// createRealm() gives browser-like MessageChannel / MessagePort / MessageEvent /
// BroadcastChannel / structuredClone that run in Node; createShadow() is the page-side shadow.
import { Realm, type RealmOptions } from './realm.js';

export { Realm, WorkerGlobalScope, WorkerHandle } from './realm.js';
export type { RealmOptions, OpenWindowOptions, WorkerScript, RealmGlobals } from './realm.js';
export type { PostOutcome, OutcomeTarget, OutcomeError } from './outcome.js';
export type { Predicted, DropReason, Via } from '../protocol/messages.js';
export { PROFILES, getProfile, errorMessage, errorName } from './profiles.js';
export type { Profile, ProfileName, ErrorCode } from './profiles.js';
export { isDetached } from './brands.js';
export { createShadow, Shadow } from './shadow.js';
export type { CloneErrorLocation, ShadowOptions } from './shadow.js';

/** A window realm with its own universe (event loop, BroadcastChannel registry). */
export function createRealm(options: { origin?: string; profile?: 'spec' | 'chromium' | 'firefox' } & RealmOptions = {}): Realm {
  return new Realm(options);
}
