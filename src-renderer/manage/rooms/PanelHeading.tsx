import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/I18nProvider';

/**
 * A room panel's heading with its close button. The heading takes the focus when the panel
 * opens, so keyboard and screen-reader users start where the panel begins.
 */
export function PanelHeading({ id, title, closeTestId, onClose }: { id: string; title: string; closeTestId: string; onClose(): void }) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="manage-panel-head">
      <h3 id={id} ref={heading} tabIndex={-1}>
        {title}
      </h3>
      <button type="button" className="vdx-button" data-testid={closeTestId} onClick={onClose}>
        {t('common.close')}
      </button>
    </div>
  );
}
