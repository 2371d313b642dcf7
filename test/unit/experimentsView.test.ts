import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunEvent } from '../../src/core/events';
import type { ExperimentRecord } from '../../src/core/experiments/types';
import { filesToDiff, insideWorkspace, planRestore, staysInside } from '../../src/host/experiments/codeFiles';
import { compareHtml } from '../../src/host/experiments/compareHtml';
import { compareModel, type CompareSide } from '../../src/host/experiments/compareModel';
import {
  experimentDescription,
  experimentLabel,
  formatChange,
  formatDuration,
  hyperParamText,
  pendingDescription,
  runDescription,
  runLabel,
  verdictText,
} from '../../src/host/experiments/experimentText';
import { codeSpan, escapeMarkdown, experimentTooltip, runTooltip } from '../../src/host/experiments/experimentTooltip';
import { foldRunEvent, mergeRecords, type LiveRun } from '../../src/host/experiments/liveRun';
import {
  bestExperiment,
  listExperimentRuns,
  readExperimentRun,
  taskDirection,
  type ExperimentRun,
} from '../../src/host/experiments/runData';

/** The pure parts of the Experiments view: reading run folders, the words it shows, the comparison. */

const RUN_ID = '2026-11-20T09-15-42-k3xq';
const FIXTURE = resolve(__dirname, '..', 'integration', 'fixtures', 'experimentRuns', RUN_ID);
const GOAL = 'Raise the test accuracy of classify.py on the digits data by more than 10 %';

let workspace: string;
let run: ExperimentRun;

before(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'budgetml-experiments-'));
  cpSync(FIXTURE, join(workspace, '.budgetml', 'runs', RUN_ID), { recursive: true });
  run = await readExperimentRun(join(workspace, '.budgetml', 'runs', RUN_ID));
});

after(() => rmSync(workspace, { recursive: true, force: true }));

const byId = (id: number): ExperimentRecord => run.experiments.find((r) => r.id === id)!;

describe('reading the run folders', () => {
  it('reads the records, the goal from the log, the verdict from summary.json', () => {
    assert.deepEqual(
      run.experiments.map((r) => r.id),
      [1, 2, 3, 4],
    );
    assert.equal(run.goal, GOAL);
    assert.equal(run.startedAt, '2026-11-20T09:15:51.204Z');
    assert.equal(run.summary?.verdict?.verdict, 'improved');
    assert.equal(run.workspace, workspace);
    assert.deepEqual(taskDirection(run), { metric: 'test accuracy', higherIsBetter: true });
  });

  it('skips a torn last line of experiments.jsonl', async () => {
    const dir = join(workspace, '.budgetml', 'runs', 'torn');
    cpSync(FIXTURE, dir, { recursive: true });
    appendFileSync(join(dir, 'experiments.jsonl'), '{"id":5,"step":6,"kind":"execute","script":"classify.py","metr');
    const torn = await readExperimentRun(dir);
    assert.deepEqual(
      torn.experiments.map((r) => r.id),
      [1, 2, 3, 4],
    );
    rmSync(dir, { recursive: true });
  });

  it('lists runs with experiments newest first, and the live run before its first experiment', async () => {
    const root = join(workspace, '.budgetml', 'runs');
    const older = join(root, '2026-11-19T08-00-00-aaaa');
    mkdirSync(older);
    writeFileSync(join(older, 'experiments.jsonl'), JSON.stringify({ ...byId(1), startedAt: '2026-11-19T08:00:05.000Z' }) + '\n');
    const live = join(root, '2026-11-21T10-00-00-bbbb');
    mkdirSync(live);
    const noExperiments = join(root, '2026-11-22T10-00-00-cccc');
    mkdirSync(noExperiments);
    try {
      assert.deepEqual(
        (await listExperimentRuns(workspace)).map((r) => r.id),
        [RUN_ID, '2026-11-19T08-00-00-aaaa'],
      );
      const withLive = await listExperimentRuns(workspace, [live]);
      assert.deepEqual(
        withLive.map((r) => [r.id, r.startedAt]),
        [
          ['2026-11-21T10-00-00-bbbb', '2026-11-21T10:00:00.000Z'],
          [RUN_ID, '2026-11-20T09:15:51.204Z'],
          ['2026-11-19T08-00-00-aaaa', '2026-11-19T08:00:05.000Z'],
        ],
      );
    } finally {
      for (const dir of [older, live, noExperiments]) rmSync(dir, { recursive: true });
    }
  });
});

describe('the words of the view', () => {
  it('names runs by their goal and verdict', () => {
    assert.equal(runLabel(run), 'Raise the test accuracy of classify.py…');
    assert.equal(runLabel({ id: RUN_ID, startedAt: '2026-11-20T09:15:51.204Z' }).startsWith(`${RUN_ID} · 2026-11-`), true);
    assert.equal(runDescription(run, { running: false }), 'improved 0.7139 → 0.9722 (+36 %)');
    assert.equal(runDescription(run, { running: true }), 'running');
    assert.equal(runDescription({}, { running: false }), 'unfinished');
    assert.equal(runDescription({ summary: { status: 'budget_exhausted' } }, { running: false }), 'ended: budget exhausted');
    const notImproved = { ...run.summary!.verdict!, verdict: 'not improved' as const, final: 0.7, change: -0.02 };
    assert.equal(verdictText(notImproved), 'not improved 0.7139 → 0.7 (−2.0 %)');
    assert.equal(verdictText({ ...notImproved, verdict: 'not measured', final: null, change: null }), 'not measured');
  });

  it('labels and describes each experiment exactly', () => {
    const direction = taskDirection(run);
    assert.deepEqual(
      run.experiments.map((r) => [experimentLabel(r), experimentDescription(r, direction)]),
      [
        ['#1 baseline · classify.py', 'test accuracy 0.7139 · 8.4 s'],
        ['#2 step 2 · classify.py', 'test accuracy 0.9111 · 9.1 s · lr 0.1→0.01'],
        ['#3 step 4 · classify.py', 'test accuracy 0.9722 · 14.9 s · lr 0.01→0.001, hidden_units 64→128'],
        ['#4 step 5 · classify.py', 'failed (exit code 1) · 1.5 s · lr 0.001→0'],
      ],
    );
    assert.equal(experimentLabel({ id: 6, step: 7, kind: 'score', label: 'final', script: 'eval.py' }), '#6 final score · eval.py');
    assert.equal(experimentLabel({ id: 2, step: 0, kind: 'score', label: 'baseline', script: 'eval.py' }), '#2 baseline score · eval.py');
    assert.equal(bestExperiment(run.experiments, direction)?.id, 3);
  });

  it('formats changes, durations and hyper-parameters', () => {
    assert.equal(formatChange(0.3618), '+36 %');
    assert.equal(formatChange(-0.042), '−4.2 %');
    assert.equal(formatChange(0), '+0.0 %');
    assert.equal(formatDuration(870), '0.9 s');
    assert.equal(formatDuration(125_000), '2 min 05 s');
    assert.equal(formatDuration(3_720_000), '1 h 02 min');
    assert.equal(
      hyperParamText({ lr: [0.01, 0.001], epochs: [10, 20], optimizer: ['sgd', 'adam'] }),
      'lr 0.01→0.001, epochs 10→20 +1 more',
    );
    assert.equal(hyperParamText({ dropout: [null, 0.2] }), 'dropout —→0.2');
    assert.equal(pendingDescription({ 'train loss': 0.5, 'val accuracy': 0.81 }), 'running · val accuracy 0.81');
    assert.equal(pendingDescription({}), 'running…');
  });

  it('puts everything the record holds into the tooltip, escaped', () => {
    const tip = experimentTooltip(byId(3));
    assert.match(tip, /^\*\*\\#3 step 4 · classify\\\.py\*\* — exit code 0, 14\.9 s, 2026\\-11\\-20 \d\d:\d\d\n\n/);
    assert.ok(tip.includes('`python classify.py`'));
    assert.ok(tip.includes('| test accuracy | 0.9722 |'));
    assert.ok(tip.includes('| train loss | 0.0873 · 3 values, first 0.612 |'));
    assert.ok(tip.includes('**Changed since #2:** `lr` 0\\.01 → 0\\.001, `hidden_units` 64 → 128'));
    assert.ok(tip.includes('**Seeds:** `train_test_split.random_state` 0, `MLPClassifier.random_state` 0'));
    assert.ok(tip.includes('**Environment:** Python 3\\.11\\.2 · numpy 1\\.26\\.4, sklearn 1\\.5\\.2'));
    assert.ok(tip.includes('**Data:** `data/digits.csv` 257 KB · sha256 b1946ac92492'));
    assert.ok(tip.includes('**Git:** `4f2c9e1ab7` with uncommitted changes'));
    const failedTip = experimentTooltip(byId(4));
    assert.match(failedTip, /^\$\(error\) \*\*\\#4 step 5 · classify\\\.py\*\* — failed \(exit code 1\)/);
    assert.ok(failedTip.includes("$(error) `sklearn.utils._param_validation.InvalidParameterError: The 'learning_rate_init' parameter"));
    assert.ok(failedTip.includes('_No metrics printed._'));
    assert.ok(runTooltip(run, { running: false }).includes('**improved 0\\.7139 → 0\\.9722 \\(\\+36 %\\)**'));
    assert.equal(escapeMarkdown('a_b*[c](d)'), 'a\\_b\\*\\[c\\]\\(d\\)');
    assert.equal(codeSpan('echo `x`'), '`` echo `x` ``');
  });
});

describe('the live run', () => {
  it('folds the events of a run into what the view shows before the files have it', () => {
    const events: RunEvent[] = [
      { type: 'run-started', runId: 'r', runDir: '/w/.budgetml/runs/r', goal: 'g', budgetUsd: 1, resumedFromStep: 0 },
      {
        type: 'experiment-started',
        id: 1,
        step: 0,
        kind: 'baseline',
        script: 'classify.py',
        command: 'python classify.py',
        startedAt: Date.parse('2026-11-20T09:15:00.000Z'),
        timeoutSec: 600,
      },
      { type: 'metric', experiment: 1, step: 0, name: 'train loss', value: 2.18 },
      { type: 'metric', experiment: 1, step: 0, name: 'train loss', value: 1.34 },
    ];
    let live: LiveRun | undefined = events.reduce<LiveRun | undefined>(foldRunEvent, undefined);
    assert.deepEqual(live?.pending, {
      id: 1,
      step: 0,
      kind: 'baseline',
      script: 'classify.py',
      command: 'python classify.py',
      metrics: { 'train loss': 1.34 },
    });
    live = foldRunEvent(live, { type: 'experiment', experiment: byId(1), time: '2026-11-20T09:16:00.000Z' });
    assert.equal(live?.pending, undefined);
    assert.deepEqual(
      mergeRecords([], live).map((r) => r.id),
      [1],
    );
    assert.deepEqual(
      mergeRecords([byId(1), byId(2)], live).map((r) => r.id),
      [1, 2],
    );
    live = foldRunEvent(live, { type: 'verdict', verdict: run.summary!.verdict!, unverifiedClaims: [], time: '2026-11-20T09:22:30.911Z' });
    live = foldRunEvent(live, { type: 'run-ended', status: 'final_answer' });
    assert.equal(live?.running, false);
    assert.equal(live?.verdict?.verdict, 'improved');
  });
});

describe('the comparison', () => {
  const side = (id: number): CompareSide => ({ run, record: byId(id) });

  it('shows the GPUs an experiment ran on, in its tooltip and where two runs differ', () => {
    const a100 = { index: 0, name: 'NVIDIA A100-SXM4-80GB', memoryUsedMiB: 1024, memoryTotalMiB: 81920, utilizationPct: 35 };
    const onGpu: ExperimentRecord = { ...byId(3), env: { ...byId(3).env!, gpu: { kind: 'gpus', gpus: [a100] } } };
    assert.ok(experimentTooltip(onGpu).includes('**GPU:** 1 GPU: NVIDIA A100\\-SXM4\\-80GB 1/80 GiB, 35 %'), experimentTooltip(onGpu));
    const noGpu: ExperimentRecord = { ...byId(2), env: { ...byId(2).env!, gpu: { kind: 'none', reason: 'nvidia-smi not found' } } };
    const model = compareModel({ run, record: noGpu }, { run, record: onGpu }, taskDirection(run));
    const gpuRow = model.sections.find((s) => s.title.startsWith('Environment'))!.rows.find((r) => r.name === 'GPU');
    assert.deepEqual([gpuRow?.left, gpuRow?.right], ['no GPU (nvidia-smi not found)', '1 GPU: NVIDIA A100-SXM4-80GB 1/80 GiB, 35 %']);
  });

  it('puts metrics side by side with the difference and the better one', () => {
    const model = compareModel(side(2), side(3), taskDirection(run));
    assert.equal(model.title, 'Compare #2 ↔ #3');
    const section = (title: string) => model.sections.find((s) => s.title.startsWith(title))!;
    assert.deepEqual(section('Metrics').rows, [
      {
        name: 'test accuracy',
        note: 'task metric, higher is better',
        left: '0.9111',
        right: '0.9722',
        difference: '+0.0611 (+6.7 %)',
        changed: true,
        better: 'right',
      },
      { name: 'train loss', left: '0.3521', right: '0.0873', difference: '−0.2648 (−75 %)', changed: true },
    ]);
    assert.deepEqual(
      section('Hyper-parameters').rows.map((r) => [r.name, r.left, r.right]),
      [
        ['lr', '0.1 → 0.01 (since #1)', '0.01 → 0.001 (since #2)'],
        ['hidden_units', '—', '64 → 128 (since #2)'],
      ],
    );
    assert.deepEqual(
      section('Environment').rows.map((r) => [r.name, r.left, r.right]),
      [['sklearn', '1.5.1', '1.5.2']],
    );
    assert.deepEqual(section('Data').rows, []);
    assert.deepEqual(
      section('Seeds').rows.map((r) => r.changed),
      [false, false],
    );
    assert.deepEqual(
      section('Run')
        .rows.map((r) => [r.name, r.left, r.right, r.difference])
        .slice(0, 3),
      [
        ['Command', 'python classify.py', 'python classify.py', ''],
        ['Outcome', 'exit code 0', 'exit code 0', ''],
        ['Duration', '9.1 s', '14.9 s', '+5.8 s'],
      ],
    );
    assert.match(
      model.subtitle,
      /^Raise the test accuracy of classify\.py on the digits data by more than 10 % · run of 2026-11-20 \d\d:\d\d$/,
    );
    assert.deepEqual(
      [model.left, model.right],
      [
        { label: '#2 step 2 · classify.py', run: '' },
        { label: '#3 step 4 · classify.py', run: '' },
      ],
    );
    assert.deepEqual(
      section('Code').rows.map((r) => [r.name, r.difference]),
      [
        ['classify.py', 'differs'],
        ['Git', ''],
      ],
    );
  });

  it('says which experiment a side is across runs', () => {
    const other: CompareSide = { run: { ...run, id: 'other', startedAt: '2026-11-21T10:00:00.000Z' }, record: byId(1) };
    const model = compareModel(other, side(3));
    assert.match(model.title, /^Compare #1 \(2026-11-2\d \d\d:\d\d\) ↔ #3 \(2026-11-2\d \d\d:\d\d\)$/);
    assert.equal(model.sections[0].rows[0].name, 'Run');
    assert.match(model.left.run, /^Raise the test accuracy of classify\.py… · 2026-11-21 \d\d:\d\d$/);
  });

  it('renders a page with no script, its style under the nonce, the text escaped', () => {
    const model = compareModel(side(3), side(4), taskDirection(run));
    const html = compareHtml(model, 'n0nce', 'a <note>');
    assert.ok(html.includes(`content="default-src 'none'; style-src 'nonce-n0nce'"`));
    assert.ok(html.includes('<style nonce="n0nce">'));
    assert.ok(!/<script/i.test(html));
    assert.ok(html.includes('a &lt;note&gt;'));
    assert.ok(!html.includes('class="better'), 'no better side when one has no value');
    const measured = compareHtml(compareModel(side(2), side(3), taskDirection(run)), 'n0nce');
    assert.ok(measured.includes('<td class="better short">0.9722 <span class="badge">better</span></td>'));
    assert.ok(measured.includes('<td class="name">test accuracy<span class="note">task metric, higher is better</span></td>'));
    assert.ok(html.includes('The &#39;learning_rate_init&#39; parameter'));
    assert.ok(html.includes('var(--vscode-foreground)'));
  });
});

describe('the code to restore', () => {
  it('keeps paths inside the workspace and leaves data and weights alone', () => {
    const ws = resolve('/w/project');
    const hash = 'a'.repeat(64);
    const plan = planRestore(
      {
        code: {
          'train.py': hash,
          'src/model.py': hash,
          'weights.pt': hash,
          'data/x.CSV': hash,
          '../evil.py': hash,
          '/etc/passwd': hash,
          'bad.py': 'zz',
        },
      },
      '/w/project/.budgetml/runs/r',
      ws,
    );
    assert.deepEqual(
      plan.files.map((f) => [f.path, f.target]),
      [
        ['train.py', join(ws, 'train.py')],
        ['src/model.py', join(ws, 'src', 'model.py')],
      ],
    );
    assert.equal(plan.files[0].snapshot, join('/w/project/.budgetml/runs/r', 'code', hash));
    assert.deepEqual(plan.skipped, ['weights.pt', 'data/x.CSV']);
    assert.deepEqual(plan.refused, ['../evil.py', '/etc/passwd', 'bad.py']);
    assert.equal(insideWorkspace(ws, 'a/../../b.py'), undefined);
    assert.equal(insideWorkspace(ws, 'a/../b.py'), join(ws, 'b.py'));
  });

  it('does not follow a link out of the workspace', async () => {
    const ws = join(workspace, 'ws');
    mkdirSync(join(ws, 'src'), { recursive: true });
    symlinkSync(tmpdir(), join(ws, 'out'));
    assert.equal(await staysInside(ws, join(ws, 'src', 'new', 'model.py')), true);
    assert.equal(await staysInside(ws, join(ws, 'train.py')), true);
    assert.equal(await staysInside(ws, join(ws, 'out', 'x.py')), false);
    assert.equal(await staysInside(ws, join(ws, '..', 'x.py')), false);
  });

  it('diffs the script both experiments kept', () => {
    assert.deepEqual(filesToDiff(byId(2), byId(3)), { left: 'classify.py', right: 'classify.py' });
    assert.deepEqual(filesToDiff({ script: 'eval.py', code: {} }, byId(3)), undefined);
    assert.deepEqual(filesToDiff({ script: 'a.py', code: { 'a.py': 'x' } }, { script: 'b.py', code: { 'b.py': 'y' } }), {
      left: 'a.py',
      right: 'b.py',
    });
  });
});
