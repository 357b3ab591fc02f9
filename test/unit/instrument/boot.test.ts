// page.js's boot: whatever step fails, nothing reaches the page, the bridge hello is posted
// (so the relay's first hello is never a page's), and the failure goes over the bridge.
import { describe, expect, it, vi } from 'vitest';
import { boot, type BootSteps } from '../../../src/instrument/boot';
import { BRIDGE_KEY, PROTOCOL_VERSION, type InstallFailure } from '../../../src/protocol/messages';
import type { Bridge } from '../../../src/instrument/bridge';
import type { Natives } from '../../../src/instrument/natives';

/** A window-ish global whose postMessage records hellos and reads what arrives on their port. */
function fakeWindow() {
  const hellos: { data: unknown; received: unknown[]; port: MessagePort }[] = [];
  const g = {
    MessageChannel,
    performance: { timeOrigin: 1234.5 },
    postMessage: (data: unknown, _origin: string, transfer: MessagePort[]) => {
      const h = { data, received: [] as unknown[], port: transfer[0] };
      transfer[0].onmessage = (e: MessageEvent) => void h.received.push(e.data);
      hellos.push(h);
    },
  } as unknown as typeof globalThis;
  return { g, hellos };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

function fakeBridge() {
  const reports: InstallFailure[] = [];
  const bridge = { send() {}, isBridgeMessage: () => false, attach: vi.fn(), report: (f: InstallFailure) => reports.push(f) } as unknown as Bridge;
  return { bridge, reports };
}

describe('boot', () => {
  it('posts the hello itself and reports the failure when the natives cannot be captured', async () => {
    const { g, hellos } = fakeWindow();
    const steps: BootSteps = {
      captureNatives: () => {
        throw new TypeError('MessagePort.prototype.postMessage is not a function');
      },
      openBridge: () => expect.fail('no bridge without natives'),
      install: () => expect.fail('no install without natives'),
    };
    expect(() => boot(g, 'chromium', steps)).not.toThrow();
    await settle();
    expect(hellos).toHaveLength(1);
    expect(hellos[0].data).toEqual({ [BRIDGE_KEY]: PROTOCOL_VERSION, doc: 1234.5 });
    expect(hellos[0].received).toEqual([{ t: 'failed', stage: 'natives', message: 'TypeError: MessagePort.prototype.postMessage is not a function' }]);
    for (const h of hellos) h.port.close();
  });

  it('reports over the open bridge when install throws, and passes the build engine to install', () => {
    const { g, hellos } = fakeWindow();
    const { bridge, reports } = fakeBridge();
    let engine: unknown;
    const steps: BootSteps = {
      captureNatives: () => ({}) as Natives,
      openBridge: () => bridge,
      install: (_g, opts) => {
        engine = opts.engine;
        throw new Error('boom');
      },
    };
    expect(boot(g, 'firefox', steps)).toEqual({ t: 'failed', stage: 'install', message: 'Error: boom' });
    expect(engine).toBe('firefox');
    expect(reports).toEqual([{ t: 'failed', stage: 'install', message: 'Error: boom' }]);
    expect(hellos).toHaveLength(0); // the bridge posted its own
  });

  it('attaches the recorder when all goes well', () => {
    const { g } = fakeWindow();
    const { bridge, reports } = fakeBridge();
    const installed = { rec: {}, replayer: {}, natives: {}, links: {}, breaks: {}, store: {} };
    const steps: BootSteps = { captureNatives: () => ({}) as Natives, openBridge: () => bridge, install: () => installed as never };
    expect(boot(g, 'chromium', steps)).toBeNull();
    expect(bridge.attach).toHaveBeenCalledWith(installed.rec, installed);
    expect(reports).toEqual([]);
  });
});
