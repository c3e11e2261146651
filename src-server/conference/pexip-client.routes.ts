import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AckBody,
  AliasParams,
  CallParams,
  CallsBody,
  MessageBody,
  NewCandidateBody,
  ParticipantParams,
  ReleaseTokenBody,
  RequestTokenBody,
  StatisticsBody,
  TokenQuery,
  UpdateBody,
} from '../../src-shared/conference/pexip-client.schema';
import type { ZodTypeProvider } from '../http/zod-schemas';
import type { Conference, Participant, Role } from './conference';
import { PERSONAL_LINK_PIN_PREFIX } from '../../src-shared/join/join-meeting.schema';
import { EndReason, type ConferenceRegistry } from './conference-registry';
import { EventStream } from './event-stream';
import { PexipMessage, pexipError } from './pexip-errors';

/** Where the SDK finds us; errors under this prefix use the Pexip wire format. */
export const PEXIP_CLIENT_PREFIX = '/api/client/v2/conferences';

/** What request_token reports as our "Infinity version" (the SDK only passes it through). */
const VERSION = { version_id: '36', pseudo_version: '36.0.0-vdx' };

/** Request bodies here are small JSON; SDPs are capped separately by the schemas. */
const BODY_LIMIT_BYTES = 256 * 1024;

/** How often SDK clients send `statistics` (Pexip's `client_stats_update_interval`, ms). */
const STATS_INTERVAL_MS = 10_000;

const ok = <T>(result: T) => ({ status: 'success' as const, result });

export interface PexipClientRoutesOptions {
  registry: ConferenceRegistry;
  /**
   * Personal links (SMS Video): a `pin` of `link:<token>` admits the token's holder with the role
   * and name the link was made for, if the link is for this alias and still alive. Anything else
   * (or no such link) is checked as a PIN, so a wrong token counts as a wrong PIN.
   */
  admitPersonalLink?: (alias: string, token: string) => Promise<{ role: Role; displayName: string } | undefined>;
}

/**
 * The Pexip Infinity client REST API v2 subset (docs/PEXIP-CLIENT-API.md) that the unmodified
 * `@pexip/infinity` SDK needs to join our rooms: tokens, events, conference control and calls.
 */
export async function pexipClientRoutes(app: FastifyInstance, { registry, admitPersonalLink }: PexipClientRoutesOptions): Promise<void> {
  await app.register(
    async (scope) => {
      // The SDK posts some endpoints with `Content-Type: application/json` and no body, and
      // sendBeacon sends a JSON blob; an empty JSON body means "no body" here.
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
        const text = String(body).trim();
        if (text === '') return done(null, undefined);
        try {
          done(null, JSON.parse(text));
        } catch {
          done(pexipError(400, 'Malformed JSON body', 'malformed_json'), undefined);
        }
      });
      // `text/plain` beacons (older browsers) carry the same JSON.
      scope.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (_req, body, done) => {
        try {
          done(null, String(body).trim() ? JSON.parse(String(body)) : undefined);
        } catch {
          done(null, undefined);
        }
      });
      // The SDK's generic request path compares the Content-Type for equality with
      // "application/json", so no charset suffix.
      scope.addHook('onSend', async (_request, reply, payload) => {
        const type = reply.getHeader('content-type');
        if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/json');
        return payload;
      });
      routes(scope, registry, admitPersonalLink);
    },
    { prefix: PEXIP_CLIENT_PREFIX },
  );
}

function tokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.token;
  if (typeof header === 'string' && header) return header;
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' && query.token ? query.token : undefined;
}

function routes(app: FastifyInstance, registry: ConferenceRegistry, admitPersonalLink: PexipClientRoutesOptions['admitPersonalLink']): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true, tags: ['pexip-client'] };

  /** The caller's conference and participant, from the alias and the token. */
  const authenticate = (request: FastifyRequest, alias: string): { conference: Conference; me: Participant } => {
    const conference = registry.live(alias);
    // An ended or unknown conference has no valid tokens.
    if (!conference) throw pexipError(403, PexipMessage.invalidToken, 'invalid_token');
    return { conference, me: conference.authenticate(tokenOf(request)) };
  };

  /** Call endpoints act on the caller's own call only. */
  const ownCall = (request: FastifyRequest, params: { alias: string; participantUuid: string; callUuid: string }) => {
    const { conference, me } = authenticate(request, params.alias);
    if (params.participantUuid !== me.uuid) throw pexipError(403, PexipMessage.permissionDenied);
    return { conference, me, call: conference.callById(me, params.callUuid) };
  };

  typed.post(
    '/:alias/request_token',
    { schema: { ...hide, params: AliasParams, body: RequestTokenBody.optional() }, bodyLimit: BODY_LIMIT_BYTES },
    async (request, reply) => {
      const { alias } = request.params;
      const room = await registry.findOpenRoom(alias);
      if (!room) throw pexipError(404, PexipMessage.notFound, 'conference_not_found');
      const pinHeader = request.headers.pin;
      const pin = typeof pinHeader === 'string' ? pinHeader : undefined;
      const personal =
        admitPersonalLink && pin?.startsWith(PERSONAL_LINK_PIN_PREFIX) ? await admitPersonalLink(alias, pin.slice(PERSONAL_LINK_PIN_PREFIX.length)) : undefined;
      const check = personal ? ({ kind: 'ok', role: personal.role } as const) : registry.checkPin(room, alias, request.ip, pin);
      if (check.kind === 'required') {
        return reply.code(403).send(ok({ pin: check.pin, guest_pin: check.guestPin, version: VERSION }));
      }
      const body = request.body ?? {};
      // A personal link's holder joins under the name the link was made for.
      const displayName = personal?.displayName ?? (body.display_name?.trim() || (check.role === 'HOST' ? 'Vært' : 'Gæst'));
      const { participant, token, expiresSeconds } = registry.join(room, {
        displayName,
        role: check.role,
        callTag: body.call_tag,
        wantsDirectMedia: body.direct_media !== false,
        personalLink: personal !== undefined,
      });
      return ok({
        token,
        expires: String(expiresSeconds),
        participant_uuid: participant.uuid,
        version: VERSION,
        role: participant.role,
        display_name: participant.displayName,
        service_type: 'conference' as const,
        current_service_type: participant.serviceType,
        conference_name: room.name,
        chat_enabled: true,
        direct_media: participant.directMedia,
        ...(participant.dataChannelId !== null ? { pex_datachannel_id: participant.dataChannelId } : {}),
        guests_can_present: room.guestsCanPresent,
        call_type: 'video' as const,
        fecc_enabled: false,
        rtmp_enabled: false,
        trickle_ice_enabled: true,
        // The SDK pushes call statistics this often (ms); the call records judge quality from them.
        client_stats_update_interval: STATS_INTERVAL_MS,
        analytics_enabled: false,
        allow_1080p: false,
        vp9_enabled: false,
        breakout_rooms: false,
        ...(participant.callTag ? { call_tag: participant.callTag } : {}),
        // stun/turn deliberately absent: an empty list breaks Chrome's ICE configuration, and on
        // loopback/LAN host candidates suffice.
      });
    },
  );

  typed.post('/:alias/refresh_token', { schema: { ...hide, params: AliasParams, querystring: TokenQuery } }, async (request) => {
    const { conference, me } = authenticate(request, request.params.alias);
    const { token, expiresSeconds } = conference.refresh(me);
    return ok({ token, expires: String(expiresSeconds) });
  });

  typed.post(
    '/:alias/release_token',
    { schema: { ...hide, params: AliasParams, querystring: TokenQuery, body: ReleaseTokenBody } },
    async (request) => {
      const { conference, me } = authenticate(request, request.params.alias);
      await conference.leave(me.uuid);
      return ok(true);
    },
  );

  for (const path of ['/:alias/theme/', '/:alias/theme']) {
    typed.get(path, { schema: { ...hide, params: AliasParams, querystring: TokenQuery } }, async (request, reply) => {
      authenticate(request, request.params.alias);
      // No custom theme: the SDK falls back to its defaults on 204.
      return reply.code(204).send();
    });
  }

  typed.get('/:alias/events', { schema: { ...hide, params: AliasParams, querystring: TokenQuery } }, async (request, reply) => {
    const { conference, me } = authenticate(request, request.params.alias);
    reply.hijack();
    const stream: EventStream = new EventStream(reply.raw, 15_000, () => conference.streamClosed(me, stream));
    if (conference.ended || !conference.participants.has(me.uuid)) {
      stream.end();
      return;
    }
    conference.attachStream(me, stream);
  });

  typed.get('/:alias/participants', { schema: { ...hide, params: AliasParams, querystring: TokenQuery } }, async (request) => {
    const { conference } = authenticate(request, request.params.alias);
    return ok(conference.participantsJson());
  });

  typed.post('/:alias/message', { schema: { ...hide, params: AliasParams, body: MessageBody } }, async (request) => {
    const { conference, me } = authenticate(request, request.params.alias);
    if (me.serviceType !== 'conference') throw pexipError(403, PexipMessage.permissionDenied);
    conference.message(me, request.body.type, request.body.payload);
    return ok(true);
  });

  // Host-only conference controls.
  const hostControls: Record<string, (c: Conference) => void | Promise<void>> = {
    lock: (c) => c.setLocked(true),
    unlock: (c) => c.setLocked(false),
    muteguests: (c) => c.setGuestsMuted(true),
    unmuteguests: (c) => c.setGuestsMuted(false),
    clearallbuzz: (c) => c.lowerAllHands(),
    disconnect: (c) => c.end(EndReason.byHost),
  };
  for (const [name, action] of Object.entries(hostControls)) {
    typed.post(`/:alias/${name}`, { schema: { ...hide, params: AliasParams } }, async (request) => {
      const { conference, me } = authenticate(request, request.params.alias);
      conference.requireHost(me);
      await action(conference);
      return ok(true);
    });
  }

  // Controls on one participant (host, or the participant on themselves where that makes sense).
  type ParticipantAction = (c: Conference, me: Participant, target: Participant) => unknown;
  const participantControls: Record<string, ParticipantAction> = {
    mute: (c, me, t) => c.setAudioMuted(me, t, true),
    unmute: (c, me, t) => c.setAudioMuted(me, t, false),
    video_muted: (c, me, t) => c.setVideoMuted(me, t, true),
    video_unmuted: (c, me, t) => c.setVideoMuted(me, t, false),
    buzz: (c, me, t) => c.setHand(me, t, true),
    clearbuzz: (c, me, t) => c.setHand(me, t, false),
    unlock: (c, me, t) => {
      c.requireHost(me);
      c.admit(t);
    },
    disconnect: async (c, me, t) => {
      c.requireSelfOrHost(me, t);
      await c.leave(t.uuid, me.uuid === t.uuid ? undefined : EndReason.kicked);
    },
  };
  for (const [name, action] of Object.entries(participantControls)) {
    typed.post(`/:alias/participants/:participantUuid/${name}`, { schema: { ...hide, params: ParticipantParams } }, async (request) => {
      const { conference, me } = authenticate(request, request.params.alias);
      const target = conference.participant(request.params.participantUuid);
      await action(conference, me, target);
      return ok(true);
    });
  }

  for (const [name, take] of [
    ['take_floor', true],
    ['release_floor', false],
  ] as const) {
    typed.post(`/:alias/participants/:participantUuid/${name}`, { schema: { ...hide, params: ParticipantParams } }, async (request) => {
      const { conference, me } = authenticate(request, request.params.alias);
      if (request.params.participantUuid !== me.uuid) throw pexipError(403, PexipMessage.permissionDenied);
      if (take) conference.takeFloor(me);
      else conference.releaseFloor(me);
      return ok(null);
    });
  }

  typed.post(
    '/:alias/participants/:participantUuid/calls',
    { schema: { ...hide, params: ParticipantParams, body: CallsBody }, bodyLimit: BODY_LIMIT_BYTES },
    async (request) => {
      const { conference, me } = authenticate(request, request.params.alias);
      if (request.params.participantUuid !== me.uuid) throw pexipError(403, PexipMessage.permissionDenied);
      const answer = await conference.newCall(me, request.body.sdp);
      return ok(answer.offer_ignored ? answer : { call_uuid: answer.call_uuid, sdp: answer.sdp });
    },
  );

  typed.post(
    '/:alias/participants/:participantUuid/calls/:callUuid/ack',
    { schema: { ...hide, params: CallParams, body: AckBody } },
    async (request) => {
      const { conference, me, call } = ownCall(request, request.params);
      if (call) conference.ack(me, call, request.body);
      return ok(true);
    },
  );

  typed.post(
    '/:alias/participants/:participantUuid/calls/:callUuid/new_candidate',
    { schema: { ...hide, params: CallParams, body: NewCandidateBody } },
    async (request) => {
      const { conference, me, call } = ownCall(request, request.params);
      if (call) await conference.candidate(me, call, request.body);
      return ok(null);
    },
  );

  typed.post(
    '/:alias/participants/:participantUuid/calls/:callUuid/update',
    { schema: { ...hide, params: CallParams, body: UpdateBody }, bodyLimit: BODY_LIMIT_BYTES },
    async (request) => {
      const { conference, me, call } = ownCall(request, request.params);
      if (!call) throw pexipError(403, PexipMessage.unknownCall, 'unknown_call');
      const sdp = await conference.update(me, call, request.body.sdp);
      return ok(sdp ? { call_uuid: call.uuid, sdp } : '');
    },
  );

  typed.post(
    '/:alias/participants/:participantUuid/calls/:callUuid/disconnect',
    { schema: { ...hide, params: CallParams } },
    async (request) => {
      const { conference, me, call } = ownCall(request, request.params);
      await conference.disconnectCall(me, call);
      return ok(null);
    },
  );

  typed.post(
    '/:alias/participants/:participantUuid/calls/:callUuid/statistics',
    { schema: { ...hide, params: CallParams, body: StatisticsBody } },
    async (request) => {
      const { conference, me } = ownCall(request, request.params);
      conference.statistics(me, request.body);
      return ok(null);
    },
  );
}
