import { GPU_QUERY_ARGS, parseNvidiaSmi, type GpuProbe } from '../../core/compute/gpu';
import { runCommand, shellWord, type CommandResult } from './runCommand';

/** The shell command that asks nvidia-smi for the GPUs (for a remote or a job). */
export const NVIDIA_SMI_COMMAND = ['nvidia-smi', ...GPU_QUERY_ARGS].map(shellWord).join(' ');

/** A shell's "command not found". */
const NOT_FOUND_EXIT = 127;

/** nvidia-smi's answer read as GPUs; a shell that could not find it counts as not installed. */
export function gpuFromResult(result: CommandResult): GpuProbe {
  const missing = result.startError !== undefined || result.exitCode === NOT_FOUND_EXIT;
  return parseNvidiaSmi(result.stdout, missing ? null : result.exitCode);
}

/** The GPUs of this machine, with the PATH the script will have. */
export async function localGpu(env: NodeJS.ProcessEnv | undefined): Promise<GpuProbe> {
  return gpuFromResult(await runCommand('nvidia-smi', GPU_QUERY_ARGS, { env, timeoutMs: 15_000 }));
}
