import { realpathSync, type Dirent } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/**
 * A problem the agent caused or can fix (bad path, missing file, read-only target).
 * The message always starts with `EnvError: ` and becomes the step's observation;
 * it never ends a run.
 */
export class EnvError extends Error {
  constructor(message: string) {
    super(message.startsWith('EnvError: ') ? message : `EnvError: ${message}`);
    this.name = 'EnvError';
  }
}

/** Runs `work`; an EnvError becomes `{ observation: message }` instead of an exception. */
export async function observeEnvErrors<T extends { observation: string }>(
  work: () => Promise<T>,
): Promise<T | { observation: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EnvError) return { observation: error.message };
    throw error;
  }
}

/** Folders the agent never sees in listings; `.budgetml` is also never written by the agent. */
const RUN_FOLDER = '.budgetml';
const HIDDEN_IN_LISTINGS = new Set([RUN_FOLDER, '.git']);
/** Files larger than this are not read whole as text. */
const MAX_TEXT_BYTES = 20 * 1024 * 1024;

/**
 * The agent's work directory. Every path the agent names is confined to it: no `..` escapes,
 * no absolute paths outside, no symbolic links leading outside, no writes to read-only files.
 * A failed check throws EnvError before anything on disk is touched.
 */
export class Workspace {
  /** the real path of the work directory */
  readonly root: string;
  private readonly readOnly: RegExp[];

  /**
   * @param protectedDirs folders inside or outside the workspace the agent may never write (the run
   *   folder, whatever its name); `.git` is always protected
   */
  constructor(root: string, readOnlyGlobs: string[] = [], readonly protectedDirs: readonly string[] = []) {
    this.root = realpathSync(root);
    this.readOnly = readOnlyGlobs.map(normalizeGlob).filter((g) => g !== '').map(globToRegExp);
  }

  static async open(root: string, readOnlyGlobs: string[] = [], protectedDirs: readonly string[] = []): Promise<Workspace> {
    return new Workspace(await fs.realpath(root), readOnlyGlobs, protectedDirs);
  }

  /** Resolves a path the agent gave to an absolute real path inside the workspace. */
  async resolve(relPath: string, mode: 'read' | 'write'): Promise<string> {
    checkName(relPath);
    const lexical = path.resolve(this.root, relPath);
    if (isOutside(path.relative(this.root, lexical))) {
      throw new EnvError(`${relPath} is outside the work directory; use a path relative to it, such as "train.py".`);
    }
    const real = await this.realPathOf(lexical, relPath);
    if (isOutside(path.relative(this.root, real))) {
      throw new EnvError(`${relPath} leads outside the work directory through a symbolic link.`);
    }
    if (mode === 'write') await this.checkWritable(relPath, [lexical, real]);
    return real;
  }

  /** The workspace-relative form of an absolute path, with forward slashes ('.' for the root). */
  relative(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/') || '.';
  }

  /** Is the path a read-only file (or inside a read-only folder)? */
  isReadOnly(rel: string): boolean {
    const parts = rel.split('/');
    return parts.some((_, i) => {
      const prefix = parts.slice(0, i + 1).join('/');
      return this.readOnly.some((re) => re.test(prefix));
    });
  }

  async readText(rel: string): Promise<string> {
    const abs = await this.resolve(rel, 'read');
    const stat = await this.statFile(abs, rel);
    if (stat.size > MAX_TEXT_BYTES) {
      throw new EnvError(`${rel} is too large to read whole (${megabytes(stat.size)} MB); inspect parts of it instead.`);
    }
    return decodeText(await fs.readFile(abs), rel);
  }

  /** The beginning of a text file, cut at a line end when it is longer than `maxBytes`. */
  async readTextHead(rel: string, maxBytes: number): Promise<{ text: string; truncated: boolean; size: number }> {
    const abs = await this.resolve(rel, 'read');
    const stat = await this.statFile(abs, rel);
    if (stat.size <= maxBytes) return { text: decodeText(await fs.readFile(abs), rel), truncated: false, size: stat.size };
    const handle = await fs.open(abs, 'r');
    try {
      const buffer = Buffer.alloc(maxBytes);
      const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
      const text = decodeText(buffer.subarray(0, bytesRead), rel);
      const lastNewline = text.lastIndexOf('\n');
      return { text: lastNewline > 0 ? text.slice(0, lastNewline + 1) : text, truncated: true, size: stat.size };
    } finally {
      await handle.close();
    }
  }

  /** Does the path exist? Throws EnvError for paths that are not allowed at all. */
  async exists(rel: string): Promise<boolean> {
    const abs = await this.resolve(rel, 'read');
    return fs.lstat(abs).then(
      () => true,
      () => false,
    );
  }

  /** `ls -F` style: one name per line, sorted, folders end in `/`, symbolic links in `@`. */
  async list(rel: string): Promise<string> {
    const abs = await this.resolve(rel, 'read');
    let entries: Dirent[];
    try {
      entries = await fs.readdir(abs, { withFileTypes: true });
    } catch (error) {
      throw fsError(error, rel, 'list');
    }
    return entries
      .filter((e) => !HIDDEN_IN_LISTINGS.has(e.name))
      .map((e) => e.name + (e.isDirectory() ? '/' : e.isSymbolicLink() ? '@' : ''))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .join('\n');
  }

  /** Copies a file; the destination is checked like any write. */
  async copy(src: string, dst: string): Promise<void> {
    const from = await this.resolve(src, 'read');
    await this.statFile(from, src);
    const to = await this.resolve(dst, 'write');
    if (from === to) throw new EnvError(`${src} and ${dst} are the same file.`);
    try {
      await fs.mkdir(path.dirname(to), { recursive: true });
      await fs.copyFile(from, to);
    } catch (error) {
      throw fsError(error, dst, 'write');
    }
  }

  /** The real path of `abs`: the deepest existing ancestor's real path plus the rest. */
  private async realPathOf(abs: string, shown: string): Promise<string> {
    const rest: string[] = [];
    let current = abs;
    for (;;) {
      try {
        const real = await fs.realpath(current);
        if (rest.length > 0 && !(await fs.stat(real)).isDirectory()) {
          throw new EnvError(`${shown} goes through ${this.relative(real)}, which is a file, not a folder.`);
        }
        return path.join(real, ...rest.reverse());
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw new EnvError(`${shown} goes through a loop of symbolic links.`);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw fsError(error, shown, 'read');
        if (await isSymlink(current)) throw new EnvError(`${shown} goes through a broken symbolic link.`);
        rest.push(path.basename(current));
        current = path.dirname(current);
      }
    }
  }

  private async checkWritable(shown: string, candidates: string[]): Promise<void> {
    for (const abs of candidates) {
      const rel = this.relative(abs);
      if (rel === '.') throw new EnvError(`${shown} is the work directory itself; give a file name.`);
      if (rel.split('/')[0] === RUN_FOLDER) {
        throw new EnvError(`${shown} is inside ${RUN_FOLDER}, the agent's own records, which cannot be written.`);
      }
      if (this.isReadOnly(rel)) throw new EnvError(`${shown} is read-only; save your changes under another name.`);
    }
    const stat = await fs.stat(candidates[candidates.length - 1]).catch(() => undefined);
    if (stat?.isDirectory()) throw new EnvError(`${shown} is a folder; give a file name.`);
  }

  private async statFile(abs: string, shown: string) {
    try {
      const stat = await fs.stat(abs);
      if (stat.isDirectory()) throw new EnvError(`${shown} is a folder, not a file; use List Files to see inside it.`);
      return stat;
    } catch (error) {
      throw fsError(error, shown, 'read');
    }
  }
}

function checkName(relPath: string): void {
  if (typeof relPath !== 'string' || relPath.trim() === '') {
    throw new EnvError('The path is empty; give a path relative to the work directory, such as "." or "train.py".');
  }
  if (relPath.includes('\0')) throw new EnvError('The path contains a NUL character, which no file name can hold.');
}

function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}

async function isSymlink(abs: string): Promise<boolean> {
  const stat = await fs.lstat(abs).catch(() => undefined);
  return stat?.isSymbolicLink() ?? false;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function decodeText(buffer: Buffer, shown: string): string {
  if (buffer.subarray(0, 8000).includes(0)) {
    throw new EnvError(`${shown} looks like a binary file, not text.`);
  }
  return buffer.toString('utf8');
}

/** Turns a file-system error into a sentence the agent can act on. */
export function fsError(error: unknown, shown: string, verb: 'read' | 'write' | 'list'): Error {
  if (error instanceof EnvError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new EnvError(`Cannot find ${shown}; use List Files to see which files exist.`);
    case 'ENOTDIR':
      return new EnvError(`${shown} is not a folder.`);
    case 'EISDIR':
      return new EnvError(`${shown} is a folder, not a file.`);
    case 'EACCES':
    case 'EPERM':
      return new EnvError(`Permission denied: cannot ${verb} ${shown}.`);
    default:
      return new EnvError(`Cannot ${verb} ${shown}: ${(error as Error).message}`);
  }
}

/** Read-only patterns are relative paths with forward slashes: "./data/" → "data". */
function normalizeGlob(glob: string): string {
  return glob.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/**
 * A minimal glob: `*` and `?` stay inside one path segment, `**` crosses segments
 * (`**\/x` also matches `x` at the top). Everything else matches itself.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; ) {
    if (glob.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 3;
    } else if (glob.startsWith('**', i)) {
      re += '.*';
      i += 2;
    } else if (glob[i] === '*') {
      re += '[^/]*';
      i += 1;
    } else if (glob[i] === '?') {
      re += '[^/]';
      i += 1;
    } else {
      re += glob[i].replace(/[.+^${}()|[\]\\]/g, '\\$&');
      i += 1;
    }
  }
  return new RegExp(`^${re}$`);
}
