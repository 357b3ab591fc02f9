// MAIN world, document_start, every frame: instrument this document before its own
// scripts run, and send what it records over the private bridge to the relay.
// No extension API exists here; nothing is exposed to the page.
import { captureNatives } from '../src/instrument/natives';
import { openBridge } from '../src/instrument/bridge';
import { install } from '../src/instrument/install';

(() => {
  const g = globalThis;
  try {
    const natives = captureNatives(g);
    const bridge = openBridge(natives, g);
    const { rec, replayer, breaks, store } = install(g, { natives, transport: bridge, isBridgeMessage: (e) => bridge.isBridgeMessage(e) });
    bridge.attach(rec, replayer, breaks, store);
  } catch {
    // The page must behave as without the extension, whatever happens here.
  }
})();
