// A decoded call (src/decode): its badged one-line label for the Messages table, and its
// section in Details, with the message that pairs with it and the latency of the pair.
import { PAIRING_MAX, PAIRING_SKEW_MS } from '../src/decode/pairing';
import type { CallRole } from '../src/protocol/enums';
import type { CallRecord, MessageRecord } from '../src/protocol/session';
import { messageById, type Dataset } from './model/dataset';
import { ms } from './model/format';
import { selectMessage } from './model/selection';
import { fmt, msg } from './i18n';
import type { Store } from './store';

export function CallLabel({ call }: { call: CallRecord }) {
  return (
    <>
      <span class={`proto-badge proto-${call.protocol}`}>{call.protocol}</span> <span class={`call-role role-${call.role}`}>{call.label}</span>
    </>
  );
}

/** A call's role in the UI language (the badge keeps the protocol's own name). */
function roleName(role: CallRole): string {
  switch (role) {
    case 'request':
      return msg('dtCallRole_request');
    case 'response':
      return msg('dtCallRole_response');
    case 'notification':
      return msg('dtCallRole_notification');
    case 'handshake':
      return msg('dtCallRole_handshake');
    default:
      return msg('dtCallRole_event');
  }
}

export function CallDetails({ m, data, store }: { m: MessageRecord; data: Dataset; store: Store }) {
  const call = m.call;
  if (!call) return null;
  const other = call.pairedWith === null ? undefined : messageById(data, call.pairedWith);
  const otherName = call.role === 'request' ? msg('dtCallReply') : msg('dtCallRequest');
  return (
    <>
      <h4>{msg('dtCall')}</h4>
      <dl data-testid="call">
        <dt>{msg('dtCallProtocol')}</dt>
        <dd>
          <span class={`proto-badge proto-${call.protocol}`}>{call.protocol}</span> {roleName(call.role)}
        </dd>
        <dt>{msg('dtCall')}</dt>
        <dd class="mono">{call.label}</dd>
        {call.id !== null && (
          <>
            <dt>{msg('dtCallId')}</dt>
            <dd class="mono">{call.id}</dd>
          </>
        )}
        {(call.role === 'request' || call.role === 'response') && (
          <>
            <dt>{otherName}</dt>
            <dd>
              {call.pairedWith === null ? (
                <span class="dim">{call.role === 'request' ? msg('dtCallNoReplyYet') : msg('dtCallNoRequest')}</span>
              ) : other ? (
                <button class="link" data-testid="call-pair" onClick={() => store.select(selectMessage(other))}>
                  {msg('dtCallMessage', other.id)}
                  {other.call ? ` · ${other.call.label}` : ''}
                </button>
              ) : (
                <span>{msg('dtCallMessageGone', call.pairedWith)}</span>
              )}
            </dd>
            {call.pairedWith === null && call.unpaired && (
              <>
                <dt>{msg('dtCallWhy')}</dt>
                <dd data-testid="call-unpaired" data-unpaired={call.unpaired}>
                  {unpairedWhy(call)}
                </dd>
              </>
            )}
            <dt>{msg('dtCallLatency')}</dt>
            <dd>{call.latencyMs === null ? <span class="dim">—</span> : <b>{ms(call.latencyMs)}</b>}</dd>
          </>
        )}
      </dl>
    </>
  );
}

/** Why a request or response has no pair (CallRecord.unpaired), in the UI language. */
function unpairedWhy(call: CallRecord): string {
  switch (call.unpaired) {
    case 'direction-unknown':
      return msg('dtCallUnpaired_directionUnknown');
    case 'ambiguous':
      return msg('dtCallUnpaired_ambiguous', `${fmt.number(PAIRING_SKEW_MS)} ms`);
    case 'no-scope':
      return msg('dtCallUnpaired_noScope');
    case 'forgotten':
      return msg('dtCallUnpaired_forgotten', fmt.number(PAIRING_MAX));
    default:
      return call.role === 'request' ? msg('dtCallUnpaired_unseen_request') : msg('dtCallUnpaired_unseen_response');
  }
}
