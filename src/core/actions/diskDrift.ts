import { unifiedDiff } from '../text/diff';
import { headAndTail } from '../text/outputCapture';
import type { Workspace } from '../workspace';

/** How much of a diff the planner is shown about a file changed on disk. */
const MAX_DIFF_CHARS = 1500;

/** What the run wrote to a file, and what the planner was last told it holds. */
interface Landed {
  /** the text before the run's write (undefined: the file did not exist) */
  before: string | undefined;
  /** the text the run's write put there */
  written: string;
  /** the step that wrote it */
  step: number;
  /** what the planner last heard the file holds (undefined: it was deleted) */
  known: string | undefined;
  /** since when: "step 3's edit was accepted" */
  since: string;
}

/** An accepted write of a file by one of the run's actions. */
export interface LandedWrite {
  step: number;
  /** the text before it (undefined: the file did not exist) */
  before: string | undefined;
  /** what landed on disk: the EditDecision's text */
  text: string;
  /** what the write was, as the planner named it */
  what: 'edit' | 'undo';
}

/**
 * Keeps the edits honest: remembers what landed on disk for each file the run edited, and before a
 * later step tells the planner which of those files changed since (an edit undone with Ctrl+Z, the
 * user's own change, a deleted file), each change once.
 */
export class LandedEdits {
  private readonly files = new Map<string, Landed>();

  /**
   * Remembers an accepted write. What is on disk right after it is what later steps are compared
   * with: a save may have formatted the text or changed its line endings, which is no change of the user's.
   */
  async remember(workspace: Workspace, rel: string, write: LandedWrite): Promise<void> {
    const onDisk = await currentText(workspace, rel);
    this.files.set(rel, {
      before: write.before,
      written: write.text,
      step: write.step,
      known: onDisk ?? write.text,
      since: `step ${write.step}'s ${write.what} was accepted`,
    });
  }

  /** A file the run wrote another way (Copy File): if it is followed, its new text is the known one. */
  async follow(workspace: Workspace, rel: string): Promise<void> {
    const landed = this.files.get(rel);
    if (landed) landed.known = await currentText(workspace, rel);
  }

  /** What changed on disk since the planner last heard of it, as a paragraph for its prompt; undefined when nothing did. */
  async changes(workspace: Workspace, step: number): Promise<string | undefined> {
    const reports: string[] = [];
    for (const [rel, landed] of this.files) {
      const now = await currentText(workspace, rel);
      if (now === landed.known) continue;
      reports.push(report(rel, landed, now));
      landed.known = now;
      landed.since = `the change reported before step ${step}`;
    }
    if (reports.length === 0) return undefined;
    return `Files changed on disk since you last saw them (not through your edits):\n\n${reports.join('\n\n')}`;
  }
}

/** The file's text; undefined when it does not exist (or cannot be read: then it is reported as gone). */
async function currentText(workspace: Workspace, rel: string): Promise<string | undefined> {
  try {
    return (await workspace.exists(rel)) ? await workspace.readText(rel) : undefined;
  } catch {
    return undefined;
  }
}

function report(rel: string, landed: Landed, now: string | undefined): string {
  const head = `- ${rel} changed since ${landed.since}: ${howItChanged(landed, now)}.`;
  if (now === undefined) return head;
  const diff = headAndTail(unifiedDiff(rel, landed.known ?? '', now), MAX_DIFF_CHARS);
  return `${head} Diff from what you last saw to what it holds now:\n${diff}`;
}

function howItChanged(landed: Landed, now: string | undefined): string {
  if (now === undefined) return 'it was deleted';
  if (now === landed.before) return `it was undone (it holds the text it had before step ${landed.step} again)`;
  if (now === landed.written) return `it holds what step ${landed.step} saved again (the undo was redone)`;
  if (landed.known === undefined) return 'it was created again, by the user or a script';
  return 'it was edited by the user or a script';
}

/** For the observation of an edit the user changed before accepting it: what they changed, proposed → saved. */
export function userChangesOf(rel: string, proposed: string, landed: string): string {
  const diff = headAndTail(unifiedDiff(rel, proposed, landed), MAX_DIFF_CHARS);
  return `What the user changed in the proposal before accepting it (proposed → saved):\n${diff || '(no difference)'}`;
}
