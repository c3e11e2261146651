import { useEffect, useMemo, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { Meeting, SchedulingInfo } from './booking-api';
import { CopyButton } from './CopyButton';
import { icsFileName, invitationFacts, invitationIcs, invitationText } from './invitation';

/** The Danish invitation to send the guests, with a copy button, and the meeting as an `.ics` file. */
export function InvitationPanel({ meeting, info, organizerName }: { meeting: Meeting; info: SchedulingInfo; organizerName: string }) {
  const { t } = useI18n();
  const facts = useMemo(() => invitationFacts(meeting, info, organizerName), [meeting, info, organizerName]);
  const text = useMemo(() => invitationText(facts), [facts]);
  const [icsUrl, setIcsUrl] = useState<string>();
  useEffect(() => {
    const ics = invitationIcs(facts, { uuid: meeting.uuid, host: window.location.hostname, organizerEmail: meeting.organizedBy.email, now: new Date() });
    const url = URL.createObjectURL(new Blob([ics], { type: 'text/calendar;charset=utf-8' }));
    setIcsUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [facts, meeting.uuid, meeting.organizedBy.email]);

  return (
    <section className="booking-panel" aria-labelledby="invitation-title">
      <h3 id="invitation-title">{t('booking.invitation.title')}</h3>
      <p className="vdx-hint" id="invitation-hint">
        {t('booking.invitation.hint')}
      </p>
      <label className="vdx-label" htmlFor="invitation-text">
        {t('booking.invitation.text')}
      </label>
      <textarea id="invitation-text" className="vdx-input booking-invitation" readOnly rows={14} value={text} lang="da" aria-describedby="invitation-hint" data-testid="invitation-text" />
      <div className="booking-actions">
        <CopyButton text={text} label={t('booking.invitation.copy')} visibleLabel={t('booking.invitation.copy')} testId="copy-invitation" />
        {icsUrl ? (
          <a className="vdx-button" href={icsUrl} download={icsFileName(meeting.subject)} data-testid="download-ics">
            {t('booking.invitation.ics')}
          </a>
        ) : null}
      </div>
    </section>
  );
}
