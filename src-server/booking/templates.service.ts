import type { SchedulingTemplateDto, SchedulingTemplateInput } from '../../src-shared/booking/booking.schemas';
import type { BookingCaller } from './booking.access';
import type { BookingContext } from './booking.context';
import { toTemplateDto } from './booking.mapping';
import type { Db } from './scheduling-allocation';
import { VdxCode, vdxError } from './vdx-errors';

/**
 * Scheduling templates: per organisation, at most one pool template (406 code 18); setting a
 * default clears the organisation's other defaults.
 */
export class TemplatesService {
  constructor(private readonly ctx: BookingContext) {}

  async listTemplates(caller: BookingCaller): Promise<SchedulingTemplateDto[]> {
    const rows = await this.ctx.store.db
      .selectFrom('booking_templates')
      .selectAll()
      .where('organisation_code', '=', caller.organisation)
      .orderBy('id')
      .execute();
    return rows.map((r) => toTemplateDto(r, this.ctx.links));
  }

  async getTemplate(caller: BookingCaller, id: number): Promise<SchedulingTemplateDto> {
    return toTemplateDto(await this.#templateRow(this.ctx.store.db, caller, id), this.ctx.links);
  }

  async createTemplate(caller: BookingCaller, input: SchedulingTemplateInput): Promise<SchedulingTemplateDto> {
    await this.ctx.requireOrganisation(caller.organisation);
    const now = this.ctx.now();
    const row = await this.ctx.store.db.transaction().execute(async (trx) => {
      await this.#applyTemplateFlags(trx, caller.organisation, input, null);
      return trx
        .insertInto('booking_templates')
        .values({
          organisation_code: caller.organisation,
          is_default: input.isDefaultTemplate ? 1 : 0,
          is_pool: input.isPoolTemplate ? 1 : 0,
          body: JSON.stringify(storedBody(input)),
          created_by: caller.email ?? caller.principal.subject,
          updated_by: null,
          created_at: now,
          updated_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toTemplateDto(row, this.ctx.links);
  }

  async updateTemplate(caller: BookingCaller, id: number, input: SchedulingTemplateInput): Promise<SchedulingTemplateDto> {
    const row = await this.ctx.store.db.transaction().execute(async (trx) => {
      await this.#templateRow(trx, caller, id);
      await this.#applyTemplateFlags(trx, caller.organisation, input, id);
      return trx
        .updateTable('booking_templates')
        .set({
          is_default: input.isDefaultTemplate ? 1 : 0,
          is_pool: input.isPoolTemplate ? 1 : 0,
          body: JSON.stringify(storedBody(input)),
          updated_by: caller.email ?? caller.principal.subject,
          updated_at: this.ctx.now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    return toTemplateDto(row, this.ctx.links);
  }

  async deleteTemplate(caller: BookingCaller, id: number): Promise<void> {
    await this.ctx.store.db.transaction().execute(async (trx) => {
      await this.#templateRow(trx, caller, id);
      // Scheduling infos keep their copied settings; they only lose the reference.
      await trx.updateTable('booking_scheduling_infos').set({ template_id: null }).where('template_id', '=', id).execute();
      await trx.deleteFrom('booking_templates').where('id', '=', id).execute();
    });
  }

  async #templateRow(db: Db, caller: BookingCaller, id: number) {
    const row = await db.selectFrom('booking_templates').selectAll().where('id', '=', id).executeTakeFirst();
    // Another organisation's template is not found, as the real API answers (it never says it exists).
    if (!row || row.organisation_code !== caller.organisation) {
      throw vdxError(404, VdxCode.basic, 'template_not_found', 'Resource: schedulingTemplate in field: id not found.');
    }
    return row;
  }

  /** One pool template per organisation (406 code 18); a new default clears the old one. */
  async #applyTemplateFlags(trx: Db, organisation: string, input: SchedulingTemplateInput, selfId: number | null) {
    if (input.isPoolTemplate) {
      let q = trx.selectFrom('booking_templates').select('id').where('organisation_code', '=', organisation).where('is_pool', '=', 1);
      if (selfId !== null) q = q.where('id', '!=', selfId);
      if (await q.executeTakeFirst()) {
        throw vdxError(406, VdxCode.onePoolTemplate, 'pool_template_exists', 'Create or update of pool template failed due to only one pool template allowed');
      }
    }
    if (input.isDefaultTemplate) {
      let u = trx.updateTable('booking_templates').set({ is_default: 0 }).where('organisation_code', '=', organisation);
      if (selfId !== null) u = u.where('id', '!=', selfId);
      await u.execute();
    }
  }
}

/** The stored template body: the input without the two flags that live in their own columns. */
function storedBody(input: SchedulingTemplateInput): Omit<SchedulingTemplateInput, 'isDefaultTemplate' | 'isPoolTemplate'> {
  const { isDefaultTemplate: _d, isPoolTemplate: _p, ...body } = input;
  return body;
}
