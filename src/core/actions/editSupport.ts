import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { extractCodeBlock } from '../agents/workerPrompts';
import type { EditDecision } from '../host';
import { checkPythonCompiles } from '../python/compileCheck';
import { unifiedDiff } from '../text/diff';
import { EnvError, fsError } from '../workspace';
import type { ActionContext, ActionOutcome } from './action';
import { userChangesOf } from './diskDrift';

/**
 * What the edit actions share: checking the worker's reply, saving the step's diff,
 * asking the user through the Host, and numbered backups for Undo Edit Script.
 */

/** The current text of a workspace file, or '' when it does not exist yet. */
export async function readOrEmpty(ctx: ActionContext, rel: string): Promise<{ text: string; existed: boolean }> {
  if (!(await ctx.workspace.exists(rel))) return { text: '', existed: false };
  return { text: await ctx.workspace.readText(rel), existed: true };
}

/** Lines such as "# ... rest of the code unchanged" mean the worker left parts of the file out. */
const PLACEHOLDER =
  /^\s*(#|\/\/)\s*(\.\.\.|…).*|\b(rest|remainder) of (the )?(code|file|script|function|class)\b.*\b(unchanged|same|as before|remains)\b/im;

export interface EditCheck {
  /** the target file's workspace-relative path (decides the compile check) */
  saveRel: string;
  /** the whole new file text from the code in the reply */
  build: (code: string) => string;
  /** the text being replaced: placeholders it already had are fine */
  replaced: string;
  allowEmpty: boolean;
}

/** Builds the `verify` for ctx.worker.ask: a sentence on what is wrong, or undefined. */
export function editVerifier(ctx: ActionContext, check: EditCheck): (reply: string) => Promise<string | undefined> {
  return async (reply) => {
    const block = extractCodeBlock(reply);
    if (!block.ok) return block.problem;
    if (!check.allowEmpty && block.code.trim() === '') {
      return 'The code block is empty. Reply with the complete new text in one code block.';
    }
    const placeholder = block.code.match(PLACEHOLDER);
    if (placeholder && !PLACEHOLDER.test(check.replaced)) {
      return `The code block leaves parts out ("${placeholder[0].trim()}"). Write out the complete text; it replaces the old one as it is.`;
    }
    if (!check.saveRel.toLowerCase().endsWith('.py')) return undefined;
    const error = await checkPythonCompiles(ctx.python, check.build(block.code), ctx.dirs.run, ctx.signal);
    return error && `The edited script does not compile:\n${error}\nFix it and reply with the complete text again.`;
  };
}

/** The code of a reply that editVerifier accepted. */
export function codeOf(reply: string): string {
  const block = extractCodeBlock(reply);
  if (!block.ok) throw new EnvError(`The editor's reply could not be used: ${block.problem}`);
  return block.code;
}

/** Writes the step's diff under the run folder; returns its path relative to the run folder. */
export async function saveStepDiff(ctx: ActionContext, diff: string): Promise<string> {
  const rel = `diffs/step-${ctx.step}.diff`;
  const file = path.join(ctx.dirs.run, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, diff, 'utf8');
  return rel;
}

export interface EditRequest {
  /** the file the text is saved to */
  saveRel: string;
  /** its current text ('' when new) and whether it exists */
  original: string;
  existed: boolean;
  proposed: string;
  /** the planner's instruction */
  reason: string;
  /** what the instruction was about, for the diff the planner sees */
  baseRel: string;
  baseText: string;
}

/**
 * Proposes a worker's edit to the user. In this order: the target is checked (name, place), the
 * replaced text is backed up for Undo Edit Script, then the host writes; a rejected or failed write
 * drops that backup again. The planner sees the diff of what actually landed.
 */
export async function proposeWorkerEdit(ctx: ActionContext, edit: EditRequest): Promise<ActionOutcome> {
  await ctx.workspace.resolve(edit.saveRel, 'write');
  if (edit.proposed === edit.original) {
    return { observation: `The edit left ${edit.saveRel} exactly as it was, so nothing was saved. Check the edit instruction.` };
  }
  const proposedDiff = unifiedDiff(edit.baseRel, edit.baseText, edit.proposed, edit.saveRel);
  const diffRel = await saveStepDiff(ctx, proposedDiff);
  const backup = await pushBackup(ctx.dirs.backup, edit.saveRel, edit.existed ? edit.original : undefined);
  const decision = await askUserSafely(ctx, edit);
  if ('failed' in decision) {
    const unchanged = await stillIs(ctx, edit.saveRel, edit.existed ? edit.original : undefined);
    if (unchanged) await dropBackup(backup);
    const state = unchanged
      ? `${edit.saveRel} is unchanged.`
      : `${edit.saveRel} may be partly written; Undo Edit Script restores the text it had before.`;
    return {
      observation: `EnvError: The edit of ${edit.saveRel} could not be saved: ${withoutPrefix(decision.failed)} ${state}`,
      artifacts: { diff: diffRel },
    };
  }
  if (!decision.accepted) {
    await dropBackup(backup);
    return {
      observation: rejection(`the edit of ${edit.saveRel}`, decision.reason, `${edit.saveRel} is unchanged.`),
      artifacts: { diff: diffRel },
    };
  }
  await ctx.landed?.remember(ctx.workspace, edit.saveRel, {
    step: ctx.step,
    before: edit.existed ? edit.original : undefined,
    text: decision.text,
    what: 'edit',
  });
  const landedDiff = unifiedDiff(edit.baseRel, edit.baseText, decision.text, edit.saveRel);
  if (decision.userModified) await saveStepDiff(ctx, landedDiff);
  const changedByUser = decision.userModified
    ? ' The user changed the proposed edit before accepting it; the diff shows what was actually saved.'
    : '';
  const userChanges = decision.userModified ? `\n\n${userChangesOf(edit.saveRel, edit.proposed, decision.text)}` : '';
  const observation =
    `The edited file is saved to ${edit.saveRel}.${changedByUser} ` +
    `Here is the diff, please check if the edit is correct and desirable:\n\n${landedDiff || '(no difference)'}${userChanges}`;
  return { observation, artifacts: { diff: diffRel } };
}

/**
 * Shows a proposal for `saveRel` through the Host. The path the host gets is checked for writing
 * right here; hosts save it with writeConfined (workspace.ts).
 */
async function askUser(ctx: ActionContext, edit: Pick<EditRequest, 'saveRel' | 'original' | 'proposed' | 'reason'>): Promise<EditDecision> {
  ctx.signal.throwIfAborted();
  const abs = await ctx.workspace.resolve(edit.saveRel, 'write');
  const diff = unifiedDiff(edit.saveRel, edit.original, edit.proposed);
  const proposal = {
    path: abs,
    relPath: edit.saveRel,
    root: ctx.workspace.root,
    original: edit.original,
    proposed: edit.proposed,
    diff,
    reason: edit.reason,
  };
  return ctx.host.proposeEdit(proposal, ctx.signal);
}

/** askUser, with a write the host could not do (EnvError, a file-system error) as `{ failed: message }`. */
export async function askUserSafely(
  ctx: ActionContext,
  edit: Pick<EditRequest, 'saveRel' | 'original' | 'proposed' | 'reason'>,
): Promise<EditDecision | { failed: string }> {
  try {
    return await askUser(ctx, edit);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (error instanceof EnvError) return { failed: error.message };
    if (typeof (error as NodeJS.ErrnoException).code === 'string') return { failed: fsError(error, edit.saveRel, 'write').message };
    throw error;
  }
}

/** Does the file still hold `text` (undefined: still not exist)? */
export async function stillIs(ctx: ActionContext, rel: string, text: string | undefined): Promise<boolean> {
  const now = await readOrEmpty(ctx, rel).catch(() => undefined);
  if (now === undefined) return false;
  return text === undefined ? !now.existed : now.existed && now.text === text;
}

export function withoutPrefix(message: string): string {
  return message.replace(/^EnvError: /, '');
}

/** "The user rejected X (reason: …). <consequence>" */
export function rejection(what: string, reason: string | undefined, consequence: string): string {
  const why = reason?.trim() ? ` Their reason: "${reason.trim()}".` : '';
  return `The user rejected ${what}.${why} ${consequence}`;
}

// ---- numbered backups: <encoded path>.<n>.bak holds the text; <n>.absent marks "did not exist"

const BACKUP_NAME = /^(.+)\.(\d+)\.(bak|absent)$/;

export interface Backup {
  file: string;
  /** undefined: the file did not exist before the edit */
  text: string | undefined;
}

/** The backup name's stem: the encoded path, or a cut of it plus a hash when too long for a file name. */
function keyOf(rel: string): string {
  const encoded = encodeURIComponent(rel);
  if (encoded.length <= 200) return encoded;
  return `${encoded.slice(0, 120).replace(/%[0-9A-F]?$/, '')}~${createHash('sha256').update(rel).digest('hex').slice(0, 32)}`;
}

async function backupsOf(dir: string, rel: string): Promise<{ file: string; n: number; absent: boolean }[]> {
  const key = keyOf(rel);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  return names
    .map((name) => ({ name, match: BACKUP_NAME.exec(name) }))
    .filter(({ match }) => match !== null && match[1] === key)
    .map(({ name, match }) => ({ file: path.join(dir, name), n: Number(match![2]), absent: match![3] === 'absent' }))
    .sort((a, b) => a.n - b.n);
}

/** Keeps a numbered copy of the text a file had before an edit; nothing is written when this fails. */
async function pushBackup(dir: string, rel: string, text: string | undefined): Promise<Backup> {
  try {
    await fs.mkdir(dir, { recursive: true });
    const existing = await backupsOf(dir, rel);
    const n = (existing.at(-1)?.n ?? 0) + 1;
    const file = path.join(dir, `${keyOf(rel)}.${n}.${text === undefined ? 'absent' : 'bak'}`);
    await fs.writeFile(file, text ?? '', { encoding: 'utf8', flag: 'wx' });
    return { file, text };
  } catch (error) {
    throw new EnvError(`Could not back up ${rel} before the edit, so nothing was saved: ${(error as Error).message}`);
  }
}

/** The most recent backup of a file, or undefined when there is none. */
export async function latestBackup(dir: string, rel: string): Promise<Backup | undefined> {
  const last = (await backupsOf(dir, rel)).at(-1);
  if (!last) return undefined;
  return { file: last.file, text: last.absent ? undefined : await fs.readFile(last.file, 'utf8') };
}

export async function dropBackup(backup: Backup): Promise<void> {
  await fs.rm(backup.file, { force: true });
}

/** Room for the worker to write `text` out again; undefined keeps the configured default. */
export function outputTokensFor(text: string): number | undefined {
  const needed = Math.ceil(text.length / 3) + 1500;
  return needed > 4000 ? Math.min(needed, 32_000) : undefined;
}
