import { useEffect, useMemo, useState } from 'react';
import { JoinMeetingSchema, PERSONAL_LINK_PIN_PREFIX, PersonalLinkSchema, type JoinMeeting } from '../../src-shared/join/join-meeting.schema';
import { CallSession } from '../call/call-session';
import { CallView } from '../call/CallView';
import { useI18n } from '../i18n/I18nProvider';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { VideoTile } from '../ui/VideoTile';
import { parseJoinTarget } from './join-target';
import { useMeetingOpening } from './meeting-opening';
import { PreCall } from './PreCall';

type Lookup =
  | { kind: 'loading' }
  /** `personal`: a personal link's name and the PIN stand-in that admits it (never the real PIN). */
  | { kind: 'ready'; alias: string; meeting?: JoinMeeting; receivedAt: number; personal?: { displayName: string; pin: string } }
  | { kind: 'not-found' }
  | { kind: 'ended' }
  | { kind: 'bad-link' };

/** What the guest chose before the meeting opened; the page joins with it at the opening. */
type Ready = { name: string; stream: MediaStream | undefined };

async function lookupMeeting(shortId: string): Promise<JoinMeeting | undefined> {
  const res = await fetch(`/join-api/v1/meetings/${encodeURIComponent(shortId)}`, { headers: { accept: 'application/json' } });
  if (!res.ok) return undefined;
  const parsed = JoinMeetingSchema.safeParse(await res.json());
  return parsed.success ? parsed.data : undefined;
}

/** A personal link's meeting (SMS Video): the token goes in a POST body, never in a URL. */
async function lookupPersonalLink(token: string): Promise<Lookup> {
  const res = await fetch('/join-api/v1/personal-link', {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (res.status === 410) return { kind: 'ended' };
  if (!res.ok) return { kind: 'not-found' };
  const parsed = PersonalLinkSchema.safeParse(await res.json());
  if (!parsed.success) return { kind: 'not-found' };
  const { shortId: _shortId, displayName, role: _role, ...meeting } = parsed.data;
  return { kind: 'ready', alias: meeting.alias, meeting, receivedAt: Date.now(), personal: { displayName, pin: PERSONAL_LINK_PIN_PREFIX + token } };
}

/** The browser guest page: find the meeting, pre-call check, then the call. */
export function JoinApp() {
  const { t, language } = useI18n();
  const target = useMemo(() => parseJoinTarget(new URL(window.location.href)), []);
  const [lookup, setLookup] = useState<Lookup>(() =>
    target.kind === 'alias' ? { kind: 'ready', alias: target.alias, receivedAt: Date.now() } : target.kind === 'none' ? { kind: 'bad-link' } : { kind: 'loading' },
  );
  const [session, setSession] = useState<CallSession>();
  const [waiting, setWaiting] = useState<Ready>();
  const meeting = lookup.kind === 'ready' ? lookup.meeting : undefined;
  const opening = useMeetingOpening(meeting, lookup.kind === 'ready' ? lookup.receivedAt : 0);

  useEffect(() => {
    if (target.kind !== 'short-id') return;
    let alive = true;
    const found: Promise<Lookup> = target.personalToken
      ? lookupPersonalLink(target.personalToken)
      : lookupMeeting(target.shortId).then((m) => (m ? { kind: 'ready', alias: m.alias, meeting: m, receivedAt: Date.now() } : { kind: 'not-found' }));
    found.then((l) => alive && setLookup(l)).catch(() => alive && setLookup({ kind: 'not-found' }));
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

  const startCall = (name: string, stream: MediaStream | undefined) => {
    if (lookup.kind !== 'ready') return;
    const next = new CallSession({ alias: lookup.alias, displayName: name, localStream: stream, callTag: 'vdx-web/guest', ...(lookup.personal ? { pin: lookup.personal.pin } : {}) });
    setSession(next);
    void next.join();
    // Exposed for diagnostics and browser tests (read-only use).
    (window as unknown as { vdxCall?: CallSession }).vdxCall = next;
  };

  // Before the meeting opens the conference node does not know it yet: wait, then join by itself.
  const join = (name: string, stream: MediaStream | undefined) => (opening.open ? startCall(name, stream) : setWaiting({ name, stream }));
  useEffect(() => {
    if (!opening.open || !waiting) return;
    setWaiting(undefined);
    startCall(waiting.name, waiting.stream);
  }, [opening.open, waiting]);

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
  const opensAt = meeting && !opening.open ? new Date(meeting.opensAt) : undefined;
  const opensToday = opensAt !== undefined && opensAt.toDateString() === new Date().toDateString();
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
      {opensAt ? (
        <p className="join-opens" role="status" data-testid="opens-at" data-opens-at={meeting?.opensAt}>
          {opensToday ? t('join.opensToday', { time: fmtTime.format(opensAt) }) : t('join.opensOn', { when: fmt.format(opensAt) })}
        </p>
      ) : null}
      {lookup.kind === 'loading' ? <p role="status">{t('join.lookup')}</p> : null}
      {lookup.kind === 'not-found' ? <p className="vdx-error" role="alert">{t('join.notFound')}</p> : null}
      {lookup.kind === 'bad-link' ? <p className="vdx-error" role="alert">{t('join.noMeeting')}</p> : null}
      {lookup.kind === 'ended' ? <p className="vdx-error" role="alert" data-testid="link-ended">{t('join.linkEnded')}</p> : null}
      {lookup.kind === 'ready' && waiting ? (
        <section className="join-waiting" data-testid="waiting-for-opening">
          <VideoTile stream={waiting.stream} muted mirror label={t('join.preview')} testId="waiting-preview" />
          <p>{t('join.waitingToOpen')}</p>
        </section>
      ) : null}
      {lookup.kind === 'ready' && !waiting ? <PreCall initialName={lookup.personal?.displayName ?? (target.kind !== 'none' ? target.name : undefined)} onJoin={join} /> : null}
    </div>
  );
}
