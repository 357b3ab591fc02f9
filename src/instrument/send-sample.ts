// Samples taken at the sender, for the sends whose delivery no instrumented context reports:
// messages into a worker (a content script does not run there), and port messages whose
// partner port is in one. The background shows such a sample as the sender's (sampleFrom
// 'sender'), and a delivery seen after all replaces it with what the receiver got.
//
// Which ports talk into a worker is followed here, cheaply, from what this context sees: a
// port that arrived from a worker (or on such a port) has its partner there, and so has the
// partner of a port this context sent into a worker (or over such a port). Sends on other
// ports cost nothing more: their deliveries are seen where they land.
//
// The sample walks the sender's own object only after the browser's postMessage returned (the
// message held no Proxy, since a Proxy cannot be cloned), reading own data properties through
// the captured natives (src/instrument/sample.ts, mode 'sent'): no getter or trap runs. One
// case is out of its reach, documented in docs/trace-format.md: a getter that the browser's
// clone ran and that put a Proxy into the part of the message already cloned.
import type { Natives } from './natives';
import type { Shadow } from '../model/shadow';
import { buildSample } from './sample';

export interface SendSamples {
  /** The sender's sample of a message just sent into a worker; the ports it carried now talk into the worker. */
  intoWorker(message: unknown, portIds: readonly number[]): string | undefined;
  /** The sender's sample of a message just sent on a port whose partner is in a worker (else undefined). */
  onPort(port: number, message: unknown, portIds: readonly number[]): string | undefined;
  /** Ports that arrived from a worker: their partners are there. */
  fromWorker(ids: readonly number[]): void;
  /** Ports that arrived on port `on`: from a worker when `on` talks into one. */
  arrivedOn(on: number, ids: readonly number[]): void;
}

export function createSendSamples(n: Natives, shadow: Shadow): SendSamples {
  /** Local ids of the ports whose partner is (as far as this context saw) in a worker. */
  const intoWorker = new n.Set<number>();
  const silence = (ids: readonly number[]) => {
    for (let i = 0; i < ids.length; i++) n.setAdd(intoWorker, ids[i]);
  };
  /** Ports sent into a worker: the partners this context holds now talk to it. */
  const silencePartners = (ids: readonly number[]) => {
    for (let i = 0; i < ids.length; i++) {
      const p = shadow.state(ids[i]).partner;
      if (typeof p === 'number') n.setAdd(intoWorker, p);
    }
  };
  const sample = (message: unknown): string | undefined => {
    try {
      return buildSample(n, message, undefined, 'sent').text ?? undefined;
    } catch {
      return undefined;
    }
  };
  return {
    intoWorker(message, portIds) {
      if (portIds.length) silencePartners(portIds);
      return sample(message);
    },
    onPort(port, message, portIds) {
      if (!n.setHas(intoWorker, port)) return undefined;
      if (portIds.length) silencePartners(portIds);
      return sample(message);
    },
    fromWorker: silence,
    arrivedOn(on, ids) {
      if (ids.length && n.setHas(intoWorker, on)) silence(ids);
    },
  };
}
