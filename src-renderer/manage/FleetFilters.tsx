import { SelectField } from '../ui/SelectField';
import { TextField } from '../ui/TextField';
import { isFiltered, NO_FILTER, type FleetFilter } from './fleet-filter';
import type { FleetFormat, RowStatus } from './fleet-format';

const STATUSES: RowStatus[] = ['online', 'degraded', 'offline', 'revoked'];

/** Search and the four filters above the fleet table; every change applies at once. */
export function FleetFilters({
  filter,
  choices,
  fmt,
  onChange,
}: {
  filter: FleetFilter;
  choices: { organisations: string[]; versions: string[] };
  fmt: FleetFormat;
  onChange(filter: FleetFilter): void;
}) {
  const { t } = fmt;
  const all = { value: '', label: t('manage.fleet.all') };
  const set = (patch: Partial<FleetFilter>) => onChange({ ...filter, ...patch });
  return (
    <div role="search" className="manage-filters" aria-label={t('manage.fleet.filters')} data-testid="fleet-filters">
      <TextField
        id="fleet-search"
        type="search"
        className="manage-search"
        label={t('manage.fleet.search')}
        hint={t('manage.fleet.searchHint')}
        value={filter.q}
        onChange={(e) => set({ q: e.target.value })}
        autoComplete="off"
        spellCheck={false}
      />
      <SelectField
        id="fleet-status"
        label={t('manage.fleet.status')}
        value={filter.status}
        options={[all, ...STATUSES.map((s) => ({ value: s, label: t(`manage.status.${s}`) }))]}
        onChange={(e) => set({ status: e.target.value as FleetFilter['status'] })}
      />
      <SelectField
        id="fleet-organisation"
        label={t('manage.fleet.organisation')}
        value={filter.organisation}
        options={[all, ...choices.organisations.map((o) => ({ value: o, label: o }))]}
        onChange={(e) => set({ organisation: e.target.value })}
      />
      <SelectField
        id="fleet-version"
        label={t('manage.fleet.version')}
        value={filter.version}
        options={[all, ...choices.versions.map((v) => ({ value: v, label: v }))]}
        onChange={(e) => set({ version: e.target.value })}
      />
      <SelectField
        id="fleet-channel"
        label={t('manage.fleet.channel')}
        value={filter.channel}
        options={[all, { value: 'stable', label: t('manage.channel.stable') }, { value: 'beta', label: t('manage.channel.beta') }]}
        onChange={(e) => set({ channel: e.target.value as FleetFilter['channel'] })}
      />
      {isFiltered(filter) && (
        <button type="button" className="vdx-button manage-filters-clear" data-testid="fleet-clear" onClick={() => onChange(NO_FILTER)}>
          {t('manage.fleet.clear')}
        </button>
      )}
    </div>
  );
}
