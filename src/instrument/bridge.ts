// The page's end of the private bridge to the isolated relay (see BRIDGE_KEY).
import { BRIDGE_KEY, PROTOCOL_VERSION, isBridgeHello, type PageBatch, type PageToRelay, type RelayToPage } from '../protocol/messages';
import type { Natives } from './natives';
import type { Recorder, Transport } from './recorder';

export interface Bridge extends Transport {
  /** True for the handshake message itself, which the instrumentation must not report. */
  isBridgeMessage(e: MessageEvent): boolean;
  /** Where relay commands go once the recorder exists. */
  attach(rec: Recorder): void;
}

export function openBridge(n: Natives, g: typeof globalThis): Bridge {
  const channel = new n.MessageChannel();
  const port = channel.port1;
  let rec: Recorder | null = null;
  let handshakeSeen = false;

  n.apply(n.addEventListener, port, [
    'message',
    (e: MessageEvent) => {
      const cmd = n.eventData(e) as RelayToPage;
      if (cmd && cmd.t === 'recording') rec?.setRecording(cmd.on === true);
    },
  ]);
  n.apply(n.portStart, port, []);
  const hello: Record<string, number> = {};
  hello[BRIDGE_KEY] = PROTOCOL_VERSION;
  if (n.windowPostMessage) n.apply(n.windowPostMessage, g, [hello, '*', [channel.port2]]);

  return {
    send(batch: PageBatch) {
      const msg: PageToRelay = { t: 'batch', batch };
      n.apply(n.portPostMessage, port, [msg]);
    },
    isBridgeMessage(e) {
      if (handshakeSeen) return false;
      if ((n.eventSource(e) as unknown) === g && isBridgeHello(n.eventData(e))) {
        handshakeSeen = true;
        return true;
      }
      return false;
    },
    attach(r) {
      rec = r;
    },
  };
}
