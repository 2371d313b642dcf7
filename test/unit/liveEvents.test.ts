import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import type { RunEvent } from '../../src/core/events';
import { ExperimentRecorder } from '../../src/core/experiments/recorder';
import { ResearchLog } from '../../src/core/memory/researchLog';
import { lastShownLine } from '../../src/core/text/lastLine';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { PYTHON, runScripted, type Reply } from '../fixtures/runHarness';
import { useFakeServers } from '../fixtures/servers';

/**
 * What a running run tells its views as it goes: when a step starts, a reply as it arrives, the
 * last line a script printed, when an experiment started and under which limit, and what asking
 * the expert would cost now.
 */

const serve = useFakeServers(startFakeOpenAI);

const LIST = { action: 'List Files', input: { dir_path: '.' } };
const RUN = { action: 'Execute Script', input: { script_name: 'train.py' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };
const planner = (text: string, extra: Partial<Reply> = {}): Reply => ({ match: PLANNER_MATCH, text, ...extra });

type Timed = { event: RunEvent; at: number };
const timed = (into: Timed[]) => (event: RunEvent) => into.push({ event, at: Date.now() });
const ofType = <T extends RunEvent['type']>(events: readonly RunEvent[], type: T) =>
  events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

/** The smallest gap between consecutive times. */
const minGap = (times: number[]) => Math.min(...times.slice(1).map((t, i) => t - times[i]));

describe('a reply as it arrives', () => {
  test('reply-progress: the text so far, its first 4,000 characters, at most about four a second, none after the call', async () => {
    const long = plannerReply({ ...LIST, thought: `Looking around first. ${'Then I decide. '.repeat(400)}` }, 1);
    assert.ok(long.length > 5000);
    const openai = await serve({ replies: [planner(long, { chunkDelayMs: 10 }), planner(plannerReply(FINAL, 2))] }, { chunkChars: 40 });
    const seen: Timed[] = [];
    const started = Date.now();
    const run = await runScripted({ openai, onEvent: timed(seen) });
    const duration = Date.now() - started;

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const firstCall = run.log.find((r) => r.type === 'call-started')!;
    const progress = seen.filter((t) => t.event.type === 'reply-progress' && t.event.callId === firstCall.callId);
    assert.ok(progress.length >= 3, `a long slow reply is shown as it arrives (${progress.length} events)`);
    assert.ok(progress.length <= duration / 250 + 2, `${progress.length} events in ${duration} ms`);
    assert.ok(minGap(progress.map((t) => t.at)) >= 240, 'at most one every 250 ms');
    const texts = progress.map((t) => (t.event as Extract<RunEvent, { type: 'reply-progress' }>).text);
    for (const [i, text] of texts.entries()) {
      assert.ok(long.startsWith(text), 'the text so far is the start of the reply');
      assert.ok(text.length <= 4000);
      if (i > 0) assert.ok(text.length >= texts[i - 1].length);
    }
    assert.equal(texts.at(-1)!.length, 4000, 'past 4,000 characters the shown start stops growing');
    assert.deepEqual(
      { ...progress[0].event, text: '' },
      { type: 'reply-progress', callId: firstCall.callId, role: 'planner', model: 'openai:cheap', text: '' },
    );
    const callEnded = run.events.findIndex((e) => e.type === 'call' && e.callId === firstCall.callId);
    const lastProgress = run.events.lastIndexOf(progress.at(-1)!.event);
    assert.ok(lastProgress < callEnded, 'nothing is told after the call ended');
  });

  test('call-started records reach the listeners, before the call they start', async () => {
    const openai = await serve({ replies: [planner(plannerReply(FINAL, 1))] });
    const run = await runScripted({ openai });
    const started = ofType(run.events, 'call-started');
    assert.equal(started.length, 1);
    assert.deepEqual(
      started[0],
      run.log.find((r) => r.type === 'call-started'),
    );
    const call = run.events.findIndex((e) => e.type === 'call');
    assert.ok(run.events.indexOf(started[0]) < call);
  });
});

describe('steps and experiments', () => {
  test('step-started carries when it started; experiment-started its start and time limit', async () => {
    const openai = await serve({ replies: [planner(plannerReply(RUN, 1)), planner(plannerReply(FINAL, 2))] });
    const before = Date.now();
    const run = await runScripted({ openai, config: { scriptTimeoutSec: 90 } });
    const after = Date.now();

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const steps = ofType(run.events, 'step-started');
    assert.deepEqual(
      steps.map((s) => s.step),
      [1, 2],
    );
    for (const s of steps) assert.ok(s.at >= before && s.at <= after, `at ${s.at}`);
    assert.ok(steps[1].at >= steps[0].at);
    const [experiment] = ofType(run.events, 'experiment-started');
    assert.equal(experiment.timeoutSec, 90);
    assert.equal(experiment.step, 1);
    assert.ok(experiment.startedAt >= steps[0].at && experiment.startedAt <= steps[1].at);
    const record = ofType(run.events, 'experiment')[0].experiment;
    assert.ok(Math.abs(Date.parse(record.startedAt) - experiment.startedAt) < 5, 'the same start as the record');
  });

  test('a script without a limit: timeoutSec is null', async () => {
    const { recorder, timedEvents } = recorderFor();
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-live-'));
    writeFileSync(join(dir, 'quick.py'), 'print("hi")\n');
    await recorder.run(scriptRun(dir, 'quick.py'), new AbortController().signal);
    const [started] = ofType(
      timedEvents.map((t) => t.event),
      'experiment-started',
    );
    assert.equal(started.timeoutSec, null);
    assert.equal(typeof started.startedAt, 'number');
  });
});

describe('the last line a script printed', () => {
  test('script-output: the last non-empty line as a terminal shows it, at most about four a second', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'budgetml-live-'));
    writeFileSync(
      join(dir, 'noisy.py'),
      [
        'import sys, time',
        'for i in range(30):',
        '    print(f"epoch {i}", flush=True)',
        '    time.sleep(0.03)',
        'sys.stdout.write("\\x1b[32mprogress 10%\\x1b[0m"); sys.stdout.flush(); time.sleep(0.4)',
        'sys.stdout.write("\\rprogress 50%"); sys.stdout.flush(); time.sleep(0.4)',
        'sys.stdout.write("\\rprogress 100%\\r\\n\\n   \\n"); sys.stdout.flush(); time.sleep(0.4)',
        '',
      ].join('\n'),
    );
    const { recorder, timedEvents } = recorderFor();
    const started = Date.now();
    await recorder.run(scriptRun(dir, 'noisy.py'), new AbortController().signal);
    const duration = Date.now() - started;

    const lines = timedEvents.filter((t) => t.event.type === 'script-output');
    const shown = lines.map((t) => (t.event as Extract<RunEvent, { type: 'script-output' }>).line);
    assert.ok(lines.length >= 4 && lines.length <= duration / 250 + 2, `${lines.length} lines in ${duration} ms: ${shown.join(' | ')}`);
    assert.ok(minGap(lines.map((t) => t.at)) >= 240, 'at most one every 250 ms');
    assert.match(shown[0], /^epoch [0-2]$/, 'the first line is told at once');
    for (const line of shown) assert.match(line, /^(epoch \d+|progress (10|50|100)%)$/);
    assert.deepEqual(shown.slice(-3), ['progress 10%', 'progress 50%', 'progress 100%']);
    assert.ok(lines.every((t) => t.event.type === 'script-output' && t.event.step === 3));
  });

  test('lastShownLine: escapes removed, a rewritten line shows its last state, blank lines skipped', () => {
    assert.equal(lastShownLine('a\nb\n'), 'b');
    assert.equal(lastShownLine('a\nb\n  \n\n'), 'b');
    assert.equal(lastShownLine('\x1b[1;31mError\x1b[0m: boom\n'), 'Error: boom');
    assert.equal(lastShownLine(' 10%|#  |\r 20%|## |\r 30%|###|'), '30%|###|');
    assert.equal(lastShownLine('done\r\n'), 'done');
    assert.equal(lastShownLine('\x1b]0;title\x07loss 0.3\n'), 'loss 0.3');
    assert.equal(lastShownLine('\n\n'), undefined);
    assert.equal(lastShownLine('x'.repeat(1000))!.length, 300);
  });
});

describe('what asking the expert costs now', () => {
  test('expert-quote after each planner call: the worst case of the expert’s request; none once no lifeline is left', async () => {
    const openai = await serve({ replies: [planner(plannerReply(LIST, 1)), planner(plannerReply(FINAL, 2))] });
    // the user asks the expert to plan step 1 with an empty problem: its request is the one quoted after it
    let asked = false;
    const expertRequests = { take: () => (asked ? undefined : ((asked = true), '')) };
    const run = await runScripted({ openai, expertRequests });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const quotes = ofType(run.events, 'expert-quote');
    assert.equal(quotes.length, 2);
    const expertCall = run.log.find((r) => r.type === 'call-started' && r.role === 'expert')!;
    assert.ok(expertCall.step === 1 && expertCall.worstCaseUsd > 0);
    assert.equal(quotes[0].usd, expertCall.worstCaseUsd, 'the budget guard’s worst case of that very request');
    assert.ok(quotes[1].usd > quotes[0].usd, 'a longer context costs more');
    const plannedAt = run.events.findIndex((e) => e.type === 'planned');
    assert.equal(run.events[plannedAt + 1].type, 'expert-quote', 'told right after the planner’s answer');

    const none = await serve({ replies: [planner(plannerReply(FINAL, 1))] });
    const withoutLifelines = await runScripted({ openai: none, config: { lifelines: 0 } });
    assert.equal(ofType(withoutLifelines.events, 'expert-quote').length, 0);
  });
});

function recorderFor() {
  const runDir = mkdtempSync(join(tmpdir(), 'budgetml-live-run-'));
  const timedEvents: Timed[] = [];
  const recorder = new ExperimentRecorder({
    runDir,
    workspace: runDir,
    python: PYTHON,
    host: new NodeHost(() => {}),
    log: ResearchLog.create(join(runDir, 'log.jsonl')),
    emit: timed(timedEvents),
  });
  return { recorder, timedEvents };
}

function scriptRun(dir: string, script: string) {
  return {
    kind: 'execute' as const,
    step: 3,
    script,
    request: { command: PYTHON, args: [script], cwd: dir, purpose: 'agent' as const, display: `python ${script}` },
    outputFile: join(dir, `${script}.log`),
  };
}
