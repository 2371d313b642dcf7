import { clip } from '../../shared/text';

/**
 * What the machine's NVIDIA GPUs are doing, read from `nvidia-smi`'s CSV output, and what to tell the
 * planner when a script ran out of GPU memory. Pure: the host runs `nvidia-smi` and passes its output here.
 */

/** The arguments for `nvidia-smi`: one CSV line per GPU with its name, memory used and total (MiB) and load (%). */
export const GPU_QUERY_ARGS: readonly string[] = Object.freeze([
  '--query-gpu=name,memory.used,memory.total,utilization.gpu',
  '--format=csv,noheader,nounits',
]);

export interface GpuStatus {
  /** position in nvidia-smi's list, from 0 */
  index: number;
  name: string;
  /** null when the GPU does not report it (`[N/A]`, `[Not Supported]`) */
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  utilizationPct: number | null;
}

export type GpuProbe = { kind: 'gpus'; gpus: GpuStatus[] } | { kind: 'none'; reason: string };

/** The fields of one line of output, in the order of GPU_QUERY_ARGS. */
const FIELD_COUNT = 4;

/** The longest piece of nvidia-smi's own output quoted in a reason. */
const MAX_QUOTED_CHARS = 120;

/** nvidia-smi's exit code when the driver is not loaded. */
const DRIVER_NOT_LOADED_EXIT = 9;

/** What nvidia-smi prints when it cannot reach the driver (no driver, a container without GPUs). */
const NO_DRIVER_MESSAGE = /couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i;

/** What nvidia-smi prints for a field the GPU does not report: `[N/A]`, `[Not Supported]`, `[Unknown Error]`. */
const NOT_REPORTED = /^(?:\[[^\]]*\]|N\/A)$/i;

const NUMBER = /^\d+(?:\.\d+)?$/;

/** The lines with text, trimmed. */
function nonBlankLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A number field: its value, null when not reported, undefined when it is neither (the line is not what was asked for). */
function numberField(field: string): number | null | undefined {
  if (NUMBER.test(field)) return Number(field);
  return NOT_REPORTED.test(field) ? null : undefined;
}

/** One GPU from one line of output (`NVIDIA A100-SXM4-80GB, 12595, 81920, 45`), or undefined when the line is malformed. */
function parseGpuLine(line: string, index: number): GpuStatus | undefined {
  const fields = line.split(',').map((field) => field.trim());
  if (fields.length !== FIELD_COUNT) return undefined;
  const [name, used, total, utilization] = fields;
  const [memoryUsedMiB, memoryTotalMiB, utilizationPct] = [used, total, utilization].map(numberField);
  if (name === '' || memoryUsedMiB === undefined || memoryTotalMiB === undefined || utilizationPct === undefined) return undefined;
  return { index, name, memoryUsedMiB, memoryTotalMiB, utilizationPct };
}

/** Why nvidia-smi listed no GPU when it failed (or printed the driver's message), or undefined when it did not. */
function failureReason(lines: readonly string[], exitCode: number): string | undefined {
  const firstLine = lines[0] === undefined ? undefined : clip(lines[0], MAX_QUOTED_CHARS);
  if (lines.some((line) => NO_DRIVER_MESSAGE.test(line)) || exitCode === DRIVER_NOT_LOADED_EXIT) {
    return `no NVIDIA driver: ${firstLine ?? `nvidia-smi exited with code ${exitCode}`}`;
  }
  if (exitCode === 0) return undefined;
  return `nvidia-smi failed with exit code ${exitCode}${firstLine ? `: ${firstLine}` : ''}`;
}

/**
 * The GPUs `nvidia-smi ${GPU_QUERY_ARGS}` listed, from its stdout and exit code (null when the command was not
 * found). Malformed lines are skipped; when none is left, or nvidia-smi failed, the probe says why there is no GPU.
 */
export function parseNvidiaSmi(stdout: string, exitCode: number | null): GpuProbe {
  if (exitCode === null) return { kind: 'none', reason: 'nvidia-smi not found' };
  const lines = nonBlankLines(stdout);
  const failure = failureReason(lines, exitCode);
  if (failure) return { kind: 'none', reason: failure };
  const gpus: GpuStatus[] = [];
  for (const line of lines) {
    const gpu = parseGpuLine(line, gpus.length);
    if (gpu) gpus.push(gpu);
  }
  if (gpus.length > 0) return { kind: 'gpus', gpus };
  if (lines.length === 0) return { kind: 'none', reason: 'nvidia-smi listed no GPU' };
  return { kind: 'none', reason: `unexpected nvidia-smi output: ${clip(lines.join(' '), MAX_QUOTED_CHARS)}` };
}

/** MiB as GiB with at most one decimal (12595 → "12.3", 81920 → "80"), "?" when unknown. */
function gibText(mib: number | null): string {
  if (mib === null) return '?';
  return String(Number((mib / 1024).toFixed(1)));
}

/** One GPU as the sidebar shows it: `NVIDIA A100-SXM4-80GB 12.3/80 GiB, 45 %`. */
function gpuText(gpu: GpuStatus): string {
  const utilization = gpu.utilizationPct === null ? '?' : String(gpu.utilizationPct);
  return `${gpu.name} ${gibText(gpu.memoryUsedMiB)}/${gibText(gpu.memoryTotalMiB)} GiB, ${utilization} %`;
}

/** One short line for the sidebar and the log: `1 GPU: NVIDIA A100-SXM4-80GB 12.3/80 GiB, 45 %`, or `no GPU (why)`. */
export function gpuSummary(probe: GpuProbe): string {
  if (probe.kind === 'none') return `no GPU (${probe.reason})`;
  if (probe.gpus.length === 0) return 'no GPU';
  const count = probe.gpus.length === 1 ? '1 GPU' : `${probe.gpus.length} GPUs`;
  return `${count}: ${probe.gpus.map(gpuText).join('; ')}`;
}

/** What PyTorch (every version), its cuBLAS calls and torch 2.5's exception print when the GPU's memory is full. */
const OUT_OF_MEMORY_MARKERS = ['CUDA out of memory', 'torch.OutOfMemoryError', 'CUBLAS_STATUS_ALLOC_FAILED'];

/** PyTorch's size of the allocation that failed: `Tried to allocate 2.00 GiB`. */
const TRIED_TO_ALLOCATE = /Tried to allocate (\d+(?:\.\d+)? ?[KMGT]?i?B)/g;

/** The size of the last failed allocation the output names ("2.00 GiB"), or undefined. */
function failedAllocation(output: string): string | undefined {
  const matches = [...output.matchAll(TRIED_TO_ALLOCATE)];
  return matches[matches.length - 1]?.[1];
}

/** When a script's output shows it ran out of GPU memory, a short paragraph telling the planner what to try; else undefined. */
export function cudaOutOfMemoryHint(output: string): string | undefined {
  if (!OUT_OF_MEMORY_MARKERS.some((marker) => output.includes(marker))) return undefined;
  const size = failedAllocation(output);
  const what = size ? `The script ran out of GPU memory (it tried to allocate ${size}).` : 'The script ran out of GPU memory.';
  return [
    what,
    'Try a smaller batch size, with gradient accumulation to keep the effective batch size;',
    'mixed precision (torch.autocast, or bf16 weights);',
    'or free memory: torch.cuda.empty_cache() between phases, deleting tensors no longer needed, or a smaller model.',
  ].join(' ');
}
