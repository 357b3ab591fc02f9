import { describe, expect, it } from 'vitest';
import { Snap, TOP, pageAndWorker } from './build';
import { findings } from './helpers';

const threw = (reason: string) => ({ deliveredAt: null, listeners: null, handlerMs: null, waitMs: null, outcome: { status: 'error' as const, reason } });

describe('use-after-transfer', () => {
  it('reports DataCloneErrors about detached buffers and ports in every engine wording', () => {
    const reasons = [
      "DataCloneError: Failed to execute 'postMessage' on 'MessagePort': An ArrayBuffer is detached and could not be cloned.",
      "DataCloneError: Failed to execute 'postMessage' on 'Worker': ArrayBuffer at index 0 is already detached.",
      "DataCloneError: Failed to execute 'postMessage' on 'MessagePort': Port at index 0 is already neutered.",
      'DataCloneError: attempting to access detached ArrayBuffer',
      'DataCloneError: ArrayBuffer object could not be cloned.',
      'DataCloneError: message.payload is a detached ArrayBuffer.',
    ];
    for (const reason of reasons) {
      const { s, top, worker } = pageAndWorker();
      s.msg({ via: 'worker', fromContext: top, toContext: worker, ...threw(reason) });
      s.msg({ via: 'worker', fromContext: top, toContext: worker, ...threw(reason) });
      const fs = findings(s, 'use-after-transfer');
      expect(fs, reason).toHaveLength(1);
      expect(fs[0]).toMatchObject({ severity: 'error', messageIds: [1, 2], count: 2 });
      expect(fs[0].message).toBe('2 postMessage calls in page 127.0.0.1:8080/index.html threw DataCloneError because they used a buffer or port that an earlier transfer had already detached.');
      expect(findings(s, 'clone-error'), reason).toEqual([]);
    }
  });

  it('leaves other DataCloneErrors and other exceptions alone', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    s.msg({ via: 'window', fromContext: top, toContext: top, ...threw("DataCloneError: Failed to execute 'postMessage' on 'Window': () => 1 could not be cloned.") });
    s.msg({ via: 'window', fromContext: top, toContext: top, ...threw("SyntaxError: Invalid target origin 'x'.") });
    expect(findings(s, 'use-after-transfer')).toEqual([]);
  });
});
