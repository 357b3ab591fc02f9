// What page.js does in each document: capture the natives, open the private bridge, install
// the instrumentation. Whatever fails, the page sees nothing (no exception, no message), and
// the bridge's hello is still posted: the relay takes the first hello of its document only,
// so a page can never hand it one of its own. The failure goes over that bridge to the
// background, which shows it on the frame.
import { BRIDGE_KEY, PROTOCOL_VERSION, type InstallFailure } from '../protocol/messages';
import { captureNatives, type Natives } from './natives';
import { openBridge, type Bridge } from './bridge';
import { install, type Installed, type InstallOptions } from './install';
import type { ProfileName } from '../model/profiles';

export interface BootSteps {
  captureNatives(g: typeof globalThis): Natives;
  openBridge(n: Natives, g: typeof globalThis): Bridge;
  install(g: typeof globalThis, opts: InstallOptions): Installed;
}

const STEPS: BootSteps = { captureNatives, openBridge, install };

export function boot(g: typeof globalThis, engine: Exclude<ProfileName, 'spec'>, steps: BootSteps = STEPS): InstallFailure | null {
  let stage = 'natives';
  let bridge: Bridge | null = null;
  try {
    const natives = steps.captureNatives(g);
    stage = 'bridge';
    bridge = steps.openBridge(natives, g);
    stage = 'install';
    const b = bridge;
    const installed = steps.install(g, { natives, engine, transport: b, isBridgeMessage: (e) => b.isBridgeMessage(e) });
    b.attach(installed.rec, installed);
    return null;
  } catch (e) {
    const failure: InstallFailure = { t: 'failed', stage, message: describe(e) };
    try {
      if (bridge) bridge.report(failure);
      else fallbackHello(g, failure);
    } catch {
      /* nothing more can be done without touching the page */
    }
    return failure;
  }
}

function describe(e: unknown): string {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    return 'an unprintable error';
  }
}

/**
 * The natives could not be captured or the bridge not opened: post the hello with the
 * globals as they are (document_start, before any page script) and report on its port.
 */
function fallbackHello(g: typeof globalThis, failure: InstallFailure): void {
  const { port1, port2 } = new g.MessageChannel();
  const hello = { [BRIDGE_KEY]: PROTOCOL_VERSION, doc: g.performance.timeOrigin };
  g.postMessage(hello, '*', [port2]);
  port1.postMessage(failure);
}
