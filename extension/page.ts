// MAIN world, document_start, every frame: instrument this document before its own
// scripts run, and send what it records over the private bridge to the relay.
// No extension API exists here; nothing is exposed to the page. A failure to install is
// reported over the bridge, never thrown into the page (src/instrument/boot.ts).
import { boot } from '../src/instrument/boot';

/** The engine this build is for (scripts/build.mjs), not what the user agent claims. */
declare const __ENGINE__: 'chromium' | 'firefox';

boot(globalThis, __ENGINE__);
