// Small Preact hooks shared by the views.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { PanelState, Store } from './store';

/** Re-renders on store changes, at most once per animation frame (live traffic comes in bursts). */
export function useStore(store: Store): PanelState {
  const [, setVersion] = useState(0);
  useEffect(() => {
    let pending = 0;
    const unsubscribe = store.subscribe(() => {
      if (pending) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        setVersion(store.state.version);
      });
    });
    return () => {
      unsubscribe();
      if (pending) cancelAnimationFrame(pending);
    };
  }, [store]);
  return store.state;
}

/** The content-box size of an element, kept current with a ResizeObserver. */
export function useSize<T extends HTMLElement>(): [preact.RefObject<T>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    read();
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}
