import { describe, expect, it } from 'vitest';
import { StaffSessionError } from '../ui/staff-session/staff-session';
import { BookingApiError, createBookingApi, vdxInstant, type AuthorisedFetch } from './booking-api';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function recording(answer: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: Array<{ url: string; method: string; body?: unknown }> = [];
  const fetcher: AuthorisedFetch = async (url, init) => {
    calls.push({ url, method: init?.method ?? 'GET', body: init?.body ? JSON.parse(String(init.body)) : undefined });
    return answer(url, init);
  };
  return { calls, api: createBookingApi(fetcher) };
}

describe('booking API client', () => {
  it('lists meetings by the VDX start-time window, with timestamps as the API takes them', async () => {
    const { calls, api } = recording(() => json(200, [{ uuid: 'a' }]));
    const list = await api.meetingsBetween(new Date('2026-03-01T08:00:00.123Z'), new Date('2026-04-01T08:00:00Z'));
    expect(list).toEqual([{ uuid: 'a' }]);
    const url = new URL(calls[0]!.url, 'http://x');
    expect(url.pathname).toBe('/videoapi/v2/meetings');
    expect(url.searchParams.get('from-start-time')).toBe('2026-03-01T08:00:00Z');
    expect(url.searchParams.get('to-start-time')).toBe('2026-04-01T08:00:00Z');
  });

  it('reads the VDX detailed_error_code (a JSON string) of a refusal as a number', async () => {
    const { api } = recording(() => json(406, { status: 406, error: 'Not Acceptable', detailed_error: 'x', detailed_error_code: '13' }));
    const err = await api.deleteMeeting('u').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BookingApiError);
    expect(err).toMatchObject({ kind: 'rejected', status: 406, vdxCode: 13 });
  });

  it("reads our APIs' error code ({error:{code}})", async () => {
    const { api } = recording(() => json(409, { error: { code: 'participant_exists', message: 'x' } }));
    await expect(api.addParticipant('m', { kind: 'room', roomId: 'r', role: 'guest' })).rejects.toMatchObject({ kind: 'rejected', status: 409, code: 'participant_exists' });
  });

  it('tells a network failure from an ended sign-in', async () => {
    const down = recording(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(down.api.templates()).rejects.toMatchObject({ kind: 'unreachable' });
    const ended = recording(() => Promise.reject(new StaffSessionError('signed_out', 'Not signed in')));
    await expect(ended.api.templates()).rejects.toMatchObject({ kind: 'signed-out' });
    const refused = recording(() => json(401, {}));
    await expect(refused.api.templates()).rejects.toMatchObject({ kind: 'signed-out' });
  });

  it("picks the caller's organisation's pool and validates appointments answers", async () => {
    const { api } = recording((url) =>
      url.endsWith('/pool')
        ? json(200, [{ organisationId: 'other', desiredPoolSize: 2 }, { organisationId: 'org', desiredPoolSize: 3 }])
        : json(200, { rooms: [{ id: 'r1', name: 'Stuen' }] }),
    );
    expect((await api.pool('org'))?.desiredPoolSize).toBe(3);
    expect(await api.rooms()).toEqual([{ id: 'r1', name: 'Stuen' }]);
  });

  it('sends bodies as JSON and answers 204 with nothing', async () => {
    const { calls, api } = recording((_url, init) => (init?.method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, { uuid: 'm' })));
    await api.patchMeeting('m', { endTime: '2026-03-01T10:00:00Z' });
    await expect(api.deleteMeeting('m')).resolves.toBeUndefined();
    expect(calls[0]).toEqual({ url: '/videoapi/v2/meetings/m', method: 'PATCH', body: { endTime: '2026-03-01T10:00:00Z' } });
  });

  it('writes instants to the second, in UTC', () => {
    expect(vdxInstant(new Date('2026-07-01T08:00:00.999Z'))).toBe('2026-07-01T08:00:00Z');
  });
});
