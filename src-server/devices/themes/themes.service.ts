import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Theme, ThemeCreate, ThemeUpdate } from '../../../src-shared/devices/themes.schema';
import type { Principal } from '../../auth/principal';
import { badRequest, conflict, notFound } from '../../http/errors';
import type { ThemeTable } from '../devices.tables';
import { toJson, type Db, type FleetContext } from '../device-fleet.context';

/** The 404 of an unknown theme; also what an admin gets for a theme outside its organisation scope. */
export const themeNotFound = (id: string) => notFound('theme_not_found', `No theme "${id}"`);

/** Kiosk themes (logo, colours, background, welcome text), assigned to rooms and sent in device config. */
export class ThemesService {
  constructor(private readonly ctx: FleetContext) {}

  async create(actor: Principal, input: ThemeCreate): Promise<Theme> {
    const organisationCode = input.organisationCode ?? actor.organisation;
    const now = this.ctx.clock.now().toISOString();
    const row: Selectable<ThemeTable> = {
      id: randomUUID(),
      name: input.name,
      organisation_code: organisationCode,
      logo: input.logo ?? null,
      colours: toJson(input.colours),
      background: input.background ?? null,
      welcome_da: input.welcomeText?.da ?? '',
      welcome_en: input.welcomeText?.en ?? '',
      created_at: now,
      updated_at: now,
    };
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const org = await trx.selectFrom('organisations').select('code').where('code', '=', organisationCode).executeTakeFirst();
      if (!org) throw badRequest('organisation_not_found', `No organisation "${organisationCode}"`);
      await trx.insertInto('themes').values(row).execute();
      await this.ctx.audit.record(trx, actor, { action: 'theme.create', entityType: 'theme', entityId: row.id, after: summary(row) });
    });
    return toTheme(row);
  }

  /** `organisationCodes` limits the list to an admin's organisation scope (an empty list matches nothing). */
  async list(filter: { organisationCodes?: readonly string[] } = {}): Promise<Theme[]> {
    let q = this.ctx.store.db.selectFrom('themes').selectAll();
    if (filter.organisationCodes) {
      if (filter.organisationCodes.length === 0) return [];
      q = q.where('organisation_code', 'in', filter.organisationCodes);
    }
    return (await q.orderBy('name').orderBy('id').execute()).map(toTheme);
  }

  async get(id: string, db: Db = this.ctx.store.db): Promise<Theme> {
    const row = await db.selectFrom('themes').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw themeNotFound(id);
    return toTheme(row);
  }

  async update(actor: Principal, id: string, patch: ThemeUpdate): Promise<Theme> {
    const { theme, rooms } = await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      const set: Partial<Selectable<ThemeTable>> = { updated_at: this.ctx.clock.now().toISOString() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.logo !== undefined) set.logo = patch.logo;
      if (patch.colours !== undefined) set.colours = toJson(patch.colours);
      if (patch.background !== undefined) set.background = patch.background;
      if (patch.welcomeText !== undefined) {
        set.welcome_da = patch.welcomeText.da;
        set.welcome_en = patch.welcomeText.en;
      }
      await trx.updateTable('themes').set(set).where('id', '=', id).execute();
      const after = await this.get(id, trx);
      await this.ctx.audit.record(trx, actor, {
        action: 'theme.update',
        entityType: 'theme',
        entityId: id,
        before: { ...before, logo: undefined, background: undefined },
        after: { ...after, logo: undefined, background: undefined },
      });
      const rooms = await trx.selectFrom('rooms').select('id').where('theme_id', '=', id).execute();
      return { theme: after, rooms };
    });
    // Rooms showing this theme refetch their config.
    const at = this.ctx.clock.now().toISOString();
    for (const r of rooms) this.ctx.hub.publishToRoom(r.id, { type: 'config_changed', data: { at } });
    if (rooms.length > 0) this.ctx.events.emit('theme.changed', { themeId: id });
    return theme;
  }

  async delete(actor: Principal, id: string): Promise<void> {
    await this.ctx.store.db.transaction().execute(async (trx) => {
      const before = await this.get(id, trx);
      const inUse = await trx.selectFrom('rooms').select('id').where('theme_id', '=', id).execute();
      if (inUse.length > 0) throw conflict('theme_in_use', 'Rooms still use this theme', { rooms: inUse.length });
      await trx.deleteFrom('themes').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, actor, {
        action: 'theme.delete',
        entityType: 'theme',
        entityId: id,
        before: { ...before, logo: undefined, background: undefined },
      });
    });
  }
}

/** The audit log keeps the theme without its (possibly large, inline) images. */
function summary(row: Selectable<ThemeTable>) {
  const { logo: _logo, background: _background, ...rest } = toTheme(row);
  return rest;
}

export function toTheme(row: Selectable<ThemeTable>): Theme {
  return {
    id: row.id,
    name: row.name,
    organisationCode: row.organisation_code,
    logo: row.logo,
    colours: JSON.parse(row.colours) as Theme['colours'],
    background: row.background,
    welcomeText: { da: row.welcome_da, en: row.welcome_en },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
