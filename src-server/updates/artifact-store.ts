import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { payloadTooLarge } from '../http/errors';

export interface StoredArtifact {
  /** Relative to the artifact directory. */
  storedPath: string;
  /** Base64, as electron-updater compares it. */
  sha512: string;
  size: number;
}

/**
 * Uploaded release files on disk (default `var/artifacts`, `VDX_ARTIFACTS_DIR`). Bytes are hashed
 * while they stream in, so the digest in the feed is always the server's own, never the uploader's
 * claim; a file appears under its final name only when it arrived completely.
 */
export class ArtifactStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  /** Streams `body` to disk; rejects with 413 (nothing kept) once it exceeds `maxBytes`. */
  async receive(body: Readable, maxBytes: number): Promise<StoredArtifact> {
    const folder = randomUUID();
    await mkdir(join(this.dir, folder), { recursive: true });
    const storedPath = join(folder, 'artifact');
    const temp = join(this.dir, folder, '.partial');
    const hash = createHash('sha512');
    let size = 0;
    const out = createWriteStream(temp);
    try {
      await new Promise<void>((done, fail) => {
        const abort = (err: Error) => {
          body.unpipe(out);
          body.resume();
          out.destroy();
          fail(err);
        };
        body.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) abort(payloadTooLarge(`Artifacts may be at most ${maxBytes} bytes`));
          else hash.update(chunk);
        });
        body.on('error', abort);
        out.on('error', abort);
        out.on('finish', () => done());
        body.pipe(out);
      });
      await rename(temp, join(this.dir, storedPath));
      return { storedPath, sha512: hash.digest('base64'), size };
    } catch (err) {
      await rm(join(this.dir, folder), { recursive: true, force: true });
      throw err;
    }
  }

  /** Absolute path of a stored artifact and its size on disk, or undefined when it is gone. */
  async locate(storedPath: string): Promise<{ path: string; size: number } | undefined> {
    const path = join(this.dir, storedPath);
    try {
      const s = await stat(path);
      return s.isFile() ? { path, size: s.size } : undefined;
    } catch {
      return undefined;
    }
  }

  async remove(storedPath: string): Promise<void> {
    const folder = storedPath.split(/[\\/]/)[0];
    if (folder) await rm(join(this.dir, folder), { recursive: true, force: true });
  }
}
