import type { DecisionBoard } from './decisions/decisionBoard';
import type { EditReview } from './editReview/editReview';
import type { ExperimentsView } from './experiments/experimentsView';
import type { RunController } from './runController';
import type { KeyStore } from './secrets';
import type { SetupWatcher } from './setup/setupWatcher';
import type { SidebarController } from './sidebar/sidebarController';
import type { SpendMeter } from './spendMeter';
import type { ScriptRunner } from './terminal/scriptRunner';
import type { VsCodeHost } from './vscodeHost';

/**
 * What activate() returns. Meant for the integration tests, which drive edits, script runs and the
 * sidebar through the same objects a run uses; not a stable API for other extensions.
 */
export interface BudgetmlApi {
  readonly host: VsCodeHost;
  readonly review: EditReview;
  readonly scripts: ScriptRunner;
  readonly meter: SpendMeter;
  readonly runs: RunController;
  readonly keys: KeyStore;
  readonly sidebar: SidebarController;
  /** the Experiments view: its tree, the comparison panel, Compare and Restore */
  readonly experiments: ExperimentsView;
  /** the decisions a run waits for (script runs, edits), answered from wherever the user answers */
  readonly decisions: DecisionBoard;
  /** what the sidebar's empty state and Restricted Mode show */
  readonly setup: SetupWatcher;
  /** how long activate() took, in milliseconds */
  readonly activationMs: number;
}
