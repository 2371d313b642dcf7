import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cudaOutOfMemoryHint, GPU_QUERY_ARGS, gpuSummary, parseNvidiaSmi, type GpuProbe } from '../../src/core/compute/gpu';

/** What nvidia-smi prints (exit 9) on a machine or container without the NVIDIA driver. */
const NO_DRIVER_OUTPUT =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n";

/** The end of a PyTorch 2.5 traceback when a batch does not fit on an 80 GB A100. */
const TORCH_OOM_OUTPUT = [
  'Epoch 1/10',
  'Traceback (most recent call last):',
  '  File "/workspace/train.py", line 88, in <module>',
  '    loss.backward()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.23 GiB is free.',
  ' Including non-PyTorch memory, this process has 77.91 GiB memory in use. See documentation for Memory Management',
].join('\n');

const HINT_ADVICE =
  'Try a smaller batch size, with gradient accumulation to keep the effective batch size; mixed precision (torch.autocast, or bf16 weights);' +
  ' or free memory: torch.cuda.empty_cache() between phases, deleting tensors no longer needed, or a smaller model.';

describe('GPU_QUERY_ARGS', () => {
  it('asks for name, memory and load as bare CSV, and cannot be changed', () => {
    assert.deepEqual(GPU_QUERY_ARGS, ['--query-gpu=name,memory.used,memory.total,utilization.gpu', '--format=csv,noheader,nounits']);
    assert.equal(Object.isFrozen(GPU_QUERY_ARGS), true);
  });
});

describe('parseNvidiaSmi', () => {
  it('reads one GPU', () => {
    assert.deepEqual(parseNvidiaSmi('NVIDIA A100-SXM4-80GB, 12595, 81920, 45\n', 0), {
      kind: 'gpus',
      gpus: [{ index: 0, name: 'NVIDIA A100-SXM4-80GB', memoryUsedMiB: 12595, memoryTotalMiB: 81920, utilizationPct: 45 }],
    });
  });

  it('reads two GPUs whose names have spaces, in order', () => {
    const stdout = 'NVIDIA GeForce RTX 4090, 1024, 24564, 3\r\nNVIDIA GeForce RTX 3060 Ti, 0, 8192, 100\r\n';
    assert.deepEqual(parseNvidiaSmi(stdout, 0), {
      kind: 'gpus',
      gpus: [
        { index: 0, name: 'NVIDIA GeForce RTX 4090', memoryUsedMiB: 1024, memoryTotalMiB: 24564, utilizationPct: 3 },
        { index: 1, name: 'NVIDIA GeForce RTX 3060 Ti', memoryUsedMiB: 0, memoryTotalMiB: 8192, utilizationPct: 100 },
      ],
    });
  });

  it('reads [N/A] and [Not Supported] fields as null', () => {
    const stdout = 'NVIDIA A100-SXM4-40GB MIG 3g.20gb, [N/A], [N/A], [N/A]\nNVIDIA GeForce GTX 1050, 512, 4096, [Not Supported]\n';
    assert.deepEqual(parseNvidiaSmi(stdout, 0), {
      kind: 'gpus',
      gpus: [
        { index: 0, name: 'NVIDIA A100-SXM4-40GB MIG 3g.20gb', memoryUsedMiB: null, memoryTotalMiB: null, utilizationPct: null },
        { index: 1, name: 'NVIDIA GeForce GTX 1050', memoryUsedMiB: 512, memoryTotalMiB: 4096, utilizationPct: null },
      ],
    });
  });

  it('ignores blank lines and skips malformed ones', () => {
    const stdout = '\n\nTesla T4, 300, 15360, 7\n\n   \nWARNING: infoROM is corrupted at gpu 0000:00:04.0\nTesla T4, 15000, 15360, 99\n';
    const probe = parseNvidiaSmi(stdout, 0);
    assert.deepEqual(probe, {
      kind: 'gpus',
      gpus: [
        { index: 0, name: 'Tesla T4', memoryUsedMiB: 300, memoryTotalMiB: 15360, utilizationPct: 7 },
        { index: 1, name: 'Tesla T4', memoryUsedMiB: 15000, memoryTotalMiB: 15360, utilizationPct: 99 },
      ],
    });
  });

  it('skips a line with the right number of fields but words where numbers belong', () => {
    assert.deepEqual(parseNvidiaSmi('Tesla T4, lots, 15360, 7\nTesla V100-SXM2-16GB, 0, 16384, 0', 0), {
      kind: 'gpus',
      gpus: [{ index: 0, name: 'Tesla V100-SXM2-16GB', memoryUsedMiB: 0, memoryTotalMiB: 16384, utilizationPct: 0 }],
    });
  });

  it('says there is no driver when nvidia-smi cannot reach it (exit 9)', () => {
    assert.deepEqual(parseNvidiaSmi(NO_DRIVER_OUTPUT, 9), {
      kind: 'none',
      reason:
        "no NVIDIA driver: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver i…",
    });
    assert.deepEqual(parseNvidiaSmi('', 9), { kind: 'none', reason: 'no NVIDIA driver: nvidia-smi exited with code 9' });
  });

  it('names the exit code and the first line of any other failure', () => {
    assert.deepEqual(parseNvidiaSmi('No devices were found\n', 6), {
      kind: 'none',
      reason: 'nvidia-smi failed with exit code 6: No devices were found',
    });
    assert.deepEqual(parseNvidiaSmi('', 255), { kind: 'none', reason: 'nvidia-smi failed with exit code 255' });
  });

  it('says nvidia-smi is not found when the command could not start', () => {
    assert.deepEqual(parseNvidiaSmi('', null), { kind: 'none', reason: 'nvidia-smi not found' });
  });

  it('quotes unexpected output, clipped, when no line is a GPU', () => {
    assert.deepEqual(parseNvidiaSmi('Segmentation fault\n', 0), {
      kind: 'none',
      reason: 'unexpected nvidia-smi output: Segmentation fault',
    });
    const probe = parseNvidiaSmi(`<html>${'x'.repeat(500)}</html>`, 0);
    assert.equal(probe.kind, 'none');
    assert.equal(probe.kind === 'none' && probe.reason, `unexpected nvidia-smi output: <html>${'x'.repeat(113)}…`);
    assert.deepEqual(parseNvidiaSmi('\n\n', 0), { kind: 'none', reason: 'nvidia-smi listed no GPU' });
  });
});

describe('gpuSummary', () => {
  it('shows one GPU with its memory in GiB and its load', () => {
    assert.equal(
      gpuSummary(parseNvidiaSmi('NVIDIA A100-SXM4-80GB, 12595, 81920, 45', 0)),
      '1 GPU: NVIDIA A100-SXM4-80GB 12.3/80 GiB, 45 %',
    );
  });

  it('joins several GPUs with semicolons and shows unknown fields as ?', () => {
    const probe = parseNvidiaSmi('NVIDIA GeForce RTX 4090, 1024, 24564, 3\nNVIDIA GeForce GTX 1050, [N/A], 4096, [Not Supported]', 0);
    assert.equal(gpuSummary(probe), '2 GPUs: NVIDIA GeForce RTX 4090 1/24 GiB, 3 %; NVIDIA GeForce GTX 1050 ?/4 GiB, ? %');
  });

  it('says why there is no GPU', () => {
    assert.equal(gpuSummary(parseNvidiaSmi('', null)), 'no GPU (nvidia-smi not found)');
    const none: GpuProbe = { kind: 'gpus', gpus: [] };
    assert.equal(gpuSummary(none), 'no GPU');
  });
});

describe('cudaOutOfMemoryHint', () => {
  it('tells the planner what to try, with the size PyTorch tried to allocate', () => {
    assert.equal(cudaOutOfMemoryHint(TORCH_OOM_OUTPUT), `The script ran out of GPU memory (it tried to allocate 2.00 GiB). ${HINT_ADVICE}`);
    const older =
      'RuntimeError: CUDA out of memory. Tried to allocate 512.00 MiB (GPU 0; 15.78 GiB total capacity; 14.60 GiB already allocated)';
    assert.equal(cudaOutOfMemoryHint(older), `The script ran out of GPU memory (it tried to allocate 512.00 MiB). ${HINT_ADVICE}`);
  });

  it('gives the hint without a size when the output names none', () => {
    const cublas = 'RuntimeError: CUDA error: CUBLAS_STATUS_ALLOC_FAILED when calling `cublasCreate(handle)`';
    assert.equal(cudaOutOfMemoryHint(cublas), `The script ran out of GPU memory. ${HINT_ADVICE}`);
    assert.equal(cudaOutOfMemoryHint('torch.OutOfMemoryError'), `The script ran out of GPU memory. ${HINT_ADVICE}`);
  });

  it('gives no hint on normal output or a different case', () => {
    assert.equal(cudaOutOfMemoryHint('Epoch 1/3 loss 0.52 acc 0.81\nEpoch 2/3 loss 0.41 acc 0.86\nTest accuracy: 0.88\n'), undefined);
    assert.equal(cudaOutOfMemoryHint('cuda out of memory'), undefined);
    assert.equal(cudaOutOfMemoryHint(''), undefined);
  });
});
