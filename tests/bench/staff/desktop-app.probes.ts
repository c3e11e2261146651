import { ManualClock } from '../../../src-shared/platform/clock';
import { createTestAgent } from '../../../src-main/agent/test-support/test-agent';
import { SystemBrowserDouble } from '../../room-app/support/system-browser-double';
import { spread, type Figure, type StaffProbe } from './staff-bench';

/**
 * The desktop app's figures (decision 0017), with the real device agent in-process against the
 * bench's server and a browser double that signs in over loopback HTTP as a person's browser
 * would (no typing time): the sign-in round trip from "Log ind" to signed in (authorization
 * request, loopback listener, sign-in page, password, redirect, code + PKCE redemption; the first
 * run includes the provider's metadata), and the time to the first "my meetings today" answer
 * (the booking API read with the person's token plus one scheduling info per meeting).
 */

const SIGN_IN_TARGET_MS = 1000;
const FIRST_LIST_TARGET_MS = 1000;

export const desktopApp: StaffProbe = {
  name: 'desktop app',
  async run(ctx) {
    const signIns: number[] = [];
    const lists: number[] = [];
    let meetings = 0;
    for (let i = 0; i < ctx.runs; i++) {
      const browser = new SystemBrowserDouble({ email: ctx.clinician.email, password: ctx.clinician.password });
      const a = createTestAgent({ serverUrl: ctx.baseUrl, clock: new ManualClock(new Date()), mode: 'desktop', overrides: { browser } });
      await a.agent.start();
      try {
        let t0 = performance.now();
        await a.agent.handlers['staff:sign-in']({});
        signIns.push(performance.now() - t0);
        t0 = performance.now();
        meetings = (await a.agent.handlers['staff:meetings-today']({})).meetings.length;
        lists.push(performance.now() - t0);
        await a.agent.handlers['staff:sign-out']({});
      } finally {
        await a.agent.stop();
      }
    }
    const s = spread(signIns);
    const l = spread(lists);
    const figures: Figure[] = [
      { name: 'desktop sign-in round trip (Log ind → signed in)', value: s.median, unit: 'ms', target: SIGN_IN_TARGET_MS, note: `max ${Math.round(s.max)} ms; first run ${Math.round(signIns[0]!)} ms (with discovery)` },
      { name: `desktop first meeting list (${meetings} today, with addresses)`, value: l.median, unit: 'ms', target: FIRST_LIST_TARGET_MS, note: `max ${Math.round(l.max)} ms` },
    ];
    return figures;
  },
};
