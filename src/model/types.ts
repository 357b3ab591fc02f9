// The realm surface the messaging modules need, kept apart from realm.ts to avoid cycles.
import type { EventLoop } from './loop.js';
import type { ModelEventTarget, ModelMessageEvent, MessageEventInitLike } from './events.js';
import type { PostOutcome } from './outcome.js';
import type { Profile } from './profiles.js';

export interface Universe {
  nextId(): number;
  /** Every BroadcastChannel object alive, in creation order. */
  broadcasters: Set<unknown>;
  loops: Set<EventLoop>;
}

export interface RealmCore {
  readonly id: number;
  origin: string;
  readonly profile: Profile;
  readonly loop: EventLoop;
  readonly universe: Universe;
  readonly agentCluster: number;
  readonly crossOriginIsolated: boolean;
  /** false models a realm where MessagePort is not exposed (transfer-receiving fails). */
  readonly exposesMessagePort: boolean;
  readonly kind: 'window' | 'worker';
  /** Global closing (a worker after close()/terminate()): posts to it are not eligible. */
  closing: boolean;
  newMessageEvent(type: string, init: MessageEventInitLike): ModelMessageEvent;
  reportError(err: unknown): void;
  emit(outcome: PostOutcome): PostOutcome;
  /** The realm's global (window or worker global scope) as an event target. */
  readonly globalTarget: ModelEventTarget;
}
