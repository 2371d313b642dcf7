import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExperimentRecorder } from '../src/core/experiments/recorder';
import { experimentsTable } from '../src/core/experiments/table';
import type { Host } from '../src/core/host';
import { ResearchLog } from '../src/core/memory/researchLog';
import { OutputCapture } from '../src/core/text/outputCapture';
import { timedHost } from './timedHost';

/**
 * What recording experiments adds to a step, on a realistic project: the digits MLP (torch) in a git
 * repository with a 1 MB data file, 30 runs of a ~10,000-character training log with progress-bar
 * redraws, the script edited between runs (one hyper-parameter each time). The script is a real
 * process that prints the log and sleeps SCRIPT_MS (Python's own time is not the recorder's), run
 * once with a bare output capture (as before experiments) and once recorded.
 */
const STEPS = 30;
const SCRIPT_MS = 300;
const TRAIN = resolve(__dirname, '../test/fixtures/bench/train.py');

function trainingLog(run: number): string[] {
  const chunks: string[] = [];
  for (let epoch = 1; epoch <= 30; epoch++) {
    const bar = [25, 50, 75, 100]
      .map(
        (p) =>
          `\r${p}%|${'█'.repeat(p / 10)}${' '.repeat(10 - p / 10)}| ${(p * 94) / 10}/94 [00:0${epoch % 10}<00:00, 81.3it/s, loss=${(1 / (epoch + run)).toFixed(3)}]`,
      )
      .join('');
    const loss = (2.3 / Math.sqrt(epoch + run / 10)).toFixed(4);
    const acc = Math.min(0.99, 0.1 + epoch * 0.028 + run * 0.001).toFixed(4);
    chunks.push(
      `${bar}\nEpoch ${epoch}/30 | train loss ${loss} | train acc ${acc} | val_loss=${(Number(loss) * 1.1).toFixed(4)} | val_acc=${(Number(acc) - 0.02).toFixed(4)} | 0.21s\n`,
    );
  }
  chunks.push(
    `{"test_accuracy": ${Math.min(0.99, 0.9 + run * 0.002).toFixed(4)}, "test_loss": 0.2154}\ntest accuracy: ${Math.min(0.99, 0.9 + run * 0.002).toFixed(4)}\n`,
  );
  return chunks;
}

/** The script: a process that prints this run's training log, then works for SCRIPT_MS. */
function scriptRequest(root: string, runDir: string, run: number) {
  const log = join(runDir, `log-${run}.txt`);
  mkdirSync(runDir, { recursive: true });
  writeFileSync(log, trainingLog(run).join(''));
  return {
    command: '/bin/sh',
    args: ['-c', `cat '${log}'; sleep ${SCRIPT_MS / 1000}`],
    cwd: root,
    purpose: 'agent' as const,
    display: 'python3 train.py',
  };
}

function project(): { root: string; runDir: string } {
  const base = mkdtempSync(join(tmpdir(), 'budgetml-bench-exp-'));
  const root = join(base, 'work');
  cpSync(resolve(__dirname, '../test/fixtures/bench'), root, { recursive: true });
  const rows = Array.from({ length: 12_000 }, (_, i) => Array.from({ length: 12 }, (_, j) => ((i * 31 + j * 17) % 97) / 97).join(',')).join(
    '\n',
  );
  writeFileSync(join(root, 'digits.csv'), rows);
  execFileSync('git', ['init', '-q'], { cwd: root });
  execFileSync('git', ['add', '.'], { cwd: root });
  execFileSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'the project'], { cwd: root });
  return { root, runDir: join(base, 'run') };
}

/** Per run: wall time and this process's processor time, recorded or with a bare output capture. */
async function timeRuns(recording: boolean): Promise<{ wallMs: number[]; cpuMs: number[]; table: string[] }> {
  const { root, runDir } = project();
  let current = 0;
  const { host, scriptMs } = timedHost();
  const log = ResearchLog.create(join(runDir, 'log.jsonl'));
  const recorder = new ExperimentRecorder({ runDir, workspace: root, python: '/usr/bin/python3', host, log, emit: () => {} });
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const original = readFileSync(TRAIN, 'utf8');
  for (current = 1; current <= STEPS; current++) {
    writeFileSync(join(root, 'train.py'), original.replace('lr=0.0005', `lr=${(0.0005 * current).toFixed(4)}`));
    const outputFile = join(runDir, 'outputs', `step-${current}.log`);
    const request = scriptRequest(root, runDir, current);
    const started = performance.now();
    const scriptBefore = scriptMs();
    const cpu = process.cpuUsage();
    if (recording)
      await recorder.run(
        { kind: 'execute', step: current, script: 'train.py', codeRoot: root, request, outputFile },
        new AbortController().signal,
      );
    else await capturedOnly(host, request, outputFile);
    const used = process.cpuUsage(cpu);
    // the step's time beyond the script's own: what recording makes the step wait for
    wallMs.push(performance.now() - started - (scriptMs() - scriptBefore));
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { wallMs, cpuMs, table: experimentsTable(recorder.all()) };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
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
  const extraWall = recorded.wallMs.slice(1).map((ms, i) => ms - bare.wallMs[i + 1]);
  const extraCpu = recorded.cpuMs.slice(1).map((ms, i) => ms - bare.cpuMs[i + 1]);
  const tableChars = recorded.table.join('\n').length;
  console.log(
    `\n## Experiment recording (${STEPS} runs of a ${SCRIPT_MS} ms script printing a ${trainingLog(1).join('').length}-character torch log, git repository, 1 MB data file, one hyper-parameter edited per run)`,
  );
  console.log(
    `extra time a step waits for, beyond its script, over a bare output capture: median ${median(extraWall).toFixed(2)} ms, mean ${mean(extraWall).toFixed(2)} ms (target <= 2 ms); first run (its one-off environment probe runs beside the script): ${(recorded.wallMs[0] - bare.wallMs[0]).toFixed(0)} ms`,
  );
  console.log(
    `extra processor time of this process per step, spent while the script runs (spawning git status, hashing, parsing): median ${median(extraCpu).toFixed(2)} ms`,
  );
  console.log(
    `Experiments table at step ${STEPS}: ${recorded.table.length} lines, ${tableChars} characters, ~${Math.ceil(tableChars / 4)} prompt tokens (~${Math.ceil(tableChars / 4 / recorded.table.length)} per experiment)`,
  );
  console.log(`  e.g. ${recorded.table[recorded.table.length - 1]}`);
}
