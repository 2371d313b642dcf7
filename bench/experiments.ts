import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExperimentRecorder } from '../src/core/experiments/recorder';
import { experimentsTable } from '../src/core/experiments/table';
import type { Host, ScriptExit } from '../src/core/host';
import { ResearchLog } from '../src/core/memory/researchLog';
import { OutputCapture } from '../src/core/text/outputCapture';

/**
 * What recording experiments adds to a step, on a realistic project: the digits MLP (torch) with a
 * 1 MB data file, 30 runs of a ~6,500-character training log with progress-bar redraws, the script
 * edited between runs (one hyper-parameter each time). The script itself is simulated (its output
 * arrives over SCRIPT_MS), so what is measured is the recording, not Python.
 */
const STEPS = 30;
const SCRIPT_MS = 300;
const TRAIN = resolve(__dirname, '../test/fixtures/bench/train.py');

function trainingLog(run: number): string[] {
  const chunks: string[] = [];
  for (let epoch = 1; epoch <= 30; epoch++) {
    const bar = [25, 50, 75, 100].map((p) => `\r${p}%|${'█'.repeat(p / 10)}${' '.repeat(10 - p / 10)}| ${(p * 94) / 10}/94 [00:0${epoch % 10}<00:00, 81.3it/s, loss=${(1 / (epoch + run)).toFixed(3)}]`).join('');
    const loss = (2.3 / Math.sqrt(epoch + run / 10)).toFixed(4);
    const acc = Math.min(0.99, 0.1 + epoch * 0.028 + run * 0.001).toFixed(4);
    chunks.push(`${bar}\nEpoch ${epoch}/30 | train loss ${loss} | train acc ${acc} | val_loss=${(Number(loss) * 1.1).toFixed(4)} | val_acc=${(Number(acc) - 0.02).toFixed(4)} | 0.21s\n`);
  }
  chunks.push(`{"test_accuracy": ${Math.min(0.99, 0.9 + run * 0.002).toFixed(4)}, "test_loss": 0.2154}\ntest accuracy: ${Math.min(0.99, 0.9 + run * 0.002).toFixed(4)}\n`);
  return chunks;
}

/** A host whose script prints a training log over SCRIPT_MS and exits 0. */
function simulatedHost(run: () => number): Host {
  return {
    proposeEdit: async () => ({ accepted: false }),
    log: () => {},
    async runScript(_request, onOutput): Promise<ScriptExit> {
      const chunks = trainingLog(run());
      for (const chunk of chunks) {
        onOutput(chunk);
        await new Promise((r) => setTimeout(r, SCRIPT_MS / chunks.length));
      }
      return { exitCode: 0, timedOut: false, cancelled: false };
    },
  };
}

function project(): { root: string; runDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'budgetml-bench-exp-'));
  const root = join(base, 'work');
  cpSync(resolve(__dirname, '../test/fixtures/bench'), root, { recursive: true });
  const rows = Array.from({ length: 12_000 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 31 + j * 17) % 97) / 97).join(',')).join('\n');
  writeFileSync(join(root, 'digits.csv'), rows);
  return { root, runDir: join(base, 'run') };
}

/** Per run: the time the recorder took beyond the script, and the same for a bare output capture. */
async function timeRuns(recording: boolean): Promise<{ overheadMs: number[]; table: string[] }> {
  const { root, runDir } = project();
  let current = 0;
  const host = simulatedHost(() => current);
  const log = ResearchLog.create(join(runDir, 'log.jsonl'));
  const recorder = new ExperimentRecorder({ runDir, workspace: root, python: '/usr/bin/python3', host, log, emit: () => {} });
  const overheadMs: number[] = [];
  const request = { command: '/usr/bin/python3', args: ['train.py'], cwd: root, purpose: 'agent' as const, display: 'python3 train.py' };
  const original = readFileSync(TRAIN, 'utf8');
  for (current = 1; current <= STEPS; current++) {
    writeFileSync(join(root, 'train.py'), original.replace('lr=0.0005', `lr=${(0.0005 * current).toFixed(4)}`));
    const outputFile = join(runDir, 'outputs', `step-${current}.log`);
    const started = performance.now();
    if (recording) await recorder.run({ kind: 'execute', step: current, script: 'train.py', codeRoot: root, request, outputFile }, new AbortController().signal);
    else await capturedOnly(host, request, outputFile);
    overheadMs.push(performance.now() - started - SCRIPT_MS);
  }
  return { overheadMs, table: experimentsTable(recorder.all()) };
}

async function capturedOnly(host: Host, request: Parameters<Host['runScript']>[0], file: string): Promise<void> {
  const capture = new OutputCapture(file);
  await host.runScript(request, (chunk) => capture.write(chunk), new AbortController().signal);
  await capture.close();
  capture.text();
}

export async function experimentRecording(): Promise<void> {
  const bare = await timeRuns(false);
  const recorded = await timeRuns(true);
  const extra = recorded.overheadMs.map((ms, i) => ms - bare.overheadMs[i]);
  const later = extra.slice(1).sort((a, b) => a - b);
  const tableChars = recorded.table.join('\n').length;
  console.log(`\n## Experiment recording (${STEPS} runs of a simulated ${SCRIPT_MS} ms torch script printing ${trainingLog(1).join('').length} characters, 1 MB data file, one hyper-parameter edited per run)`);
  console.log(`extra time per step over a bare output capture: median ${later[Math.floor(later.length / 2)].toFixed(2)} ms, worst ${later[later.length - 1].toFixed(2)} ms (target <= 2 ms); first run with the one-off environment probe: ${extra[0].toFixed(0)} ms`);
  console.log(`Experiments table at step ${STEPS}: ${recorded.table.length} lines, ${tableChars} characters, ~${Math.ceil(tableChars / 4)} prompt tokens (~${Math.ceil(tableChars / 4 / recorded.table.length)} per experiment)`);
  console.log(`  e.g. ${recorded.table[recorded.table.length - 1]}`);
}
