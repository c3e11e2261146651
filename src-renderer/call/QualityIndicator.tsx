import { useI18n } from '../i18n/I18nProvider';
import type { CallQuality } from './call-quality';

const dash = (v: number | string | undefined) => (v === undefined ? '–' : String(v));

/** Coloured bars plus text; the details line carries the raw figures for support calls. */
export function QualityIndicator({ quality }: { quality: CallQuality | undefined }) {
  const { t } = useI18n();
  const level = quality?.level ?? 'unknown';
  const details = quality
    ? t('call.quality.details', {
        loss: dash(quality.packetLossPercent),
        jitter: dash(quality.jitterMs),
        in: dash(quality.bitrateInKbps),
        out: dash(quality.bitrateOutKbps),
        resolution: dash(quality.resolutionIn),
        fps: dash(quality.fpsIn),
      })
    : '';
  return (
    <div className={`call-quality ${level}`} data-testid="call-quality" data-level={level} title={details} role="status">
      <span className="bars" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      <span className="call-quality-text">{t(`call.quality.${level}`)}</span>
      <span className="vdx-sr-only">{details}</span>
    </div>
  );
}
