// "Store as global variable" in Details: a message's payload, a port it carried, or a port of
// the Topology goes into the inspected page as the next tempN, for the Console. The panel says
// whether the page got its own object or a copy rebuilt from the recording.
import { useState } from 'preact/hooks';
import type { StoreWhat } from '../src/protocol/messages';
import { parseSample } from '../src/protocol/sample';
import type { MessageRecord } from '../src/protocol/session';
import { formatSample, parseLiteral, sampleGaps } from '../src/replay/literal';
import { T } from './debug-strings';
import { msg } from './i18n';
import type { Store } from './store';

/** The payload as the receiver got it, rebuilt from the recording; or why it cannot be. */
export function payloadCopy(m: MessageRecord): { value: unknown } | { why: string } {
  const s = parseSample(m.sample);
  if (s === undefined) return { why: msg('storeWhyNotRecorded') };
  const gaps = sampleGaps(s);
  if (gaps.length) return { why: msg('storeWhyPartial', gaps.join(msg('listSeparator'))) };
  const v = parseLiteral(formatSample(s));
  return v.ok ? { value: v.value } : { why: v.error.message };
}

export function StoreGlobalButton({ store, what, label, testid }: { store: Store; what: () => StoreWhat | string; label: string; testid: string }) {
  const [req, setReq] = useState<number | null>(null);
  const [why, setWhy] = useState<string | null>(null);
  const out = req !== null ? store.stored.get(req) : undefined;
  return (
    <div class="store-global">
      <button
        class="link"
        data-testid={testid}
        onClick={() => {
          const w = what();
          if (typeof w === 'string') return setWhy(w);
          setWhy(null);
          setReq(store.storeGlobal(w));
        }}
      >
        {label}
      </button>
      {why !== null ? (
        <p class="dim" data-testid={`${testid}-result`}>
          {T.storeFailed(why)}
        </p>
      ) : req !== null ? (
        <p class={out && !out.ok ? 'outcome-error' : 'dim'} data-testid={`${testid}-result`} data-stored-name={out?.ok ? out.name : undefined} data-stored-real={out?.ok ? String(out.real) : undefined}>
          {!out ? T.storing : out.ok ? (out.real ? T.storedReal(out.name, out.where) : T.storedCopy(out.name, out.where)) : T.storeFailed(out.error)}
        </p>
      ) : null}
    </div>
  );
}
