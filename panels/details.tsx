// The Details sidebar for what is picked: a message (delay, payload, transfers, stack), a
// port (state and moves), a context, or a finding (explanation, spec, stacks, ids).
import type { ContextRecord, MessageRecord, PortRecord } from '../src/protocol/session';
import type { Host } from './host';
import { CallDetails } from './call';
import { indexOf, messageById, type Dataset } from './model/dataset';
import { canOpen, delayParts, findingView, identityWhy, insideNote, neuteredText, parseStack } from './model/details';
import { bytes, contextName, ms, outcomeText, outcomeTitle, relTime, startTime } from './model/format';
import { selectContext, selectMessage, selectPort } from './model/selection';
import { partnerGoneWith, portPath } from './model/topology';
import { listenerCounts } from '../src/aggregate/listeners';
import { Replay } from './replay';
import { StoreGlobalButton, payloadCopy } from './store-global';
import { T } from './debug-strings';
import { fmt, msg } from './i18n';
import { PayloadTree } from './payload-tree';
import { parseSample } from '../src/protocol/sample';
import type { PanelState, Store } from './store';

interface Props {
  store: Store;
  state: PanelState;
  data: Dataset;
  host: Host;
}

export function Details({ store, state, data, host }: Props) {
  const f = state.selection.focus;
  let body;
  if (!f) body = <p class="dim pad">{msg('dtSelect')}</p>;
  else if (f.kind === 'message') {
    const m = messageById(data, f.id);
    body = m ? <MessageDetails m={m} store={store} data={data} host={host} live={state.hasLive && !state.trace} /> : <Gone text={msg('dtGoneMessage', f.id)} />;
  } else if (f.kind === 'port') {
    const p = data.ports.get(f.id);
    body = p ? <PortDetails p={p} store={store} data={data} live={state.hasLive && !state.trace} /> : <Gone text={msg('dtGonePort', f.id)} />;
  } else if (f.kind === 'context') {
    const c = data.contexts.get(f.id);
    body = c ? <ContextDetails c={c} store={store} data={data} /> : <Gone text={msg('dtGoneContext', f.id)} />;
  } else {
    const fd = data.findings[f.index];
    body = fd && fd.rule === f.rule ? <FindingDetails fd={fd} store={store} data={data} host={host} /> : <Gone text={msg('dtGoneFinding')} />;
  }
  return (
    <aside class="details" aria-label={msg('dtAria')} data-testid="details">
      {body}
    </aside>
  );
}

function Gone({ text }: { text: string }) {
  return <p class="dim pad">{text}</p>;
}

function Field({ k, children }: { k: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{k}</dt>
      <dd>{children}</dd>
    </>
  );
}

function CtxLink({ id, data, store }: { id: number | null; data: Dataset; store: Store }) {
  if (id === null) return <span class="dim">{msg('dtUnknown')}</span>;
  return (
    <button class="link" onClick={() => store.select(selectContext(id))} title={data.contexts.get(id)?.url}>
      {contextName(data, id)}
    </button>
  );
}

function PortLink({ id, data, store }: { id: number | null; data: Dataset; store: Store }) {
  if (id === null) return <span class="dim">—</span>;
  const p = data.ports.get(id);
  return p ? (
    <button class="link" onClick={() => store.select(selectPort(p))}>
      {msg('tpPort', id)}
    </button>
  ) : (
    <span>{msg('tpPort', id)}</span>
  );
}

function MsgLink({ id, data, store }: { id: number | null; data: Dataset; store: Store }) {
  if (id === null) return <span class="dim">—</span>;
  const m = messageById(data, id);
  return m ? (
    <button class="link" onClick={() => store.select(selectMessage(m))}>
      {msg('dtMessageLink', id)}
    </button>
  ) : (
    <span>{msg('dtMessageLink', id)}</span>
  );
}

function MessageDetails({ m, store, data, host, live }: { m: MessageRecord; store: Store; data: Dataset; host: Host; live: boolean }) {
  const t0 = startTime(data);
  const delay = delayParts(m);
  // Traces from before samples, and messageerror events, have the preview only.
  const sample = parseSample(m.sample);
  // Sent to a worker that is not recorded inside: its delivery cannot be seen, and Details says why.
  const inside = m.deliveredAt === null && m.outcome.status === 'sent' && m.toContext !== null ? data.contexts.get(m.toContext)?.inside : undefined;
  const outOfSight = inside && !inside.recorded ? inside : null;
  return (
    <div class="pad" data-details-message={m.id}>
      <h3>
        {msg('dtMessageTitle', m.id)} <span class="dim">· {m.via}{m.type === 'messageerror' ? ' · messageerror' : ''}</span>
      </h3>
      <dl>
        <Field k={msg('dtFrom')}>
          <CtxLink id={m.fromContext} data={data} store={store} /> {m.fromPort !== null && <PortLink id={m.fromPort} data={data} store={store} />}
        </Field>
        <Field k={msg('dtTo')}>
          <CtxLink id={m.toContext} data={data} store={store} /> {m.toPort !== null && <PortLink id={m.toPort} data={data} store={store} />}
        </Field>
        <Field k={msg('dtOutcome')}>
          <span class={`outcome-${m.outcome.status}`} title={outcomeTitle(m)}>
            {outcomeText(m)}
          </span>
          {outOfSight && (
            <div class="dim" data-delivery-out-of-sight={outOfSight.why}>
              {msg('dtOutcomeOutOfSight', insideNote(outOfSight))}
            </div>
          )}
        </Field>
        <Field k={msg('dtSent')}>{relTime(m.sentAt, t0)}</Field>
        <Field k={msg('dtDelivered')}>{relTime(m.deliveredAt, t0)}</Field>
        {m.targetOrigin !== null && <Field k="targetOrigin">{m.targetOrigin}</Field>}
        {m.origin !== null && <Field k="event.origin">{m.origin}</Field>}
        {m.listeners !== null && <Field k={msg('dtListeners')}>{fmt.number(m.listeners)}</Field>}
        {m.bytes !== null && <Field k={msg('dtSize')}>{bytes(m.bytes)}</Field>}
        {m.replayOf != null && (
          <Field k={msg('dtReplayOf')}>
            <MsgLink id={m.replayOf} data={data} store={store} /> <span class="dim">{msg('dtPostedFromPanel')}</span>
          </Field>
        )}
      </dl>
      <CallDetails m={m} data={data} store={store} />
      {live && m.type === 'message' && (
        <>
          <StoreGlobalButton
            key={`payload-${m.id}`}
            store={store}
            testid="store-payload"
            label={T.storeGlobal}
            what={() => {
              const c = payloadCopy(m);
              return 'why' in c ? c.why : { kind: 'payload', message: m.id, value: c.value };
            }}
          />
          {m.transfer.map((t, i) =>
            t.kind === 'MessagePort' && t.id !== null ? <StoreGlobalButton key={`transfer-${m.id}-${i}`} store={store} testid={`store-transfer-${i}`} label={T.storeTransfer(i)} what={() => ({ kind: 'port', port: t.id! })} /> : null,
          )}
        </>
      )}
      <h4>{msg('dtReplay')}</h4>
      <Replay key={m.id} m={m} store={store} data={data} live={live} />
      <h4>{msg('dtDelay')}</h4>
      {delay.total === null ? (
        <p class="dim">{msg('dtNoDelay')}</p>
      ) : (
        <div class="delay">
          {delay.parts.map((p, i) => (
            <div class="delay-row">
              <span class={`delay-bar part-${i}`} style={{ width: `${delay.total ? Math.max(2, (p.ms / delay.total) * 100) : 2}%` }} />
              <span>
                {p.label}: <b>{ms(p.ms)}</b>
              </span>
            </div>
          ))}
          <div class="dim">{msg('dtTotal', ms(delay.total))}</div>
        </div>
      )}
      <h4>{msg('dtPayload')}</h4>
      {/* Rendered as a text node: markup in a payload is shown, never interpreted. */}
      {sample !== undefined ? (
        <PayloadTree key={m.id} sample={sample} preview={m.preview} />
      ) : m.preview === null ? (
        <p class="dim">{msg('dtNoPreview')}</p>
      ) : (
        <pre class="payload" data-testid="payload">{m.preview}</pre>
      )}
      <h4>{msg('dtTransfer')}</h4>
      {m.transfer.length === 0 ? (
        <p class="dim">{msg('dtNothingTransferred')}</p>
      ) : (
        <ul class="transfers">
          {m.transfer.map((t) => (
            <li>
              <b>{t.kind}</b> {t.kind === 'MessagePort' ? <PortLink id={t.id} data={data} store={store} /> : t.bytes !== null ? `${bytes(t.bytes)}` : ''}
              <div class="dim">{neuteredText(t)}</div>
            </li>
          ))}
        </ul>
      )}
      <h4>{msg('dtSendStack')}</h4>
      <Stack text={m.stack} host={host} />
    </div>
  );
}

export function Stack({ text, host }: { text: string | null; host: Host }) {
  const frames = parseStack(text);
  if (!frames.length) return <p class="dim">{msg('dtNoStack')}</p>;
  return (
    <ol class="stack">
      {frames.map((f) => (
        <li>
          <span class="fn">{f.fn}</span>{' '}
          {f.url !== null && host.openResource && canOpen(f) ? (
            <button class="link" title={msg('dtOpenInSources')} onClick={() => host.openResource!(f.url!, f.line ?? 1)}>
              {shortName(f.url)}:{f.line}
            </button>
          ) : f.url !== null ? (
            <span class="dim">
              {shortName(f.url)}:{f.line}
            </span>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

function shortName(url: string): string {
  const clean = url.split(/[?#]/)[0];
  return clean.slice(clean.lastIndexOf('/') + 1) || url;
}

function portState(p: PortRecord): string {
  if (p.lostIn !== null) return msg('dtPortLost');
  if (p.closed) return msg('dtPortClosed');
  const parts = [p.started ? msg('dtPortStarted') : p.stateKnown === 'unknown' ? msg('dtPortNotSeenStarted') : msg('dtPortNotStarted')];
  if (p.stateKnown === 'reported') parts.push(msg('dtPortReported'));
  if (p.shipped) parts.push(msg('dtPortShipped'));
  return parts.join(msg('listSeparator'));
}

function PortDetails({ p, store, data, live }: { p: PortRecord; store: Store; data: Dataset; live: boolean }) {
  const t0 = startTime(data);
  const path = portPath(p);
  // Counted by the message index as deltas arrive, not by a pass over every message per frame.
  const { sent, received } = indexOf(data).ports.get(p.id) ?? { sent: 0, received: 0 };
  const gone = partnerGoneWith(data, p);
  return (
    <div class="pad" data-details-port={p.id}>
      <h3>{msg('dtPortTitle', p.id)}</h3>
      <dl>
        <Field k={msg('dtChannel')}>{p.channelId === null ? <span class="dim">{msg('dtBirthNotSeen')}</span> : msg('tpChannel', p.channelId)}</Field>
        <Field k={msg('dtEntangledWith')}>
          <PortLink id={p.entangledWith} data={data} store={store} />
        </Field>
        {gone && (
          <Field k={msg('dtPartner')}>
            <span class="partner-gone-note" data-partner-gone={gone.id}>
              {msg('dtWentAwayWith')} <CtxLink id={gone.id} data={data} store={store} /> {msg('dtWentAwayRest')}
            </span>
          </Field>
        )}
        {p.identity && (
          <Field k={msg('dtIdentity')}>
            <span class="identity-unknown" data-candidates={p.identity.candidates.join(' ')}>
              {msg('dtUnknown')}{p.identity.candidates.length > 0 && <> {msg('dtMayBe')} {p.identity.candidates.map((c, i) => <>{i > 0 && msg('tpOr')}<PortLink id={c} data={data} store={store} /></>)}</>} ({identityWhy(p.identity)})
            </span>
          </Field>
        )}
        <Field k={msg('dtState')}>{portState(p)}</Field>
        <Field k={msg('dtCreated')}>
          {relTime(p.createdAt, t0)} {p.createdIn !== null && <>{msg('dtIn')} <CtxLink id={p.createdIn} data={data} store={store} /></>}
        </Field>
        {p.closedAt !== null && <Field k={msg('dtClosed')}>{relTime(p.closedAt, t0)}</Field>}
        {/* The inventory counts on* handlers too; a trace without one has the session's addEventListener count. */}
        <Field k={msg('dtListeners')}>{fmt.number(data.listeners.size > 0 ? (listenerCounts(data.listeners.values()).byPort.get(p.id) ?? 0) : p.listeners)}</Field>
        <Field k={msg('dtMessages')}>
          {msg('dtSentReceived', fmt.number(sent), fmt.number(received))}
        </Field>
      </dl>
      <h4>{msg('dtMoves')}</h4>
      <ol class="path">
        {path.steps.map((s) => (
          <li>
            <CtxLink id={s.contextId} data={data} store={store} /> <span class="dim">{msg('dtAt', relTime(s.since, t0))}</span>
            {s.messageId !== null && (
              <>
                {' '}
                <span class="dim">{msg('dtCarriedBy')}</span> <MsgLink id={s.messageId} data={data} store={store} />
              </>
            )}
          </li>
        ))}
        {path.lostIn !== null && (
          <li class="outcome-dropped">
            {msg('dtLostWith')} <MsgLink id={path.lostIn} data={data} store={store} />
          </li>
        )}
      </ol>
      <p>
        <button class="link" onClick={() => (store.setFilter({ channel: p.channelId }), store.setView('messages'))} disabled={p.channelId === null}>
          {msg('dtShowChannel')}
        </button>
      </p>
      {live && !p.closed && <StoreGlobalButton key={`port-${p.id}`} store={store} testid="store-port" label={T.storePort} what={() => ({ kind: 'port', port: p.id })} />}
    </div>
  );
}

function ContextDetails({ c, store, data }: { c: ContextRecord; store: Store; data: Dataset }) {
  const t0 = startTime(data);
  const held = [...data.ports.values()].filter((p) => p.holders.length && p.holders[p.holders.length - 1].contextId === c.id);
  return (
    <div class="pad" data-details-context={c.id}>
      <h3>{c.kind === 'window' ? (c.top ? msg('dtTopFrame') : msg('dtFrame')) : c.kind}</h3>
      <dl>
        <Field k={msg('dtUrl')}>
          <span class="wrap">{c.url}</span>
        </Field>
        <Field k={msg('dtOrigin')}>{c.origin || msg('dtOpaque')}</Field>
        <Field k={msg('dtParent')}>
          <CtxLink id={c.parentId} data={data} store={store} />
        </Field>
        {c.frameId !== null && <Field k={msg('dtFrameId')}>{c.frameId}</Field>}
        {c.inside && (
          <Field k={msg('dtInside')}>
            <span data-details-inside={c.inside.recorded ? 'recorded' : c.inside.why}>{c.inside.recorded ? msg('dtInsideRecorded') : insideNote(c.inside)}</span>
          </Field>
        )}
        <Field k={msg('dtSeenFrom')}>{relTime(c.createdAt, t0)}</Field>
        {c.endedAt !== null && <Field k={msg('dtReplacedAt')}>{relTime(c.endedAt, t0)}</Field>}
        <Field k={msg('dtPortsHeld')}>
          {held.length === 0 ? <span class="dim">{msg('dtNone')}</span> : held.map((p) => <PortLink id={p.id} data={data} store={store} />)}
        </Field>
      </dl>
      <p>
        <button class="link" onClick={() => (store.setFilter({ context: c.id }), store.setView('messages'))}>
          {msg('dtShowIts')}
        </button>
      </p>
    </div>
  );
}

function FindingDetails({ fd, store, data, host }: { fd: import('../src/protocol/session').FindingRecord; store: Store; data: Dataset; host: Host }) {
  const v = findingView(fd);
  return (
    <div class="pad" data-details-finding={v.rule}>
      <h3>
        <span class={`sev sev-${v.severity}`} /> {v.title}
      </h3>
      <p class="dim mono">{v.rule}</p>
      <p>{v.message}</p>
      {v.explanation && <p class="explanation">{v.explanation}</p>}
      {v.spec && (
        <p>
          {msg('dtStandard')}{' '}
          {/^https:\/\//.test(v.spec) ? (
            <a href={v.spec} target="_blank" rel="noreferrer noopener">
              {v.spec}
            </a>
          ) : (
            v.spec
          )}
        </p>
      )}
      <h4>{msg('dtMessages')}</h4>
      <p>{v.messageIds.length === 0 ? <span class="dim">{msg('dtNone')}</span> : v.messageIds.slice(0, 50).map((id) => <MsgLink id={id} data={data} store={store} />)}</p>
      {v.contextIds.length > 0 && (
        <>
          <h4>{msg('dtContexts')}</h4>
          <p>
            {v.contextIds.map((id) => (
              <CtxLink id={id} data={data} store={store} />
            ))}
          </p>
        </>
      )}
      <h4>{msg('dtPorts')}</h4>
      <p>{v.portIds.length === 0 ? <span class="dim">{msg('dtNone')}</span> : v.portIds.slice(0, 50).map((id) => <PortLink id={id} data={data} store={store} />)}</p>
      {v.stacks.length > 0 && (
        <>
          <h4>{msg('dtCode')}</h4>
          {v.stacks.map((s) => (
            <Stack text={s} host={host} />
          ))}
        </>
      )}
      <p>
        <button class="link" onClick={() => (store.setFilter({ rule: v.rule }), store.setView('messages'))}>
          {msg('dtShowRule')}
        </button>
      </p>
    </div>
  );
}
