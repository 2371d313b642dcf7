import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { appendExperiment, readExperiments } from '../../src/core/experiments/experimentLog';
import { MetricTracker } from '../../src/core/experiments/metricTracker';
import { ExperimentRecorder, errorLine } from '../../src/core/experiments/recorder';
import { experimentRow, experimentsTable } from '../../src/core/experiments/table';
import type { ExperimentRecord } from '../../src/core/experiments/types';
import { measuredValues, verdictOf } from '../../src/core/experiments/verdict';
import type { Host } from '../../src/core/host';
import { ResearchLog } from '../../src/core/memory/researchLog';

const score = (value: number | null, higherIsBetter = true) => ({ score: value, metric: 'accuracy', higherIsBetter, detail: '' });

function record(over: Partial<ExperimentRecord>): ExperimentRecord {
  return {
    id: 1,
    step: 1,
    kind: 'execute',
    script: 'train.py',
    command: 'python3 train.py',
    interpreter: 'python3',
    startedAt: '2026-11-29T10:00:00.000Z',
    durationMs: 12_345,
    exitCode: 0,
    outcome: 'ok',
    metrics: {},
    ...over,
  };
}

describe('the verdict comes from measured scores and the success rule', () => {
  test('more than 10 % better is improved; 5 % better is not', () => {
    assert.equal(verdictOf(score(0.7), score(0.78), true).verdict, 'improved');
    const small = verdictOf(score(0.7), score(0.735), true);
    assert.equal(small.verdict, 'not improved');
    assert.ok(Math.abs(small.change! - 0.05) < 1e-12);
  });

  test('lower is better: a lower error is the improvement', () => {
    const v = verdictOf(score(56.6, false), score(44.5, false), true);
    assert.equal(v.verdict, 'improved');
    assert.ok(Math.abs(v.change! - (56.6 - 44.5) / 56.6) < 1e-12);
    assert.equal(verdictOf(score(44.5, false), score(56.6, false), true).verdict, 'not improved');
  });

  test('not measured, with the reason', () => {
    assert.match(verdictOf(null, null, false).reason, /no scoring script/);
    assert.match(verdictOf(score(null), score(0.9), true).reason, /baseline was not measured/);
    assert.match(
      verdictOf(score(0.7), { ...score(null), detail: 'the scoring failed (exit 1)' }, true).reason,
      /final score was not measured: the scoring failed \(exit 1\)/,
    );
    assert.match(verdictOf(score(0), score(0.5), true).reason, /baseline of 0/);
  });

  test('measured values: every metric of a finished run, and pairs of the same metric in order', () => {
    const values = measuredValues([
      record({ id: 1, metrics: { acc: 0.7, loss: 0.9 } }),
      record({ id: 2, outcome: 'failed', metrics: { acc: 0.1 } }),
      record({ id: 3, metrics: { acc: 0.8 }, series: { acc: [0.75, 0.8] } }),
    ]);
    assert.deepEqual(values.measured, [0.7, 0.9, 0.8, 0.75, 0.8]);
    assert.deepEqual(values.pairs, [[0.7, 0.8]]);
  });
});

describe('the Experiments table', () => {
  test('one compact line per experiment: metrics that matter first, what changed, the error', () => {
    const rows = experimentsTable([
      record({
        id: 1,
        step: 0,
        kind: 'baseline',
        durationMs: 1_700,
        metrics: { epoch: 10, 'train loss': 0.41, 'test accuracy': 0.9722, lr: 0.001 },
      }),
      record({
        id: 2,
        step: 3,
        durationMs: 64_000,
        metrics: { 'test accuracy': 0.98 },
        changedSinceParent: { parent: 1, diff: '-x\n+y', hyperParams: { lr: [0.001, 0.01], optimizer: ['sgd', 'adam'] } },
      }),
      record({ id: 3, step: 5, outcome: 'declined', exitCode: null }),
      record({ id: 4, step: 6, outcome: 'failed', exitCode: 1, error: 'RuntimeError: CUDA out of memory' }),
      record({
        id: 5,
        step: 7,
        kind: 'score',
        label: 'final',
        script: 'eval.py',
        durationMs: 400,
        taskMetric: 'mae',
        metrics: { mae: 41.63 },
      }),
    ]);
    assert.deepEqual(rows, [
      '#1 step 0 baseline train.py: ok 1.7 s | test accuracy 0.9722, train loss 0.41, lr 0.001, epoch 10',
      '#2 step 3 train.py: ok 64 s | test accuracy 0.98 | changed since #1: lr 0.001→0.01, optimizer "sgd"→"adam"',
      '#4 step 6 train.py: failed 12 s | RuntimeError: CUDA out of memory',
      '#5 step 7 scoring (final) eval.py: ok 0.4 s | mae 41.63',
    ]);
  });

  test('beyond its row limit the table keeps the baseline and the latest runs, dropping the earliest in blocks', () => {
    const runs = Array.from({ length: 12 }, (_, i) => record({ id: i + 1, step: i < 2 ? 0 : i, kind: i < 2 ? 'baseline' : 'execute' }));
    assert.equal(experimentsTable(runs.slice(0, 6), 6).length, 6);
    const rows = experimentsTable(runs, 6);
    assert.match(rows[0], /^#1 step 0 /);
    assert.match(rows[1], /^#2 step 0 /);
    assert.equal(rows[2], '(6 earlier experiments omitted)');
    assert.deepEqual(
      rows.slice(3).map((r) => r.split(' ')[0]),
      ['#9', '#10', '#11', '#12'],
    );
    // one run fewer: the same rows but the last, so the table grows by appending between drops
    assert.deepEqual(experimentsTable(runs.slice(0, 11), 6), rows.slice(0, -1));
  });

  test('without a baseline the table keeps the first run as the reference', () => {
    const runs = Array.from({ length: 12 }, (_, i) => record({ id: i + 1, step: i + 1, kind: 'execute' }));
    const rows = experimentsTable(runs, 6);
    assert.match(rows[0], /^#1 step 1 /);
    assert.match(rows[1], /earlier experiments omitted/);
    assert.equal(rows.length, 7);
    assert.match(rows.at(-1) ?? '', /^#12 step 12 /);
  });

  test('an unchanged script says so', () => {
    assert.match(experimentRow(record({ changedSinceParent: { parent: 1, diff: '', hyperParams: {} } })), /same code as #1$/);
    assert.match(
      experimentRow(record({ changedSinceParent: { parent: 1, diff: '+# a comment', hyperParams: {} } })),
      /code changed since #1$/,
    );
  });

  test('the error line of a failed run is the exception, not the traceback', () => {
    const output =
      'Traceback (most recent call last):\n  File "train.py", line 3, in <module>\n    import lightgbm\nModuleNotFoundError: No module named \'lightgbm\'\n';
    assert.equal(errorLine(output, { exitCode: 1, timedOut: false, cancelled: false }), "ModuleNotFoundError: No module named 'lightgbm'");
    assert.equal(errorLine('epoch 1\nKilled\n', { exitCode: 137, timedOut: false, cancelled: false }), 'Killed');
    assert.equal(errorLine('', { exitCode: null, timedOut: true, cancelled: false }), 'stopped at the time limit');
  });
});

describe('live metrics', () => {
  test('a flood of progress lines sends at most one event per metric per interval, and the last value always', () => {
    const sent: Array<[string, number]> = [];
    const tracker = new MetricTracker((name, value) => sent.push([name, value]));
    for (let i = 1; i <= 2000; i++) tracker.push(`step ${i}/2000 loss=${(1 / i).toFixed(6)}\n`);
    tracker.finish();
    assert.ok(sent.length < 20, `${sent.length} events`);
    assert.deepEqual(sent[sent.length - 1], ['loss', 0.0005]);
    assert.equal(tracker.last().loss, 0.0005);
    assert.equal(tracker.series().loss.length, 500, 'a long series is thinned for the record');
    assert.equal(tracker.series().loss[499], 0.0005, 'keeping the last value');
  });
});

describe('experiments.jsonl', () => {
  test('after a crash between the log and the file, the file gets what the log holds', () => {
    const runDir = mkdtempSync(join(tmpdir(), 'budgetml-exp-'));
    const log = ResearchLog.create(join(runDir, 'log.jsonl'));
    log.append({ type: 'experiment', experiment: record({ id: 1 }) });
    log.append({ type: 'experiment', experiment: record({ id: 2 }) });
    appendExperiment(runDir, record({ id: 1 }));
    writeFileSync(join(runDir, 'experiments.jsonl'), readFileSync(join(runDir, 'experiments.jsonl'), 'utf8') + '{"id": 2, "torn');
    const host: Host = {
      proposeEdit: async () => ({ accepted: false }),
      runScript: async () => ({ exitCode: 0, timedOut: false, cancelled: false }),
      log: () => {},
    };
    const recorder = new ExperimentRecorder({
      runDir,
      workspace: runDir,
      python: 'python3',
      host,
      log: ResearchLog.create(join(runDir, 'log.jsonl')),
      emit: () => {},
    });
    assert.deepEqual(
      recorder.all().map((r) => r.id),
      [1, 2],
    );
    assert.deepEqual(
      readExperiments(runDir).map((r) => r.id),
      [1, 2],
    );
  });
});
