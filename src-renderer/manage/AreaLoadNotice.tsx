import type { Translate } from './fleet-format';
import type { Loaded } from '../ui/useLoad';
import { fleetErrorMessage } from './manage-messages';

/**
 * What a management area shows while its main read is under way ("Indlæser …") or after it failed
 * (the reason in Danish, announced as an alert); nothing once the data is there.
 */
export function AreaLoadNotice({ state, t, failure }: { state: Loaded<unknown>; t: Translate; failure?: (error: unknown) => string | undefined }) {
  if (state.kind === 'loading') return <p className="vdx-hint">{t('common.loading')}</p>;
  if (state.kind === 'failed') {
    return (
      <p className="vdx-error" role="alert">
        {failure?.(state.error) ?? fleetErrorMessage(state.error, t)}
      </p>
    );
  }
  return null;
}
