import { z } from 'zod';
import { headAndTail } from '../text/outputCapture';
import { unifiedDiff } from '../text/diff';
import { EnvError, observeEnvErrors } from '../workspace';
import type { ActionDef } from './action';
import { userChangesOf } from './diskDrift';
import { askUserSafely, dropBackup, latestBackup, readOrEmpty, rejection, saveStepDiff, stillIs, withoutPrefix } from './editSupport';

const input = z.strictObject({ script_name: z.string() });

/** how much of the restored file the observation shows */
const SHOWN_CHARS = 4000;

/**
 * Restores the text a file had before its most recent accepted edit (Edit Script, Edit Script Segment).
 * Backups are numbered, so repeated undos walk further back. The restore is proposed to the user
 * like any edit. A file that an edit created cannot be deleted through the Host: undo empties it.
 */
export const undoEditScript: ActionDef<typeof input> = {
  name: 'Undo Edit Script',
  description: 'Undoes the last edit of a script by Edit Script (AI) or Edit Script Segment (AI); repeat it to go further back.',
  input,
  inputHelp: { script_name: 'the script whose last edit to undo, relative to the work directory' },
  usesLlm: false,
  run: ({ script_name }, ctx) =>
    observeEnvErrors(async () => {
      const abs = await ctx.workspace.resolve(script_name, 'write');
      const rel = ctx.workspace.relative(abs);
      const backup = await latestBackup(ctx.dirs.backup, rel);
      if (!backup) throw new EnvError(`There is no edit of ${rel} to undo.`);
      const current = await readOrEmpty(ctx, rel);
      const restored = backup.text ?? '';
      if (restored === current.text) {
        await dropBackup(backup);
        return { observation: `${rel} already has the content it had before its most recent edit; nothing to change.` };
      }
      const diffRel = await saveStepDiff(ctx, unifiedDiff(rel, current.text, restored));
      const reason = `Undo the most recent edit of ${rel}`;
      const decision = await askUserSafely(ctx, { saveRel: rel, original: current.text, proposed: restored, reason });
      if ('failed' in decision) {
        const state = (await stillIs(ctx, rel, current.existed ? current.text : undefined))
          ? `${rel} is unchanged; its last edit can still be undone later.`
          : `${rel} may be partly written; its last edit can still be undone later.`;
        return {
          observation: `EnvError: Undoing the last edit of ${rel} failed: ${withoutPrefix(decision.failed)} ${state}`,
          artifacts: { diff: diffRel },
        };
      }
      if (!decision.accepted) {
        const consequence = `${rel} is unchanged; its last edit can still be undone later.`;
        return { observation: rejection(`undoing the last edit of ${rel}`, decision.reason, consequence), artifacts: { diff: diffRel } };
      }
      await dropBackup(backup);
      await ctx.landed?.remember(ctx.workspace, rel, {
        step: ctx.step,
        before: current.existed ? current.text : undefined,
        text: decision.text,
        what: 'undo',
      });
      if (decision.userModified) await saveStepDiff(ctx, unifiedDiff(rel, current.text, decision.text));
      const changed = decision.userModified
        ? ` The user changed the restored text before accepting it.\n${userChangesOf(rel, restored, decision.text)}\n`
        : '';
      if (backup.text === undefined) {
        const what = `${rel} did not exist before its most recent edit; files cannot be deleted here, so it was emptied instead.`;
        return { observation: `${what}${changed}`, artifacts: { diff: diffRel } };
      }
      const content = headAndTail(decision.text, SHOWN_CHARS);
      return { observation: `Content of ${rel} after undoing the most recent edit:${changed}\n${content}`, artifacts: { diff: diffRel } };
    }),
};
