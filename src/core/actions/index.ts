import type { ActionDef } from './action';
import { copyFile } from './copyFile';
import { editScript } from './editScript';
import { editScriptSegment } from './editScriptSegment';
import { executeScript } from './executeScript';
import { finalAnswer } from './finalAnswer';
import { inspectScriptLines } from './inspectScriptLines';
import { listFiles } from './listFiles';
import { reflection } from './reflection';
import { retrieveFromLog } from './retrieveFromLog';
import { understandFile } from './understandFile';
import { undoEditScript } from './undoEditScript';

/** Every action, in MLAgentBench's order: the plain programs first, then the LLM-backed ones. */
export const ALL_ACTIONS: ActionDef[] = [
  listFiles,
  copyFile,
  undoEditScript,
  executeScript,
  finalAnswer,
  understandFile,
  inspectScriptLines,
  editScript,
  editScriptSegment,
  reflection,
  retrieveFromLog,
];

/** The action with this name, ignoring case and surrounding spaces. */
export function findAction(name: string): ActionDef | undefined {
  const wanted = name.trim().toLowerCase();
  return ALL_ACTIONS.find((action) => action.name.toLowerCase() === wanted);
}
