import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { NodeHost } from '../../src/cli/nodeHost';
import type { EditDecision, EditProposal } from '../../src/core/host';
import { fenced, plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { DIABETES_TASK, unscoredTask, type Reply } from '../fixtures/runHarness';
import { useFakeOpenAI } from '../fixtures/servers';
import { messagesOf, plannerRequests, runSteered } from '../fixtures/steeredRun';

/**
 * Edits stay honest: when a file the run edited changes on disk afterwards (the edit undone, the
 * user's own change, the file deleted), the next prompt says so, once; an edit the user changed
 * before accepting it says what they changed.
 */

const serve = useFakeOpenAI();

const planner = (step: { action: string; input: Record<string, unknown> }, index: number): Reply => ({
  match: PLANNER_MATCH,
  text: plannerReply(step, index),
});
const EDIT = {
  action: 'Edit Script (AI)',
  input: { script_name: 'train.py', edit_instruction: 'Use max_depth=4.', save_name: 'train.py' },
};
const TRAIN = readFileSync(join(DIABETES_TASK, 'env', 'train.py'), 'utf8');
const DEEPER = TRAIN.replace('max_depth=2', 'max_depth=4');
/** the editor's reply: the fixture's train.py with a deeper tree */
const EDITOR: Reply = { match: 'Use max_depth=4', text: fenced(DEEPER) };
const LIST = { action: 'List Files', input: { dir_path: '.' } };
const FINAL = { action: 'Final Answer', input: { final_answer: 'Done.' } };

const promptText = (messages: { content: string }[]) => messages.map((m) => m.content).join('\n');
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('a file the run edited changes on disk afterwards', () => {
  test('an undo, then the user’s own change: each reported once, in the prompt after it, with a diff', async () => {
    const openai = await serve([planner(EDIT, 1), planner(LIST, 2), planner(LIST, 3), planner(LIST, 4), planner(FINAL, 5), EDITOR]);
    const workspace = unscoredTask();
    const file = join(workspace.workspace, 'train.py');
    const run = await runSteered({
      openai,
      host: editingHost((proposal) => proposal.proposed),
      onEvent: (event) => {
        if (event.type !== 'observation') return;
        // Ctrl+Z of the accepted edit while step 2 is planned
        if (event.step === 1) writeFileSync(file, TRAIN);
        // the user's own change while step 3 is planned
        if (event.step === 2) writeFileSync(file, `${TRAIN}# checked by hand\n`);
      },
      task: workspace,
    });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const prompts = plannerRequests(openai).map(messagesOf);
    assert.doesNotMatch(promptText(prompts[0]), /changed since/);
    const second = promptText(prompts[1]);
    // after step 1's observation, before the planner answers step 2
    assert.match(second, /Step 1:[\s\S]*Observation:[\s\S]*- train\.py changed since step 1's edit was accepted: it was undone/);
    assert.match(second, /-model = DecisionTreeRegressor\(max_depth=4, random_state=0\)\n\+model = DecisionTreeRegressor\(max_depth=2/);

    const third = promptText(prompts[2]);
    assert.equal(count(third, /changed since step 1's edit was accepted/), 1, 'the undo is reported once');
    assert.match(third, /- train\.py changed since the change reported before step 2: it was edited by the user or a script/);
    assert.match(third, /\+# checked by hand\n/);

    const fourth = promptText(prompts[3]);
    assert.equal(count(fourth, /changed since step 1's edit was accepted/), 1);
    assert.equal(count(fourth, /edited by the user or a script/), 1, 'the user’s change is reported once');
    assert.equal(count(fourth, /changed since/), 2, 'nothing new changed before step 4');
    // what the planner was told stays in the step's record
    const steps = run.log.filter((r) => r.type === 'step');
    assert.match(steps[1].notice, /it was undone/);
    assert.equal(steps[2].notice.includes('edited by the user'), true);
    assert.equal(steps[3].notice, undefined);
  });

  test('a save that formats the text or changes its line endings is no change of the user’s', async () => {
    const openai = await serve([planner(EDIT, 1), planner(LIST, 2), planner(FINAL, 3), EDITOR]);
    const run = await runSteered({ openai, host: formattingHost() });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const prompts = plannerRequests(openai).map(messagesOf);
    assert.equal(prompts.length, 3);
    for (const p of prompts) assert.doesNotMatch(promptText(p), /changed since/);
  });

  test('the run’s own Copy File onto a file it edited is no change of the user’s', async () => {
    const copy = (source: string, destination: string) => ({ action: 'Copy File', input: { source, destination } });
    const edit = { ...EDIT, input: { ...EDIT.input } };
    const openai = await serve([
      planner(copy('train.py', 'orig.py'), 1),
      planner(edit, 2),
      planner(copy('orig.py', 'train.py'), 3),
      planner(LIST, 4),
      planner(FINAL, 5),
      EDITOR,
    ]);
    const run = await runSteered({ openai, host: editingHost((proposal) => proposal.proposed) });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    for (const p of plannerRequests(openai).map(messagesOf)) assert.doesNotMatch(promptText(p), /changed since/);
  });

  test('a deleted file is reported as deleted', async () => {
    const openai = await serve([planner(EDIT, 1), planner(FINAL, 2), EDITOR]);
    const workspace = unscoredTask();
    const run = await runSteered({
      openai,
      host: editingHost((proposal) => proposal.proposed),
      onEvent: (event) => event.type === 'observation' && event.step === 1 && rmSync(join(workspace.workspace, 'train.py')),
      task: workspace,
    });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const last = plannerRequests(openai).map(messagesOf)[1].at(-1)!.content;
    assert.match(last, /- train\.py changed since step 1's edit was accepted: it was deleted\.$/m);
  });

  test('an edit the user changed before accepting: the observation shows proposed → saved', async () => {
    const openai = await serve([planner(EDIT, 1), planner(FINAL, 2), EDITOR]);
    const run = await runSteered({
      openai,
      host: editingHost((proposal) => proposal.proposed.replace('max_depth=4', 'max_depth=3')),
    });
    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const observation = run.log.find((r) => r.type === 'step' && r.step === 1)!.observation as string;
    assert.match(observation, /The user changed the proposed edit before accepting it/);
    assert.match(
      observation,
      /What the user changed in the proposal before accepting it \(proposed → saved\):\n[\s\S]*-model = DecisionTreeRegressor\(max_depth=4, random_state=0\)\n\+model = DecisionTreeRegressor\(max_depth=3, random_state=0\)/,
    );
    // what landed is what the run remembers: no change is reported in the next prompt
    assert.doesNotMatch(plannerRequests(openai).map(messagesOf)[1].at(-1)!.content, /changed since/);
  });
});

/** The headless host, except that the user saves `decide(proposal)` (their own version when it differs). */
/** A host whose save changes the text on its way to disk, as format-on-save or CRLF line endings do. */
function formattingHost() {
  const host = new NodeHost(() => {});
  return Object.assign(Object.create(host) as NodeHost, {
    async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
      writeFileSync(proposal.path, proposal.proposed.replace(/\n/g, '\r\n'));
      return { accepted: true, text: proposal.proposed, userModified: false };
    },
  });
}

function editingHost(decide: (proposal: EditProposal) => string) {
  const host = new NodeHost(() => {});
  return Object.assign(Object.create(host) as NodeHost, {
    async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
      const text = decide(proposal);
      writeFileSync(proposal.path, text);
      return { accepted: true, text, userModified: text !== proposal.proposed };
    },
  });
}
