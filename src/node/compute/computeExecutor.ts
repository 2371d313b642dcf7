import * as path from 'node:path';
import type { ComputeSettings } from '../../core/config';
import type { Logger, ScriptExecutor } from '../../core/host';
import { DetachedExecutor } from './detachedExecutor';
import { LocalExecutor } from './localExecutor';
import { SlurmExecutor } from './slurmExecutor';
import { SshExecutor } from './sshExecutor';

/** A backend that can also say where it runs scripts. */
export interface ComputeExecutor extends ScriptExecutor {
  describe(): string;
  /** scripts run on another machine (the terminal and the sidebar say where) */
  readonly remote: boolean;
}

export interface ComputeContext {
  log: Logger['log'];
  /** the run folder: SLURM job output goes under it; it is never copied to a remote */
  runDir: string;
  workspace: string;
  /** the interpreter the core runs scripts with */
  python: string;
}

/** Whether scripts can run detached here (a POSIX shell writes their exit code). */
export const DETACHABLE = process.platform !== 'win32';

/** The executor the compute settings name. */
export function computeExecutor(settings: ComputeSettings, context: ComputeContext): ComputeExecutor {
  switch (settings.backend) {
    case 'ssh':
      if (!settings.ssh) throw new Error('compute.backend is "ssh" but compute.ssh is not set');
      return new SshExecutor(settings.ssh, {
        log: context.log,
        localPython: context.python,
        exclude: excluded(context),
        workspace: context.workspace,
        runDir: context.runDir,
        local: new LocalExecutor(),
      });
    case 'slurm':
      return new SlurmExecutor(settings.slurm ?? { sbatchArgs: [], pollSec: 2 }, {
        log: context.log,
        jobsDir: path.join(context.runDir, 'jobs'),
      });
    default:
      // detached under a POSIX shell; on Windows a plain child process
      return DETACHABLE ? new DetachedExecutor(path.join(context.runDir, 'detached')) : new LocalExecutor();
  }
}

/** What is never copied to a remote: the repository and the run folder when it is inside the workspace. */
function excluded(context: ComputeContext): string[] {
  const rel = path.relative(context.workspace, context.runDir);
  const inside = rel && !rel.startsWith('..') && !path.isAbsolute(rel);
  return ['.git', '.budgetml', ...(inside ? [rel.split(path.sep).join('/')] : [])];
}
