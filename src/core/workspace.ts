import { randomBytes } from 'node:crypto';
import { realpathSync, type Dirent, type Stats } from 'node:fs';
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
export async function observeEnvErrors<T extends { observation: string }>(work: () => Promise<T>): Promise<T | { observation: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EnvError) return { observation: error.message };
    throw error;
  }
}

/** Folders the agent never sees in listings; `.budgetml` is also never written by the agent. */
const RUN_FOLDER = '.budgetml';
/** the repository's own records: never written by the agent, at any depth (hooks there run code) */
const GIT_FOLDER = '.git';
const HIDDEN_IN_LISTINGS = new Set([RUN_FOLDER, GIT_FOLDER]);
/** Files larger than this are not read whole as text. */
const MAX_TEXT_BYTES = 20 * 1024 * 1024;
/** the usual limits of file systems: one name (NAME_MAX) and a whole path (PATH_MAX), in bytes */
const MAX_NAME_BYTES = 255;
const MAX_PATH_BYTES = 4096;

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
  constructor(
    root: string,
    readOnlyGlobs: string[] = [],
    readonly protectedDirs: readonly string[] = [],
  ) {
    this.root = realpathSync(root);
    this.readOnly = readOnlyGlobs
      .map(normalizeGlob)
      .filter((g) => g !== '')
      .map(globToRegExp);
  }

  /**
   * Lexical and real forms of the protected folders (a folder made after opening is real-pathed now).
   * A protected folder that holds the workspace itself (an MLAgentBench run keeps its workspace in the
   * run folder) guards only what lies outside the workspace, which no write reaches anyway.
   */
  private async protectedPaths(): Promise<string[]> {
    const found = await Promise.all(
      this.protectedDirs.map(async (dir) => {
        const lexical = path.resolve(this.root, dir);
        const real = await fs.realpath(lexical).catch(() => lexical);
        return [lexical, real];
      }),
    );
    return found.flat().filter((dir) => !isWithin(dir, this.root));
  }

  static async open(root: string, readOnlyGlobs: string[] = [], protectedDirs: readonly string[] = []): Promise<Workspace> {
    return new Workspace(await fs.realpath(root), readOnlyGlobs, protectedDirs);
  }

  /** Resolves a path the agent gave to an absolute real path inside the workspace. */
  async resolve(relPath: string, mode: 'read' | 'write'): Promise<string> {
    checkName(relPath);
    const lexical = path.resolve(this.root, relPath);
    if (Buffer.byteLength(lexical) > MAX_PATH_BYTES) {
      throw new EnvError(`The path ${abbreviate(relPath)} is too long (more than ${MAX_PATH_BYTES} bytes); use a shorter one.`);
    }
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

  /** Copies a file; the destination is written like any write, through writeConfined's checks. */
  async copy(src: string, dst: string): Promise<void> {
    const from = await this.resolve(src, 'read');
    const stat = await this.statFile(from, src);
    const to = await this.resolve(dst, 'write');
    if (from === to) throw new EnvError(`${src} and ${dst} are the same file.`);
    let source: fs.FileHandle;
    try {
      source = await fs.open(from, 'r');
    } catch (error) {
      throw fsError(error, src, 'read');
    }
    try {
      await confinedWrite(this, dst, (target) => copyContent(source, target), { mode: stat.mode });
    } finally {
      await source.close();
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
    const guarded = await this.protectedPaths();
    for (const abs of candidates) {
      const rel = this.relative(abs);
      if (rel === '.') throw new EnvError(`${shown} is the work directory itself; give a file name.`);
      const parts = rel.split('/');
      if (parts[0] === RUN_FOLDER) {
        throw new EnvError(`${shown} is inside ${RUN_FOLDER}, the agent's own records, which cannot be written.`);
      }
      if (parts.some((part) => part.toLowerCase() === GIT_FOLDER)) {
        throw new EnvError(`${shown} is inside ${GIT_FOLDER}, the repository's own records, which cannot be written.`);
      }
      const folder = guarded.find((dir) => isWithin(dir, abs));
      if (folder !== undefined) {
        const name = isWithin(this.root, folder) ? this.relative(folder) : path.basename(folder);
        throw new EnvError(`${shown} is inside ${name}, the agent's run folder, which cannot be written (reading it is fine).`);
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
  const long = relPath.split(/[\\/]/).find((part) => Buffer.byteLength(part) > MAX_NAME_BYTES);
  if (long !== undefined) {
    throw new EnvError(
      `The name ${abbreviate(long)} is ${Buffer.byteLength(long)} bytes long; a file or folder name can be at most ${MAX_NAME_BYTES} bytes. Use a shorter name.`,
    );
  }
  if (Buffer.byteLength(relPath) > MAX_PATH_BYTES) {
    throw new EnvError(`The path ${abbreviate(relPath)} is too long (more than ${MAX_PATH_BYTES} bytes); use a shorter one.`);
  }
}

/** The first 40 characters of a long name, for messages. */
function abbreviate(name: string): string {
  return name.length > 40 ? `"${name.slice(0, 40)}…"` : `"${name}"`;
}

/** Is `abs` the folder `dir` or inside it? */
function isWithin(dir: string, abs: string): boolean {
  const rel = path.relative(dir, abs);
  return rel === '' || !isOutside(rel);
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
  return glob
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

/**
 * A minimal glob: `*` and `?` stay inside one path segment, `**` crosses segments
 * (`**\/x` also matches `x` at the top). Everything else matches itself.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length;) {
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

// ---- the one confined write: Copy File here, edits and undos through the hosts (writeConfined)

/** Test seam: called when the target has been checked, and when the temporary file is open. */
export interface WriteHooks {
  onPhase?(phase: 'checked' | 'opened'): void | Promise<void>;
}

/**
 * Writes `text` to a workspace path the agent named, for hosts that save accepted edits. The path is
 * checked like any write (outside, `.git`, the run folder, read-only); the text goes to a temporary
 * file in the checked folder, which is then renamed over the target, so a symbolic link or hard link
 * at the target is replaced, never written through. Returns the real path written. Throws EnvError.
 */
export async function writeConfined(workspace: Workspace, relPath: string, text: string | Uint8Array, hooks?: WriteHooks): Promise<string> {
  return confinedWrite(workspace, relPath, (target) => target.writeFile(text), { hooks });
}

async function confinedWrite(
  workspace: Workspace,
  relPath: string,
  fill: (target: fs.FileHandle) => Promise<void>,
  options: { mode?: number; hooks?: WriteHooks },
): Promise<string> {
  const target = await workspace.resolve(relPath, 'write');
  await options.hooks?.onPhase?.('checked');
  const dir = path.dirname(target);
  await makeRealFolders(workspace.root, dir, relPath);
  const before = await noLinkAt(target, relPath);
  if (before && !before.isFile()) throw new EnvError(`${relPath} is not a regular file; give a file name.`);
  const temp = path.join(dir, `.budgetml-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let handle: fs.FileHandle | undefined;
  let renamed = false;
  try {
    handle = await fs.open(temp, 'wx', 0o666);
    await options.hooks?.onPhase?.('opened');
    await sameFolder(dir, relPath);
    const [mine, there] = [await handle.stat(), await fs.lstat(temp)];
    if (mine.ino !== there.ino || mine.dev !== there.dev) throw swapped(relPath);
    await fill(handle);
    const mode = options.mode ?? before?.mode;
    if (mode !== undefined) await handle.chmod(mode & 0o7777);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await sameFolder(dir, relPath);
    await noLinkAt(target, relPath);
    await fs.rename(temp, target);
    renamed = true;
    return target;
  } catch (error) {
    throw fsError(error, relPath, 'write');
  } finally {
    await handle?.close().catch(() => undefined);
    if (!renamed) await fs.rm(temp, { force: true }).catch(() => undefined);
  }
}

/** Creates the missing folders of `dir` one at a time; every one must be a real folder, not a link. */
async function makeRealFolders(root: string, dir: string, shown: string): Promise<void> {
  let current = root;
  for (const part of path
    .relative(root, dir)
    .split(path.sep)
    .filter((p) => p !== '')) {
    current = path.join(current, part);
    try {
      await fs.mkdir(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(error, shown, 'write');
    }
    const stat = await fs.lstat(current).catch((error: unknown) => {
      throw fsError(error, shown, 'write');
    });
    if (stat.isSymbolicLink()) throw swapped(shown);
    if (!stat.isDirectory()) throw new EnvError(`${shown} goes through ${path.relative(root, current)}, which is a file, not a folder.`);
  }
  await sameFolder(dir, shown);
}

/** The checked folder must still be itself: its real path unchanged (no link swapped in above it). */
async function sameFolder(dir: string, shown: string): Promise<void> {
  const real = await fs.realpath(dir).catch(() => undefined);
  if (real !== dir) throw swapped(shown);
}

/** lstat of the target; refuses a symbolic link there (O_NOFOLLOW), undefined when it does not exist. */
async function noLinkAt(target: string, shown: string): Promise<Stats | undefined> {
  const stat = await fs.lstat(target).catch(() => undefined);
  if (stat?.isSymbolicLink()) throw swapped(shown);
  return stat;
}

function swapped(shown: string): EnvError {
  return new EnvError(`${shown} changed while it was being written (a symbolic link appeared on its path); nothing was written.`);
}

async function copyContent(source: fs.FileHandle, target: fs.FileHandle): Promise<void> {
  const buffer = Buffer.alloc(1024 * 1024);
  for (;;) {
    const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return;
    let written = 0;
    while (written < bytesRead) written += (await target.write(buffer, written, bytesRead - written)).bytesWritten;
  }
}
