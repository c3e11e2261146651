import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';

/**
 * Copies `text` to the clipboard and says so (in a live region, for screen readers too). Where the
 * Clipboard API is refused (an insecure origin, a denied permission) it says that instead, so the
 * person knows to select the text themselves.
 */
export function CopyButton({ text, label, visibleLabel, testId }: { text: string; label: string; visibleLabel?: string; testId?: string }) {
  const { t } = useI18n();
  const [result, setResult] = useState<'copied' | 'failed'>();
  useEffect(() => {
    if (!result) return;
    const timer = setTimeout(() => setResult(undefined), 4000);
    return () => clearTimeout(timer);
  }, [result]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setResult('copied');
    } catch {
      setResult('failed');
    }
  };
  return (
    <>
      <button type="button" className={visibleLabel ? 'vdx-button' : 'vdx-button booking-copy'} aria-label={visibleLabel ? undefined : label} onClick={() => void copy()} data-testid={testId}>
        {visibleLabel ?? t('booking.copy.short')}
      </button>
      <span role="status" className="booking-copy-result">
        {result === 'copied' ? t('booking.copy.done') : result === 'failed' ? t('booking.copy.failed') : ''}
      </span>
    </>
  );
}
