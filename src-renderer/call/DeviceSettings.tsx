import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import { listDevices, type DeviceChoice, type DeviceLists } from './media-devices';

/** Camera and microphone pickers; the parent opens the new devices and remembers the choice. */
export function DeviceSettings({ choice, onChange }: { choice: DeviceChoice; onChange(next: DeviceChoice): void }) {
  const { t } = useI18n();
  const [devices, setDevices] = useState<DeviceLists>({ cameras: [], microphones: [], speakers: [] });
  useEffect(() => {
    let alive = true;
    const load = () => void listDevices().then((d) => alive && setDevices(d));
    load();
    navigator.mediaDevices?.addEventListener?.('devicechange', load);
    return () => {
      alive = false;
      navigator.mediaDevices?.removeEventListener?.('devicechange', load);
    };
  }, []);
  const select = (id: string, label: string, list: MediaDeviceInfo[], value: string | undefined, set: (v: string | undefined) => void) => (
    <div className="vdx-field">
      <label className="vdx-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="vdx-select" value={value ?? ''} onChange={(e) => set(e.target.value || undefined)}>
        <option value="">{t('call.settings.default')}</option>
        {list.map((d, i) => (
          <option key={d.deviceId || i} value={d.deviceId}>
            {d.label || `${label} ${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="call-devices" data-testid="device-settings">
      {select('camera-select', t('call.settings.camera'), devices.cameras, choice.cameraId, (cameraId) => onChange({ ...choice, cameraId }))}
      {select('mic-select', t('call.settings.microphone'), devices.microphones, choice.microphoneId, (microphoneId) => onChange({ ...choice, microphoneId }))}
    </div>
  );
}
