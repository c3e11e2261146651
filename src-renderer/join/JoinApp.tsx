import { useEffect, useMemo, useState } from 'react';
import { JoinMeetingSchema, type JoinMeeting } from '../../src-shared/join/join-meeting.schema';
import { CallSession } from '../call/call-session';
import { CallView } from '../call/CallView';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { parseJoinTarget } from './join-target';
import { PreCall } from './PreCall';

type Lookup = { kind: 'loading' } | { kind: 'ready'; alias: string; meeting?: JoinMeeting } | { kind: 'not-found' } | { kind: 'bad-link' };

async function lookupMeeting(shortId: string): Promise<JoinMeeting | undefined> {
  const res = await fetch(`/join-api/v1/meetings/${encodeURIComponent(shortId)}`, { headers: { accept: 'application/json' } });
  if (!res.ok) return undefined;
  const parsed = JoinMeetingSchema.safeParse(await res.json());
  return parsed.success ? parsed.data : undefined;
}

/** The browser guest page: find the meeting, pre-call check, then the call. */
export function JoinApp() {
  const { t, language } = useI18n();
  const target = useMemo(() => parseJoinTarget(new URL(window.location.href)), []);
  const [lookup, setLookup] = useState<Lookup>(() =>
    target.kind === 'alias' ? { kind: 'ready', alias: target.alias } : target.kind === 'none' ? { kind: 'bad-link' } : { kind: 'loading' },
  );
  const [session, setSession] = useState<CallSession>();

  useEffect(() => {
    if (target.kind !== 'short-id') return;
    let alive = true;
    lookupMeeting(target.shortId)
      .then((meeting) => alive && setLookup(meeting ? { kind: 'ready', alias: meeting.alias, meeting } : { kind: 'not-found' }))
      .catch(() => alive && setLookup({ kind: 'not-found' }));
    return () => {
      alive = false;
    };
  }, [target]);

  // Leave the conference when the tab goes away (the SDK also beacons release_token).
  useEffect(() => {
    if (!session) return;
    const leave = () => void session.leave();
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [session]);

  const join = (name: string, stream: MediaStream | undefined) => {
    if (lookup.kind !== 'ready') return;
    const next = new CallSession({ alias: lookup.alias, displayName: name, localStream: stream });
    setSession(next);
    void next.join();
    // Exposed for diagnostics and browser tests (read-only use).
    (window as unknown as { vdxCall?: CallSession }).vdxCall = next;
  };

  const again = () => {
    session?.getLocalStream()?.getTracks().forEach((tr) => tr.stop());
    session?.dispose();
    setSession(undefined);
  };

  if (session) {
    return (
      <CallView
        session={session}
        after={
          <button type="button" className="vdx-button primary" onClick={again}>
            {t('join.again')}
          </button>
        }
      />
    );
  }

  const fmt = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' });
  const fmtTime = new Intl.DateTimeFormat(language === 'da' ? 'da-DK' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
  return (
    <div className="join-page">
      <header className="join-header">
        <h1>{t('join.title')}</h1>
        <LanguageSwitch />
      </header>
      {lookup.kind === 'ready' && lookup.meeting ? (
        <p className="join-meeting" data-testid="meeting-info">
          {lookup.meeting.subject ? <strong>{lookup.meeting.subject}</strong> : null}
          <span>{t('join.meetingAt', { start: fmt.format(new Date(lookup.meeting.startTime)), end: fmtTime.format(new Date(lookup.meeting.endTime)) })}</span>
        </p>
      ) : null}
      {lookup.kind === 'loading' ? <p role="status">{t('join.lookup')}</p> : null}
      {lookup.kind === 'not-found' ? <p className="vdx-error" role="alert">{t('join.notFound')}</p> : null}
      {lookup.kind === 'bad-link' ? <p className="vdx-error" role="alert">{t('join.noMeeting')}</p> : null}
      {lookup.kind === 'ready' ? <PreCall initialName={target.kind !== 'none' ? target.name : undefined} onJoin={join} /> : null}
    </div>
  );
}
