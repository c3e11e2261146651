import { useEffect, useRef, type RefObject } from 'react';
import type { MessageKey } from '../i18n/translate';
import type { Loaded } from '../ui/useLoad';
import { ManageApiError } from './manage-api';

/**
 * What every management area does with its main read: once the data is first there, the focus
 * moves to the area's heading (keyboard and screen-reader users land where the content changed);
 * a read refused with 401/403 ends the session (or, for a person, says they lack access).
 */
export function useAreaLoad(state: Loaded<unknown>, heading: RefObject<HTMLElement | null>, onSessionEnd: (why: MessageKey) => void): void {
  const endRef = useRef(onSessionEnd);
  endRef.current = onSessionEnd;
  const loaded = state.kind === 'ok';
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded, heading]);
  useEffect(() => {
    if (state.kind !== 'failed') return;
    const err = state.error;
    if (err instanceof ManageApiError && (err.kind === 'expired' || err.kind === 'forbidden')) {
      endRef.current(err.kind === 'expired' ? 'manage.error.expired' : 'manage.error.forbidden');
    }
  }, [state]);
}
