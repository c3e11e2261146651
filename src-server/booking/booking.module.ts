import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src-shared/platform/clock';
import type { RequireAuth } from '../auth/authenticate';
import type { Store } from '../db/database';
import type { DomainEventBus } from '../events/domain-events';
import { bookingCors } from './booking-cors';
import { BookingContext, type BookingConfig } from './booking.context';
import { bookingRoutes } from './booking.routes';
import { MeetingsService } from './meetings.service';
import { SchedulingInfoService } from './scheduling-info.service';
import { TemplatesService } from './templates.service';

export interface BookingDeps {
  store: Store;
  clock: Clock;
  events: DomainEventBus;
  requireAuth: RequireAuth;
  config: BookingConfig;
  /** Exact browser origins allowed to call the API (VDX_CORS_ORIGINS). */
  corsOrigins: readonly string[];
  /** The server's version, as GET /v2/info names it. */
  version: string;
}

/**
 * Builds the booking services (templates, meetings, scheduling info) over one shared context and
 * mounts the VDX Booking API v2 at /videoapi/v2. Returns the services other capabilities use: the
 * scheduling-info service is the in-process API of embedded provisioners and of appointments.
 */
export function booking(app: FastifyInstance, deps: BookingDeps) {
  const ctx = new BookingContext(deps.store, deps.clock, deps.events, deps.config);
  const templates = new TemplatesService(ctx);
  const meetings = new MeetingsService(ctx);
  const schedulingInfo = new SchedulingInfoService(ctx);
  bookingCors(app, deps.corsOrigins);
  bookingRoutes(app, { templates, meetings, schedulingInfo, requireAuth: deps.requireAuth, version: deps.version });
  return { templates, meetings, schedulingInfo };
}

export type Booking = ReturnType<typeof booking>;
