import type { FeedPlatform, Release, ReleaseChannel, ReleaseFile } from '../../src-shared/updates/releases.contract';
import { compareVersions } from './version-order';

/**
 * The electron-updater *generic provider* feed, as pure functions: which file a request names,
 * which release it gets, and the YAML it is written as.
 *
 * electron-updater asks `<base>/<channel-file>` where the channel file is `latest.yml` (Windows),
 * `latest-mac.yml`, `latest-linux.yml` or `latest-linux-arm64.yml`, or `<channel>-<platform>.yml`
 * when the app sets `autoUpdater.channel`. Our base URL already names the channel
 * (`/updates/beta/`), so a `beta-linux.yml` under it means the same as `latest-linux.yml`.
 */
export interface FeedFileRequest {
  /** Channel named by the file, when it is not `latest`. */
  channel?: ReleaseChannel;
  platform: FeedPlatform;
}

const FEED_FILE = /^(latest|stable|beta)(-mac|-linux-arm64|-linux)?\.yml$/;

/** `undefined` when the name is not a feed file (then it may be an artifact). */
export function parseFeedFileName(name: string): FeedFileRequest | undefined {
  const m = FEED_FILE.exec(name);
  if (!m) return undefined;
  const platform: FeedPlatform =
    m[2] === '-mac' ? 'mac' : m[2] === '-linux' ? 'linux' : m[2] === '-linux-arm64' ? 'linux-arm64' : 'windows';
  return { ...(m[1] === 'latest' ? {} : { channel: m[1] as ReleaseChannel }), platform };
}

/** Installer extensions electron-updater picks per platform; files with other names go everywhere. */
const EXTENSIONS: Record<'windows' | 'mac' | 'linux', RegExp> = {
  windows: /\.(exe|msi|nupkg)$/i,
  mac: /\.(dmg|zip|pkg)$/i,
  linux: /\.(AppImage|deb|rpm|pacman|snap|tar\.gz)$/i,
};

export function filesForPlatform(files: ReleaseFile[], platform: FeedPlatform): ReleaseFile[] {
  const own = platform === 'linux-arm64' ? 'linux' : platform;
  const path = (url: string) => url.split(/[?#]/)[0]!;
  return files.filter((f) => {
    const name = path(f.url);
    if (EXTENSIONS[own].test(name)) return true;
    return !Object.values(EXTENSIONS).some((re) => re.test(name));
  });
}

/** Channels whose releases a device on `channel` takes: beta devices also take newer stable releases. */
export function channelsServing(channel: ReleaseChannel): ReleaseChannel[] {
  return channel === 'beta' ? ['beta', 'stable'] : ['stable'];
}

export interface FeedChoice {
  release: Release;
  files: ReleaseFile[];
  /** True when a room pin chose the release; staging then does not apply. */
  pinned: boolean;
}

/**
 * The release a device gets: its room's pinned version if that release exists (whatever its
 * channel or pause state — a pin is IT's explicit decision), else the newest unpaused release on
 * the channels it follows that has a file for its platform. A paused release is skipped, so the
 * feed falls back to the previous one.
 */
export function chooseRelease(
  releases: Release[],
  request: { channel: ReleaseChannel; platform: FeedPlatform; pinnedVersion?: string },
): FeedChoice | undefined {
  if (request.pinnedVersion) {
    const pinned = releases.find((r) => r.version === request.pinnedVersion);
    const files = pinned ? filesForPlatform(pinned.files, request.platform) : [];
    if (pinned && files.length) return { release: pinned, files, pinned: true };
  }
  const channels = channelsServing(request.channel);
  const candidates = releases
    .filter((r) => !r.paused && channels.includes(r.channel))
    .map((release) => ({ release, files: filesForPlatform(release.files, request.platform), pinned: false }))
    .filter((c) => c.files.length > 0)
    .sort((a, b) => compareVersions(b.release.version, a.release.version));
  return candidates[0];
}

/**
 * Writes the channel file. Every string is a JSON string literal, which YAML accepts as a
 * double-quoted scalar, so notes with colons, quotes or newlines can never break the document.
 */
export function renderFeedYaml(choice: FeedChoice): string {
  const q = (s: string) => JSON.stringify(s);
  const { release, files } = choice;
  const main = files[0]!;
  const lines = [`version: ${q(release.version)}`, 'files:'];
  for (const f of files) {
    lines.push(`  - url: ${q(f.url)}`, `    sha512: ${q(f.sha512)}`, `    size: ${f.size}`);
  }
  // `path`/`sha512` at top level are the legacy single-file fields older updaters read.
  lines.push(`path: ${q(main.url)}`, `sha512: ${q(main.sha512)}`, `releaseDate: ${q(release.releaseDate)}`);
  if (release.notes) lines.push(`releaseNotes: ${q(release.notes)}`);
  if (!choice.pinned && release.stagingPercentage !== null) lines.push(`stagingPercentage: ${release.stagingPercentage}`);
  return `${lines.join('\n')}\n`;
}
