import type { BookingApi, Pool, Template } from './booking-api';
import { useLoad, type Loaded } from '../ui/useLoad';

/** What booking offers in this organisation: its templates and, when it keeps one, its pool. */
export interface OrganisationSetup {
  templates: Template[];
  pool: Pool | undefined;
}

/**
 * A failure leaves the form usable with the organisation's default
 * template (the server picks it) and no pool choice.
 */
export function useOrganisationSetup(api: BookingApi, organisation: string): Loaded<OrganisationSetup> {
  return useLoad(async () => {
    const [templates, pool] = await Promise.all([api.templates(), api.pool(organisation).catch(() => undefined)]);
    return { templates, pool };
  }, [api, organisation]).state;
}
