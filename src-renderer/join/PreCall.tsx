import { useEffect, useRef, useState, type FormEvent } from 'react';
import { DeviceSettings } from '../call/DeviceSettings';
import { loadDeviceChoice, openLocalMedia, saveDeviceChoice, stopStream, watchMicrophoneLevel, type DeviceChoice, type LocalMediaResult } from '../call/media-devices';
import { useI18n } from '../i18n/I18nProvider';
import { LevelMeter } from '../ui/LevelMeter';
import { TextField } from '../ui/TextField';
import { VideoTile } from '../ui/VideoTile';

const NAME_KEY = 'vdx.displayName';

function rememberedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Before joining: the guest's name, a camera preview and a microphone test with a level meter,
 * and device choice. Hands the open stream to `onJoin` (the call keeps using it).
 */
export function PreCall({ initialName, onJoin }: { initialName?: string; onJoin(name: string, stream: MediaStream | undefined): void }) {
  const { t } = useI18n();
  const [name, setName] = useState(initialName ?? rememberedName());
  const [nameError, setNameError] = useState(false);
  const [choice, setChoice] = useState<DeviceChoice>(() => loadDeviceChoice());
  const [media, setMedia] = useState<LocalMediaResult>();
  const [level, setLevel] = useState(0);
  const handedOver = useRef(false);

  useEffect(() => {
    let alive = true;
    let opened: MediaStream | undefined;
    void openLocalMedia(choice).then((result) => {
      if (!alive) {
        if (result.kind === 'ok') stopStream(result.stream);
        return;
      }
      if (result.kind === 'ok') opened = result.stream;
      setMedia(result);
    });
    return () => {
      alive = false;
      if (!handedOver.current) stopStream(opened);
    };
  }, [choice]);

  const stream = media?.kind === 'ok' ? media.stream : undefined;
  useEffect(() => (stream ? watchMicrophoneLevel(stream, setLevel) : undefined), [stream]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Camera and microphone still opening: joining now would join without media.
    if (media === undefined) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError(true);
      return;
    }
    try {
      localStorage.setItem(NAME_KEY, trimmed);
    } catch {
      // Not remembered next time; harmless.
    }
    handedOver.current = true;
    onJoin(trimmed, stream);
  };

  return (
    <form className="precall" onSubmit={submit} noValidate data-testid="precall">
      <div className="precall-preview">
        <VideoTile stream={stream} muted mirror label={t('join.preview')} testId="preview-video" />
        <div className="vdx-field precall-meter">
          <span className="vdx-label" id="mic-level-label">
            {t('join.micLevel')}
          </span>
          <LevelMeter level={level} label={t('join.micLevel')} />
          <p className="vdx-hint">{t('join.micTestHint')}</p>
        </div>
        {media?.kind === 'denied' ? <p className="vdx-error" role="alert">{t('join.mediaDenied')}</p> : null}
        {media?.kind === 'unavailable' ? <p className="vdx-error" role="alert">{t('join.mediaUnavailable', { message: media.message })}</p> : null}
      </div>
      <div className="precall-form">
        <TextField
          id="display-name"
          label={t('join.name')}
          error={nameError ? t('join.nameRequired') : undefined}
          errorId="name-error"
          autoComplete="name"
          maxLength={80}
          value={name}
          placeholder={t('join.namePlaceholder')}
          onChange={(e) => {
            setName(e.target.value);
            setNameError(false);
          }}
          data-testid="display-name"
        />
        <DeviceSettings
          choice={choice}
          onChange={(next) => {
            saveDeviceChoice(next);
            setChoice(next);
          }}
        />
        <button type="submit" className="vdx-button primary big precall-join" disabled={media === undefined} data-testid="join-button">
          {media === undefined ? t('common.loading') : t('join.start')}
        </button>
      </div>
    </form>
  );
}
