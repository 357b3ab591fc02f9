import { describe, expect, it } from 'vitest';
import { pageAndWorker } from './build';
import { findings } from './helpers';

const setup = () => pageAndWorker();

describe('transfer-not-in-message', () => {
  it('reports transferred buffer bytes that never arrived, grouped by call site', () => {
    const { s, top, worker } = setup();
    const send = (buf: number, got: number, stack = 'at upload (app.js:4:2)') =>
      s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: [{ kind: 'ArrayBuffer', id: null, bytes: buf }], bufferBytes: got, stack });
    const m1 = send(4096, 0);
    const m2 = send(4096, 1024); // a 1 KB copy arrived, the 4 KB transferred one did not
    send(4096, 4096); // fine
    const m4 = send(8, 0, 'at other (app.js:8:1)');
    const fs = findings(s, 'transfer-not-in-message');
    expect(fs.map((f) => f.messageIds)).toEqual([[m1.id, m2.id], [m4.id]]);
    expect(fs[0]).toMatchObject({ severity: 'error', count: 2, contextIds: [top, worker], stacks: ['at upload (app.js:4:2)'] });
    expect(fs[0].message).toBe(
      '2 messages from page 127.0.0.1:8080/index.html transferred 7.0 KB of ArrayBuffer data that they do not reference: the buffers were detached in the sender and the receiver never got them.',
    );
  });

  it('needs both ends and known sizes', () => {
    const { s, top, worker } = setup();
    const t = [{ kind: 'ArrayBuffer' as const, id: null, bytes: 4096 }];
    s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: t }); // bufferBytes not reported
    s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: t, bufferBytes: 0, deliveredAt: null, outcome: { status: 'sent', reason: null } });
    s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: [{ kind: 'ArrayBuffer', id: null, bytes: null }], bufferBytes: 0 });
    s.msg({ via: 'window', fromContext: null, toContext: top, sentAt: null, bufferBytes: 0 });
    expect(findings(s, 'transfer-not-in-message')).toEqual([]);
  });

  it('ignores transferred ports, which always arrive in event.ports', () => {
    const { s, top, worker } = setup();
    const [, b] = s.channel(top);
    s.msg({ via: 'worker', fromContext: top, toContext: worker, transfer: [{ kind: 'MessagePort', id: b.id, bytes: null }], bufferBytes: 0 });
    expect(findings(s, 'transfer-not-in-message')).toEqual([]);
  });
});
