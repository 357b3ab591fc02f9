// What the receiver got, as a tree that opens on click or with the keyboard (Enter, Right,
// Left, Up, Down). Rows come from panels/model/payload-tree.ts; every text is a text node,
// so markup in a payload is shown, never interpreted.
import { useMemo, useRef, useState } from 'preact/hooks';
import type { Sample } from '../src/protocol/sample';
import { msg } from './i18n';
import { ROOT, toggle, treeKey, treeRows, type TreeState } from './model/payload-tree';

interface Props {
  sample: Sample;
  /** The message's preview: the closed root reads as it. */
  preview: string | null;
}

export function PayloadTree({ sample, preview }: Props) {
  const [state, setState] = useState<TreeState>({ open: new Set(), focus: ROOT });
  const rows = useMemo(() => treeRows(sample, state.open, preview ?? undefined), [sample, state.open, preview]);
  const box = useRef<HTMLDivElement>(null);
  const move = (next: TreeState) => {
    setState(next);
    // Keep the keyboard focus on the focused row once it is rendered.
    queueMicrotask(() => (box.current?.querySelector(`[data-node="${next.focus}"]`) as HTMLElement | null)?.focus());
  };
  return (
    <div
      class="payload payload-tree"
      role="tree"
      aria-label={msg('dtPayload')}
      data-testid="payload"
      ref={box}
      onKeyDown={(e) => {
        const next = treeKey(state, e.key, rows);
        if (!next) return;
        e.preventDefault();
        move(next);
      }}
    >
      {rows.map((r) => (
        <div
          key={r.id}
          class={`tree-row${r.more ? ' tree-more' : ''}`}
          role="treeitem"
          data-node={r.id}
          aria-level={r.level + 1}
          aria-expanded={r.expandable ? r.expanded : undefined}
          tabIndex={r.id === state.focus ? 0 : -1}
          style={{ paddingLeft: `${r.level * 14}px` }}
          onClick={() => move(toggle(state, r.id, rows))}
        >
          <span class="tree-twisty" aria-hidden="true">
            {r.expandable ? (r.expanded ? '▾' : '▸') : ''}
          </span>
          {r.label !== null && (
            <span class="tree-key">
              {r.label}
              {r.sep}
            </span>
          )}
          <span class={`tree-value v-${r.cls}`}>{r.text}</span>
          {r.note !== null && <span class="tree-note"> ({r.note})</span>}
        </div>
      ))}
    </div>
  );
}
