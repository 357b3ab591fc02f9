import { describe, expect, it } from 'vitest';
import { RULES, evidenceOf, notJudged, notJudgedLine, runAudit } from '../../../src/audit';
import { Snap, shippedPair } from './build';

const IDS = [
  'port-never-started',
  'post-on-shipped-port',
  'post-on-closed-port',
  'target-origin-mismatch',
  'no-listener',
  'transfer-not-in-message',
  'use-after-transfer',
  'clone-error',
  'messageerror',
  'large-copy',
  'port-leak',
  'wildcard-target-origin',
  'origin-not-checked',
];

/** A page with a bit of everything wrong. */
function messy() {
  const { s, top, child, a, b } = shippedPair();
  s.dropped(b, 'port-shipped', { fromContext: top, stack: 'at x (a.js:1:1)' });
  s.window(top, child, { targetOrigin: '*', stack: 'at y (a.js:2:1)' });
  s.close(a);
  s.dropped(a, 'port-closed');
  s.dropped(b, 'port-shipped', { fromContext: top, stack: 'at x (a.js:1:1)' });
  s.window(null, top, { sentAt: null, origin: 'http://localhost:8080', originRead: false });
  return s;
}

describe('RULES and runAudit', () => {
  it('lists every rule of the issue, each with a severity, a title, a spec section and an explanation', () => {
    expect(RULES.map((r) => r.id)).toEqual(IDS);
    for (const r of RULES) {
      expect(['info', 'warning', 'error']).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.spec).toMatch(/^https:\/\/html\.spec\.whatwg\.org\/multipage\/[a-z-]+\.html#[a-z-]+$/);
      expect(r.explanation.length).toBeGreaterThan(150);
    }
  });

  it('lists findings by rule, then by first message, the same on every run', () => {
    const snap = messy().build();
    const one = runAudit(snap);
    expect(one.map((f) => [f.rule, f.messageIds])).toEqual([
      ['post-on-shipped-port', [2, 5]],
      ['post-on-closed-port', [4]],
      ['port-leak', []],
      ['wildcard-target-origin', [3]],
      ['origin-not-checked', [6]],
    ]);
    expect(runAudit(structuredClone(snap))).toEqual(one);
    for (const f of one) {
      expect(f.count).toBeGreaterThan(0);
      expect(f.explanation).toBe(RULES.find((r) => r.id === f.rule)!.explanation);
      expect(new Set(f.stacks).size).toBe(f.stacks.length);
      expect(f.contextIds).toEqual([...f.contextIds].sort((x, y) => x - y));
    }
  });

  it('does not change the snapshot', () => {
    const snap = messy().build();
    const before = structuredClone(snap);
    runAudit(snap);
    expect(snap).toEqual(before);
  });

  it('an empty snapshot has no findings', () => {
    expect(runAudit(new Snap().build())).toEqual([]);
  });
});

describe('rules that need evidence a recording may not hold', () => {
  const windowRules = ['target-origin-mismatch', 'wildcard-target-origin'];

  it('every rule that needs window sends says so, and only those', () => {
    expect(RULES.filter((r) => r.needs?.includes('window-sends')).map((r) => r.id)).toEqual(windowRules);
  });

  it('a recording without window sends (delivery-only window messages) cannot judge them', () => {
    const delivered = [
      { via: 'window' as const, sentAt: null, targetOrigin: null },
      { via: 'window' as const, sentAt: 4, targetOrigin: null },
      { via: 'port' as const, sentAt: 5, targetOrigin: null },
    ];
    const list = notJudged(RULES, delivered);
    expect(list.map((n) => n.rule)).toEqual(windowRules);
    expect(notJudgedLine(list)).toMatch(/^Not judged on this recording: target-origin-mismatch, wildcard-target-origin \(this recording has no window\.postMessage sends/);
  });

  it('the statement goes away by itself once a recording carries a window send', () => {
    const withSend = [
      { via: 'window' as const, sentAt: null, targetOrigin: null },
      { via: 'window' as const, sentAt: 12, targetOrigin: 'https://a.example' },
    ];
    expect(evidenceOf(withSend)).toEqual(new Set(['window-sends']));
    expect(notJudged(RULES, withSend)).toEqual([]);
    expect(notJudgedLine([])).toBeNull();
  });
});

describe('a trace recorded in real browsers (test/fixtures)', () => {
  it('holds no window send, so it reports both window-send rules as not judged', async () => {
    const { readFileSync } = await import('node:fs');
    const { importTrace } = await import('../../../src/trace');
    for (const engine of ['chromium', 'firefox']) {
      const doc = importTrace(readFileSync(new URL(`../../fixtures/decoders-${engine}.trace.json`, import.meta.url), 'utf8'));
      expect(doc.messages.some((m) => m.via === 'window'), `${engine}: the trace has window messages`).toBe(true);
      expect(notJudged(RULES, doc.messages).map((n) => n.rule), engine).toEqual(['target-origin-mismatch', 'wildcard-target-origin']);
    }
  });
});
