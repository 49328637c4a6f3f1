/**
 * The cache's persistent level (--cache-dir): answers every client may be given (`public`, and
 * --cache-tool tools), each in a file of its own with its expiry in wall-clock time, so that a
 * restarted proxy answers them at once. Only for the same server: each file is named after a
 * fingerprint of the command, its arguments, the files among them (size and modification time)
 * and the server's name and version, so a changed server starts cold. `private` answers are
 * never written (they belong to one authorization context, and a disk outlives it). A
 * legacy list kept until `list_changed` is written only while its server has not announced a
 * change since it started (then it is what a fresh instance lists). Writes are atomic (a temporary
 * file renamed) and never block serving; a file that cannot be read is ignored.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One answer as stored. */
export interface DiskEntry {
  /** Its cache key (readCache.ts). */
  key: string;
  /** The response text. */
  raw: string;
  /** The proxy id inside `raw`. */
  id: number;
  /** Its method. */
  method: string;
  /** A resources/read's URI. */
  uri: string | undefined;
  /** Date.now() after which it is stale (null: until a change notification). */
  expiresAtMs: number | null;
}

/** Version of the file layout: a file of another version is ignored. */
const FORMAT = 1;

/** Entries of one server in one folder. */
export class CacheDisk {
  /** File name (without folder) per key written or loaded. */
  private readonly files = new Map<string, string>();
  /** Writes and deletions under way (a proxy that stops waits for them: settled()). */
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly dir: string, private readonly fingerprint: string) {}

  /** The fingerprint of a server: its command line, the files it names, what it says it is. */
  static async fingerprintOf(command: string, args: readonly string[], serverInfo: unknown): Promise<string> {
    const stamps: Array<string | null> = [];
    for (const a of [command, ...args]) {
      const s = await stat(a).catch(() => null);
      stamps.push(s?.isFile() ? `${s.size}:${s.mtimeMs}` : null);
    }
    return createHash('sha256').update(JSON.stringify({ command, args, stamps, serverInfo })).digest('hex').slice(0, 32);
  }

  /** Entries of this server that are still fresh at `nowMs`; expired ones are deleted. */
  async load(nowMs = Date.now()): Promise<DiskEntry[]> {
    await mkdir(this.dir, { recursive: true });
    const out: DiskEntry[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.startsWith(`${this.fingerprint}-`) || !name.endsWith('.json')) continue;
      const e = await readFile(join(this.dir, name), 'utf8').then((t) => JSON.parse(t) as DiskEntry & { format?: number }, () => null);
      if (e === null || e.format !== FORMAT || typeof e.key !== 'string' || typeof e.raw !== 'string') continue;
      if (e.expiresAtMs !== null && e.expiresAtMs <= nowMs) {
        await rm(join(this.dir, name), { force: true });
        continue;
      }
      this.files.set(e.key, name);
      out.push({ key: e.key, raw: e.raw, id: e.id, method: e.method, uri: e.uri, expiresAtMs: e.expiresAtMs });
    }
    return out;
  }

  /** Write `e` in the background (atomically: a temporary file renamed over the old one); a failed write is dropped (the next start is colder). */
  save(e: DiskEntry): void {
    this.track(this.write(e));
  }

  /** Delete, in the background, the files of the keys `match` selects. */
  forget(match: (key: string) => boolean): void {
    this.track(this.remove(match));
  }

  /** Resolves once every write and deletion begun so far has ended. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private track(op: Promise<void>): void {
    const p = op.catch(() => {}).finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Write `e` (atomically: a temporary file renamed over the old one). */
  async write(e: DiskEntry): Promise<void> {
    const name = `${this.fingerprint}-${createHash('sha256').update(e.key).digest('hex').slice(0, 32)}.json`;
    const tmp = join(this.dir, `.${name}.${process.pid}.tmp`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(tmp, JSON.stringify({ format: FORMAT, ...e }));
    await rename(tmp, join(this.dir, name));
    this.files.set(e.key, name);
  }

  /** Delete the files of the keys `match` selects. */
  async remove(match: (key: string) => boolean): Promise<void> {
    for (const [key, name] of [...this.files]) {
      if (!match(key)) continue;
      this.files.delete(key);
      await rm(join(this.dir, name), { force: true });
    }
  }
}
