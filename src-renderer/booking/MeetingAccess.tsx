import { useI18n } from '../i18n/I18nProvider';
import type { Meeting, SchedulingInfo } from './booking-api';
import { CopyButton } from './CopyButton';

/** How to get in: the address, host and guest PIN, the guest link and the short link. */
export function MeetingAccess({ meeting, info }: { meeting: Meeting; info: SchedulingInfo }) {
  const { t } = useI18n();
  const row = (id: string, label: string, value: string, link = false) => (
    <div key={id}>
      <dt id={`${id}-label`}>{label}</dt>
      <dd>
        {link ? (
          <a href={value} data-testid={id} target="_blank" rel="noreferrer">
            {value}
          </a>
        ) : (
          <span data-testid={id} className="booking-code">
            {value}
          </span>
        )}{' '}
        <CopyButton text={value} label={t('booking.copy.named', { what: label })} />
      </dd>
    </div>
  );
  return (
    <section className="booking-panel" aria-labelledby="access-title">
      <h3 id="access-title">{t('booking.access.title')}</h3>
      <dl className="booking-facts booking-access">
        {row('meeting-uri', t('booking.access.address'), info.uriWithDomain)}
        {info.hostPin !== null ? row('host-pin', t('booking.access.hostPin'), String(info.hostPin)) : null}
        {info.guestPin !== null ? (
          row('guest-pin', t('booking.access.guestPin'), String(info.guestPin))
        ) : (
          <div>
            <dt>{t('booking.access.guestPin')}</dt>
            <dd data-testid="guest-pin-none">{t('booking.access.noGuestPin')}</dd>
          </div>
        )}
        {row('guest-link', t('booking.access.guestLink'), info.portalLink, true)}
        {row('short-link', t('booking.access.shortLink'), meeting.shortLink, true)}
      </dl>
    </section>
  );
}
