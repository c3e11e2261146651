import { useI18n } from '../i18n/I18nProvider';
import { failureMessage } from './booking-errors';
import type { Loaded } from '../ui/useLoad';

/** "Loading …" while a read runs, its failure in words with "try again" after. */
export function LoadStatus({ state, onRetry }: { state: Loaded<unknown>; onRetry(): void }) {
  const { t } = useI18n();
  if (state.kind === 'loading') return <p role="status">{t('common.loading')}</p>;
  if (state.kind === 'ok') return null;
  return (
    <div className="booking-failure">
      <p className="vdx-error" role="alert">
        {t(failureMessage(state.error, 'load'))}
      </p>
      <button type="button" className="vdx-button" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  );
}
