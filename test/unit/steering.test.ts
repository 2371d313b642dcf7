import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunEvent } from '../../src/core/events';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import type { Reply } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';
import { FakeSteering, messagesOf, plannerRequests, runSteered, STEERED_KEY } from '../fixtures/steeredRun';

/**
 * What the user says to a running run: notes reach the planner's next prompt and the log (and a
 * resumed run's prompts), and a pause holds the run between steps until the user continues.
 */

const serve = useFakeOpenAI();

const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };
const planner = (step: { action: string; input: Record<string, unknown> }, index: number): Reply => ({
  match: PLANNER_MATCH,
  text: plannerReply(step, index),
});

const NOTE = `Try a linear model next, not a deeper tree. (my key is ${STEERED_KEY})`;
const SHOWN_NOTE =
  /^Note from the user \(step 2\): Try a linear model next, not a deeper tree\. \(my key is \[redacted OPENAI_API_KEY\]\)$/m;

const contents = (messages: { content: string }[]) => messages.map((m) => m.content);
/** A prompt's text up to what is new at every step (the latest plan and what follows it): the next prompt starts with it. */
const kept = (messages: { content: string }[]) => {
  const text = contents(messages).join('\n');
  return text.slice(0, text.search(/\n\nYour Research Plan and Status as of|\n\nWhile lifelines|\n\nRespond with/));
};
const typesOf = (events: RunEvent[]) => events.map((e) => e.type);

describe('the user’s notes', () => {
  test('a note written during step 1 goes into step 2’s prompt, once, where later prompts keep it; it is logged and told', async () => {
    const openai = await serve([planner(LIST, 1), planner(LIST, 2), planner(FINAL, 3)]);
    const steering = new FakeSteering();
    const run = await runSteered({
      openai,
      steering,
      onEvent: (event) => event.type === 'observation' && event.step === 1 && steering.write(NOTE, '   '),
    });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const [first, second, third] = plannerRequests(openai).map(messagesOf);
    assert.doesNotMatch(contents(first).join('\n'), /Note from the user/);
    // the note follows the observation of step 1, in front of what is new at every step
    const last = second.at(-1)!;
    assert.equal(last.role, 'user');
    assert.match(last.content, SHOWN_NOTE);
    const note = last.content.search(SHOWN_NOTE);
    assert.ok(last.content.indexOf('\nStep 1:\n') < note && note < last.content.indexOf('Your Research Plan and Status as of step 1'));
    assert.equal(
      contents(second)
        .join('\n')
        .match(/Note from the user/g)?.length,
      1,
    );
    // step 3's prompt starts with step 2's up to its latest plan, byte for byte: the note stays where it was put
    assert.ok(contents(third).join('\n').startsWith(kept(second)));
    assert.ok(kept(second).includes('Note from the user (step 2)'));
    assert.equal(
      contents(third)
        .join('\n')
        .match(/Note from the user/g)?.length,
      1,
    );

    const notes = run.log.filter((r) => r.type === 'user-note');
    assert.equal(notes.length, 1, 'a blank note is not kept');
    assert.equal(notes[0].step, 2);
    assert.equal(notes[0].text, NOTE.replace(STEERED_KEY, '[redacted OPENAI_API_KEY]'));
    assert.ok(!JSON.stringify(run.log).includes(STEERED_KEY), 'the key is not in the log');
    const told = run.events.filter((e) => e.type === 'user-note');
    assert.deepEqual(told, [notes[0]]);
    // the note is logged before step 2 is planned
    const at = run.log.findIndex((r) => r.type === 'user-note');
    assert.ok(run.log.slice(0, at).filter((r) => r.type === 'step').length === 1);
    assert.ok(!typesOf(run.events).includes('paused'), 'no pause was asked for');
  });

  test('the notes survive a resume: the resumed run’s prompts hold them where they were, without any steering', async () => {
    const firstLife = await serve([planner(LIST, 1), planner(LIST, 2)]);
    const steering = new FakeSteering();
    steering.write('Look at data_description.txt first.');
    const before = await runSteered({
      openai: firstLife,
      steering,
      config: { maxSteps: 2 },
      onEvent: (event) => event.type === 'observation' && event.step === 1 && steering.write(NOTE),
    });
    assert.equal(before.summary.status, 'max_steps', before.summary.message);
    const [stepOne, stepTwo] = plannerRequests(firstLife).map(messagesOf);
    assert.match(stepOne.at(-1)!.content, /^Note from the user \(step 1\): Look at data_description\.txt first\.$/m);

    const secondLife = await serve([planner(FINAL, 3)]);
    const after = await runSteered({
      openai: secondLife,
      runDir: before.runDir,
      resume: true,
      task: { goal: 'Lower the test MAE of train.py.', workspace: before.workspace, readOnlyGlobs: ['data_description.txt'] },
      config: { maxSteps: 3 },
    });
    assert.equal(after.summary.status, 'final_answer', after.summary.message);
    const [stepThree] = plannerRequests(secondLife).map(messagesOf);
    assert.ok(contents(stepThree).join('\n').startsWith(kept(stepTwo)), 'the resumed prompt starts with step 2’s');
    const text = contents(stepThree).join('\n');
    assert.match(text, SHOWN_NOTE);
    assert.match(text, /^Note from the user \(step 1\): Look at data_description\.txt first\.$/m);
  });
});

/** A run paused after step 1 and stopped while it waits; `whilePaused` acts as the user does meanwhile. */
async function pauseThenStop(whilePaused: (steering: FakeSteering) => void = () => {}) {
  const openai = await serve([planner(LIST, 1), planner(FINAL, 2)]);
  const steering = new FakeSteering();
  const controller = new AbortController();
  const run = await runSteered({
    openai,
    steering,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'observation' && event.step === 1) steering.pause();
      if (event.type !== 'paused') return;
      whilePaused(steering);
      setTimeout(() => controller.abort(), 50);
    },
  });
  return { run, openai };
}

describe('notes the run ends with', () => {
  test('a note sent while the run is paused, then Stop: logged for the step a resumed run plans next', async () => {
    const { run } = await pauseThenStop((steering) => steering.write('Try a deeper tree next.'));
    assert.equal(run.summary.status, 'cancelled', run.summary.message);
    assert.deepEqual(
      run.log.filter((r) => r.type === 'user-note').map((r) => [r.step, r.text]),
      [[2, 'Try a deeper tree next.']],
    );
  });
});

describe('pause and continue', () => {
  test('a pause holds the run after the step until the user continues', async () => {
    const openai = await serve([planner(LIST, 1), planner(FINAL, 2)]);
    const steering = new FakeSteering();
    let paused!: () => void;
    const pausedNow = new Promise<void>((resolve) => (paused = resolve));
    const running = runSteered({
      openai,
      steering,
      onEvent: (event) => {
        if (event.type === 'observation' && event.step === 1) steering.pause();
        if (event.type === 'paused') paused();
      },
    });
    await pausedNow;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(plannerRequests(openai).length, 1, 'step 2 is not planned while paused');
    steering.continue();
    const run = await running;

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(plannerRequests(openai).length, 2);
    const types = typesOf(run.events);
    const pausedAt = types.indexOf('paused');
    assert.deepEqual(types.slice(pausedAt, pausedAt + 3), ['paused', 'continued', 'step-started']);
    assert.deepEqual(run.events[pausedAt], { type: 'paused', afterStep: 1 });
    assert.equal(types.filter((t) => t === 'paused').length, 1, 'only a real wait is told');
    assert.equal(steering.asked, 2, 'asked before each step');
  });

  test('stopping while paused ends the run as cancelled, without planning another step', async () => {
    const { run, openai } = await pauseThenStop();
    assert.equal(run.summary.status, 'cancelled', run.summary.message);
    assert.equal(plannerRequests(openai).length, 1);
    assert.ok(!typesOf(run.events).includes('continued'));
    assert.equal(run.events.at(-1)?.type, 'run-ended');
  });

  test('a steering that never lets go still ends when the run is stopped', async () => {
    const openai = await serve([planner(LIST, 1)]);
    const controller = new AbortController();
    const stuck = { takeNotes: () => [], untilContinued: () => new Promise<void>(() => {}) };
    const run = await runSteered({
      openai,
      steering: stuck,
      signal: controller.signal,
      onEvent: (event) => event.type === 'paused' && controller.abort(),
    });
    assert.equal(run.summary.status, 'cancelled', run.summary.message);
  });
});
