import { useCallback, useEffect, useState, type DependencyList } from 'react';

/** The state of one read from the server. */
export type Loaded<T> = { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'failed'; error: unknown };

/**
 * Runs `load` when `deps` change (and on `reload()`), keeping only the latest answer: a slow
 * earlier request never overwrites a newer one.
 */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): { state: Loaded<T>; reload(): void } {
  const [state, setState] = useState<Loaded<T>>({ kind: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => (s.kind === 'ok' ? s : { kind: 'loading' }));
    load().then(
      (value) => current && setState({ kind: 'ok', value }),
      (error: unknown) => current && setState({ kind: 'failed', error }),
    );
    return () => {
      current = false;
    };
    // The caller names what the load depends on.
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { state, reload };
}
