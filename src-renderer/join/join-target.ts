import { JoinShortIdSchema, PersonalLinkRequestSchema } from '../../src-shared/join/join-meeting.schema';

/**
 * What the guest page was opened for: `/join/{shortId}` or `/join?alias=...` (SMS and portal links).
 * A personal link (SMS Video) adds `#p=<token>`: the fragment never reaches a server log; the page
 * trades the token for the meeting and the name to join as.
 */
export type JoinTarget =
  | { kind: 'short-id'; shortId: string; name?: string; personalToken?: string }
  | { kind: 'alias'; alias: string; name?: string }
  | { kind: 'none' };

const ALIAS = /^[^\s/?#]{1,255}$/;

/** Reads the target from a page URL. Anything malformed is `none` (the page says the link is broken). */
export function parseJoinTarget(url: URL): JoinTarget {
  const rawName = url.searchParams.get('name')?.trim();
  const name = rawName && rawName.length <= 80 ? rawName : undefined;
  const alias = url.searchParams.get('alias')?.trim();
  if (alias && ALIAS.test(alias)) return { kind: 'alias', alias, ...(name ? { name } : {}) };
  const match = /^\/join\/([^/]+)\/?$/.exec(url.pathname);
  if (match) {
    let shortId: string;
    try {
      shortId = decodeURIComponent(match[1]!);
    } catch {
      return { kind: 'none' };
    }
    const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('p');
    const personalToken = token && PersonalLinkRequestSchema.shape.token.safeParse(token).success ? token : undefined;
    if (JoinShortIdSchema.safeParse(shortId).success) return { kind: 'short-id', shortId, ...(name ? { name } : {}), ...(personalToken ? { personalToken } : {}) };
  }
  return { kind: 'none' };
}
