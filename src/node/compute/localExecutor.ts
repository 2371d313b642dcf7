import type { ScriptExecutor, ScriptExit, ScriptRequest } from '../../core/host';
import { runTaggedProcess } from '../scriptProcess';
import { localGpu } from './gpuProbe';

/** Runs scripts on this machine as child processes that end with everything they started (see scriptProcess.ts). */
export class LocalExecutor implements ScriptExecutor {
  async runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    const gpu = localGpu(request.env);
    const end = await runTaggedProcess(request, onOutput, signal);
    if (end.startError) onOutput(`${end.startError}\n`);
    return { exitCode: end.exitCode, timedOut: end.timedOut, cancelled: end.cancelled, gpu: await gpu };
  }

  readonly remote = false;

  describe(): string {
    return 'this machine';
  }
}
