import { describe, expect, it } from 'vitest';
import { MiB, pageAndWorker } from './build';
import { findings } from './helpers';

const setup = () => pageAndWorker('decode.js');

describe('large-copy', () => {
  it('reports buffers of 1 MiB or more that were copied, per call site, with the bytes copied', () => {
    const { s, top, worker } = setup();
    const m1 = s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: 2 * MiB });
    const m2 = s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: 1 * MiB });
    const [f, ...rest] = findings(s, 'large-copy');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', messageIds: [m1.id, m2.id], count: 2, contextIds: [top, worker] });
    expect(f.message).toBe('2 messages from page 127.0.0.1:8080/index.html to worker 127.0.0.1:8080/decode.js copied 3.0 MB of ArrayBuffer data (largest 2.0 MB) instead of transferring it.');
  });

  it('counts only what was not transferred, and honours the threshold option', () => {
    const { s, top, worker } = setup();
    s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: 4 * MiB, transfer: [{ kind: 'ArrayBuffer', id: null, bytes: 4 * MiB }] });
    s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: MiB - 1 });
    expect(findings(s, 'large-copy')).toEqual([]);
    expect(findings(s, 'large-copy', { largeCopyBytes: 1000 }).map((f) => f.messageIds)).toEqual([[2]]);
  });

  it('skips BroadcastChannel (it cannot transfer) and deliveries whose send was not seen', () => {
    const { s, top } = setup();
    s.msg({ via: 'broadcast', fromContext: top, toContext: top, bufferBytes: 8 * MiB });
    s.msg({ via: 'window', fromContext: null, toContext: top, sentAt: null, bufferBytes: 8 * MiB });
    expect(findings(s, 'large-copy')).toEqual([]);
  });
});
