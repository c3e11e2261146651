import type { ComponentStatus, IncidentStatus, StatusDocument } from '../../src-shared/operations/status.schema';
import { escapeHtml } from '../http/html';

export type StatusLang = 'da' | 'en';

const TEXT = {
  da: {
    title: 'Driftsstatus – VDX',
    heading: 'Driftsstatus for VDX',
    allGood: 'Alle dele af VDX virker.',
    someDown: 'Der er forstyrrelser i VDX lige nu.',
    status: { operational: 'Virker', degraded: 'Forstyrret', outage: 'Nede', maintenance: 'Planlagt vedligehold' } satisfies Record<ComponentStatus, string>,
    incident: { investigating: 'Undersøges', identified: 'Årsag fundet', monitoring: 'Overvåges', resolved: 'Løst' } satisfies Record<IncidentStatus, string>,
    uptime: (percent: string) => `Oppetid de seneste 90 dage: ${percent}`,
    noUptime: 'Oppetid de seneste 90 dage: endnu ingen målinger',
    day: (date: string, percent: string) => `${date}: ${percent}`,
    noData: 'ingen målinger',
    incidents: 'Hændelser',
    noIncidents: 'Ingen hændelser de seneste 7 dage.',
    checked: (at: string) => `Sidst kontrolleret ${at}`,
    json: 'Status som JSON',
    other: 'English',
    locale: 'da-DK',
  },
  en: {
    title: 'Service status – VDX',
    heading: 'VDX service status',
    allGood: 'All parts of VDX are working.',
    someDown: 'Parts of VDX are disturbed right now.',
    status: { operational: 'Operational', degraded: 'Degraded', outage: 'Outage', maintenance: 'Planned maintenance' } satisfies Record<ComponentStatus, string>,
    incident: { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' } satisfies Record<IncidentStatus, string>,
    uptime: (percent: string) => `Uptime over the last 90 days: ${percent}`,
    noUptime: 'Uptime over the last 90 days: no measurements yet',
    day: (date: string, percent: string) => `${date}: ${percent}`,
    noData: 'no measurements',
    incidents: 'Incidents',
    noIncidents: 'No incidents in the last 7 days.',
    checked: (at: string) => `Last checked ${at}`,
    json: 'Status as JSON',
    other: 'Dansk',
    locale: 'en-GB',
  },
} as const;

const STYLE = `
:root{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;font-size:16px;line-height:1.45;background:#eef2f6;color:#14202c}
*{box-sizing:border-box}body{margin:0}
main{max-width:48rem;margin:1.5rem auto;padding:1.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 4px rgba(0,0,0,.12)}
@media (max-width:520px){main{margin:0;border-radius:0;padding:1rem}}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem}
h1{font-size:1.5rem;margin:.25rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:0}
a{color:#0b5394}:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.summary{padding:.75rem 1rem;border-radius:8px;font-weight:600;margin:0 0 1rem}
.summary.ok{background:#e8f5e9;color:#123d17}.summary.bad{background:#fdecea;color:#5f1410}
ul{list-style:none;margin:0;padding:0}
.component{border-top:1px solid #d5dde5;padding:.75rem 0}
.row{display:flex;justify-content:space-between;gap:.5rem;flex-wrap:wrap}
.state{font-weight:600}.operational{color:#1b5e20}.degraded{color:#8a4b00}.outage{color:#b3261e}.maintenance{color:#0b5394}
.bars{display:flex;gap:1px;height:1.5rem;margin:.4rem 0 .2rem}
.bars span{flex:1;border-radius:1px;background:#c4ccd4}
.bars .up{background:#2e7d32}.bars .dip{background:#e0a100}.bars .down{background:#b3261e}
.meta{font-size:.875rem;color:#4a5866;margin:0}
.incident{border-left:4px solid #8a4b00;padding:.5rem .75rem;margin:.5rem 0;background:#fff8e1}
.incident.resolved{border-color:#2e7d32;background:#f1f8f1}
`;

/** How a day's bar looks: full green, a dip (under 99.5 %, VDX's lower goal), or down (under 95 %). */
function barClass(percent: number | null): string {
  if (percent === null) return '';
  if (percent >= 99.5) return 'up';
  return percent >= 95 ? 'dip' : 'down';
}

/**
 * The public status page at `/status`: server-rendered, no script (it works in any browser and
 * under the strict CSP), Danish by default. Each component's 90 daily bars are decoration with a
 * tooltip each; the figure a screen reader needs is the 90-day uptime sentence beside them.
 */
export function statusPage(doc: StatusDocument, lang: StatusLang): string {
  const t = TEXT[lang];
  const percent = (n: number) => `${n.toLocaleString(t.locale, { maximumFractionDigits: 2 })} %`;
  const time = (iso: string) => new Date(iso).toLocaleString(t.locale, { timeZone: 'Europe/Copenhagen', dateStyle: 'medium', timeStyle: 'short' });
  const allGood = doc.components.every((c) => c.status === 'operational');

  const components = doc.components
    .map((c) => {
      const measured = c.uptime.filter((d) => d.uptimePercent !== null);
      const average = measured.length ? measured.reduce((sum, d) => sum + d.uptimePercent!, 0) / measured.length : null;
      const bars = c.uptime
        .map((d) => `<span class="${barClass(d.uptimePercent)}" title="${escapeHtml(t.day(d.date, d.uptimePercent === null ? t.noData : percent(d.uptimePercent)))}"></span>`)
        .join('');
      return `<li class="component"><div class="row"><h3>${escapeHtml(c.name)}</h3><span class="state ${c.status}">${t.status[c.status]}</span></div>
<div class="bars" aria-hidden="true">${bars}</div>
<p class="meta">${average === null ? t.noUptime : t.uptime(percent(Math.round(average * 100) / 100))}${c.checkedAt ? ` · ${escapeHtml(t.checked(time(c.checkedAt)))}` : ''}</p></li>`;
    })
    .join('');

  const names = new Map(doc.components.map((c) => [c.id, c.name]));
  const incidents = doc.incidents.length
    ? `<ul>${doc.incidents
        .map(
          (i) => `<li class="incident${i.status === 'resolved' ? ' resolved' : ''}"><h3>${escapeHtml(i.title)} – ${t.incident[i.status]}</h3>
<p class="meta">${i.componentIds.map((id) => escapeHtml(names.get(id) ?? id)).join(', ')}</p>
${i.updates
  .filter((u) => u.message)
  .map((u) => `<p><strong>${t.incident[u.status]}</strong> (${escapeHtml(time(u.createdAt))}): ${escapeHtml(u.message)}</p>`)
  .join('')}</li>`,
        )
        .join('')}</ul>`
    : `<p>${t.noIncidents}</p>`;

  const other = lang === 'da' ? 'en' : 'da';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title><style>${STYLE}</style></head>
<body><main><header><strong>VDX</strong><a href="/status?lang=${other}" lang="${other}" hreflang="${other}">${t.other}</a></header>
<h1>${t.heading}</h1>
<p class="summary ${allGood ? 'ok' : 'bad'}" role="status">${allGood ? t.allGood : t.someDown}</p>
<ul>${components}</ul>
<h2>${t.incidents}</h2>${incidents}
<p class="meta"><a href="/status.json">${t.json}</a></p>
</main></body></html>`;
}
