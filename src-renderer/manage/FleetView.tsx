import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider';
import type { MessageKey } from '../i18n/translate';
import { useNow } from '../ui/useNow';
import { FleetFilters } from './FleetFilters';
import { FleetSummaryPanel } from './FleetSummaryPanel';
import { FleetTable } from './FleetTable';
import { DEFAULT_SORT, filterChoices, filterRows, fleetCsv, isFiltered, NO_FILTER, sortRows, type FleetFilter, type FleetSort, type SortKey } from './fleet-filter';
import { fleetRows, formatTime, localeOf, type FleetFormat } from './fleet-format';
import { loadFleet, ManageApiError, type FleetSnapshot, type ManageAuth } from './manage-api';
import { fleetErrorMessage } from './manage-messages';
import type { FleetLive } from './fleet-events';

/** Seconds between re-reads without the event stream: a room going offline or into a call shows within this. */
export const REFRESH_SECONDS = 5;
/**
 * Seconds between re-reads while the event stream is open. Changes arrive by the stream; this only
 * catches what no event announces — a device going offline because its heartbeats stopped.
 */
export const LIVE_REFRESH_SECONDS = 30;

/**
 * The fleet: summary counts, search and filters, and one table row per device (sortable, exported
 * as CSV exactly as filtered and sorted). It re-reads when the management event stream says
 * devices or rooms changed (`live`), every few seconds when the stream is down, and on demand —
 * one read at a time: a change during a read queues one more read after it. A background tab does
 * not read; it catches up when shown. A failed read keeps the last data on screen with an error;
 * 401/403 end the session.
 */
export function FleetView({ auth, live, onSessionEnd }: { auth: ManageAuth; live: FleetLive; onSessionEnd(why: MessageKey): void }) {
  const { t, language } = useI18n();
  // "Last seen" ages with the refresh, not every second: a large fleet table re-renders less.
  const now = useNow(REFRESH_SECONDS * 1000);
  const [snapshot, setSnapshot] = useState<FleetSnapshot | null>(null);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [round, setRound] = useState(0);
  const endRef = useRef(onSessionEnd);
  endRef.current = onSessionEnd;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const hasData = snapshot !== null;
  // After signing in, focus moves from the vanished form to the top of the data (once).
  useEffect(() => {
    if (hasData) headingRef.current?.focus();
  }, [hasData]);

  const connected = useRef(live.connected);
  connected.current = live.connected;
  const readNow = useRef<() => void>(() => undefined);
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let busy = false;
    let again = false;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void run(), (connected.current ? LIVE_REFRESH_SECONDS : REFRESH_SECONDS) * 1000);
    };
    const run = async () => {
      if (busy) {
        again = true;
        return;
      }
      // A background tab does not read; it catches up as soon as it is shown again (below).
      if (document.hidden) return later();
      busy = true;
      clearTimeout(timer);
      setLoading(true);
      try {
        const next = await loadFleet(auth, abort.signal);
        if (abort.signal.aborted) return;
        setSnapshot(next);
        setUpdatedAt(new Date());
        setError(null);
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof ManageApiError && (err.kind === 'expired' || err.kind === 'forbidden')) {
          endRef.current(err.kind === 'expired' ? 'manage.error.expired' : 'manage.error.forbidden');
          return;
        }
        setError(err);
      } finally {
        busy = false;
      }
      setLoading(false);
      if (again) {
        again = false;
        void run();
      } else later();
    };
    readNow.current = () => void run();
    void run();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [auth, round]);
  // The stream said something changed (or it reconnected): read now, or right after the current read.
  useEffect(() => {
    if (live.devicesRound + live.roomsRound > 0) readNow.current();
  }, [live.devicesRound, live.roomsRound]);

  useEffect(() => {
    const shown = () => !document.hidden && setRound((r) => r + 1);
    document.addEventListener('visibilitychange', shown);
    return () => document.removeEventListener('visibilitychange', shown);
  }, []);

  const fmt: FleetFormat = useMemo(() => ({ t, locale: localeOf(language) }), [t, language]);
  const rows = useMemo(() => (snapshot ? fleetRows(snapshot.devices, snapshot.rooms, fmt.locale) : []), [snapshot, fmt.locale]);
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [sort, setSort] = useState<FleetSort>(DEFAULT_SORT);
  const [exported, setExported] = useState<string | null>(null);
  const choices = useMemo(() => filterChoices(rows, fmt.locale), [rows, fmt.locale]);
  const shown = useMemo(() => sortRows(filterRows(rows, filter), sort, fmt.locale), [rows, filter, sort, fmt.locale]);
  // A second click on the sorted column turns the order round.
  const sortBy = (key: SortKey) => setSort((s) => ({ key, dir: s.key === key && s.dir === 'asc' ? 'desc' : 'asc' }));
  const exportCsv = () => {
    const file = `vdx-enheder-${new Date().toISOString().slice(0, 10)}.csv`;
    const url = URL.createObjectURL(new Blob([fleetCsv(shown, fmt)], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = file;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    setExported(t('manage.fleet.exported', { count: shown.length, file }));
  };

  return (
    <div className="manage-fleet">
      <div className="manage-toolbar">
        <button type="button" className="vdx-button" data-testid="manage-refresh" onClick={() => setRound((r) => r + 1)}>
          {t('manage.refresh')}
        </button>
        <button type="button" className="vdx-button" data-testid="fleet-export" onClick={exportCsv} disabled={!snapshot}>
          {t('manage.fleet.export')}
        </button>
        <p className="vdx-hint" data-testid="manage-updated-at">
          {updatedAt
            ? live.connected
              ? t('manage.updatedLive', { time: formatTime(updatedAt.toISOString(), fmt, 'timeSeconds') })
              : t('manage.updatedAt', { time: formatTime(updatedAt.toISOString(), fmt, 'timeSeconds'), seconds: REFRESH_SECONDS })
            : t('common.loading')}
        </p>
      </div>
      {error !== null && (
        <p className="vdx-error" role="alert" data-testid="manage-load-error">
          {fleetErrorMessage(error, t)}
        </p>
      )}
      <div aria-live="polite">
        {exported && (
          <p className="manage-done" role="status" data-testid="fleet-exported">
            {exported}
          </p>
        )}
      </div>
      {snapshot && (
        <>
          <FleetSummaryPanel summary={snapshot.summary} fmt={fmt} headingRef={headingRef} />
          <FleetFilters filter={filter} choices={choices} fmt={fmt} onChange={setFilter} />
          <FleetTable
            rows={shown}
            caption={
              isFiltered(filter)
                ? t('manage.table.captionFiltered', { shown: shown.length, count: rows.length })
                : t('manage.table.caption', { count: rows.length })
            }
            empty={rows.length === 0 ? t('manage.table.empty') : t('manage.table.noMatch')}
            now={now}
            fmt={fmt}
            busy={loading}
            sort={sort}
            onSort={sortBy}
          />
        </>
      )}
    </div>
  );
}
