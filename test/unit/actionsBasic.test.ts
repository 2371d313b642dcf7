import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ALL_ACTIONS, findAction } from '../../src/core/actions';
import { copyFile } from '../../src/core/actions/copyFile';
import { finalAnswer } from '../../src/core/actions/finalAnswer';
import { inspectScriptLines } from '../../src/core/actions/inspectScriptLines';
import { listFiles } from '../../src/core/actions/listFiles';
import { splitIntoBlocks, understandFile } from '../../src/core/actions/understandFile';
import { makeHarness, type Harness } from './actionFakes';

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ readOnly: ['data/*'] });
  await h.write('train.py', 'import numpy\n\nprint("hello")\n');
  await h.write('data/train.csv', 'a,b\n1,2\n');
});
afterEach(() => h.cleanup());

const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('the action menu', () => {
  it('has MLAgentBench names, order and input keys', () => {
    assert.deepEqual(
      ALL_ACTIONS.map((a) => a.name),
      [
        'List Files',
        'Copy File',
        'Undo Edit Script',
        'Execute Script',
        'Final Answer',
        'Understand File',
        'Inspect Script Lines',
        'Edit Script (AI)',
        'Edit Script Segment (AI)',
        'Reflection',
        'Retrieval from Research Log',
      ],
    );
    const keys = Object.fromEntries(ALL_ACTIONS.map((a) => [a.name, Object.keys(a.input.shape)]));
    assert.deepEqual(keys['Edit Script Segment (AI)'], [
      'script_name',
      'start_line_number',
      'end_line_number',
      'edit_instruction',
      'save_name',
    ]);
    assert.deepEqual(keys['Retrieval from Research Log'], ['current_plan']);
    for (const action of ALL_ACTIONS) assert.deepEqual(Object.keys(action.inputHelp), Object.keys(action.input.shape), action.name);
    const llm = ALL_ACTIONS.filter((a) => a.usesLlm).map((a) => a.name);
    assert.deepEqual(llm, ['Understand File', 'Edit Script (AI)', 'Edit Script Segment (AI)', 'Reflection']);
  });

  it('finds actions ignoring case and spaces', () => {
    assert.equal(findAction('  list files ')?.name, 'List Files');
    assert.equal(findAction('EDIT SCRIPT (AI)')?.name, 'Edit Script (AI)');
    assert.equal(findAction('Read File'), undefined);
  });

  it('demands the exact key set and coerces numbers given as strings', () => {
    const schema = inspectScriptLines.input;
    assert.deepEqual(schema.parse({ script_name: 'a.py', start_line_number: '12', end_line_number: 20 }), {
      script_name: 'a.py',
      start_line_number: 12,
      end_line_number: 20,
    });
    assert.equal(schema.safeParse({ script_name: 'a.py', start_line_number: '1.5', end_line_number: 2 }).success, false);
    assert.equal(schema.safeParse({ script_name: 'a.py', start_line_number: 1 }).success, false);
    assert.equal(listFiles.input.safeParse({ dir_path: '.', extra: 1 }).success, false);
  });
});

describe('List Files and Copy File', () => {
  it('lists folders with a slash', async () => {
    assert.equal((await listFiles.run({ dir_path: '.' }, h.ctx)).observation, 'data/\ntrain.py');
    assert.equal((await listFiles.run({ dir_path: 'data' }, h.ctx)).observation, 'train.csv');
    await fs.mkdir(h.file('empty'));
    assert.equal((await listFiles.run({ dir_path: 'empty' }, h.ctx)).observation, 'The folder empty is empty.');
    assert.match((await listFiles.run({ dir_path: '../' }, h.ctx)).observation, /^EnvError: .*outside/);
    assert.match((await listFiles.run({ dir_path: 'nope' }, h.ctx)).observation, /^EnvError: Cannot find nope/);
  });

  it('copies and refuses read-only destinations', async () => {
    const ok = await copyFile.run({ source: 'train.py', destination: 'train_v2.py' }, h.ctx);
    assert.equal(ok.observation, 'File train.py copied to train_v2.py.');
    assert.equal(await h.read('train_v2.py'), await h.read('train.py'));
    const refused = await copyFile.run({ source: 'train.py', destination: 'data/x.py' }, h.ctx);
    assert.match(refused.observation, /^EnvError: data\/x\.py is read-only/);
    await assert.rejects(fs.stat(h.file('data/x.py')));
  });
});

describe('Inspect Script Lines', () => {
  beforeEach(() => h.write('long.py', lines(250)));
  const inspect = (start: unknown, end: unknown, script_name = 'long.py') =>
    inspectScriptLines.run(inspectScriptLines.input.parse({ script_name, start_line_number: start, end_line_number: end }), h.ctx);

  it('shows numbered lines and where the file ends', async () => {
    const { observation } = await inspect('9', '11');
    assert.equal(observation, 'Here are lines 9-11 of long.py (the file ends at line 250):\n\n 9 | line 9\n10 | line 10\n11 | line 11');
  });

  it('shows at most 100 lines and explains how to continue', async () => {
    assert.match((await inspect(1, 100)).observation, /^Here are lines 1-100 /);
    assert.match((await inspect(1, 101)).observation, /^EnvError: At most 100 lines .* lines 1-100 and then continue/);
  });

  it('explains reversed ranges, ranges past the end and line 0', async () => {
    assert.match((await inspect(20, 10)).observation, /^EnvError: end_line_number 10 is before start_line_number 20/);
    assert.match((await inspect(251, 260)).observation, /^EnvError: long\.py has only 250 lines; start_line_number 251 is past the end/);
    assert.match((await inspect(0, 5)).observation, /^EnvError: start_line_number must be 1 or more/);
    assert.match((await inspect(245, 300)).observation, /^Here are lines 245-250 of long\.py \(the file ends at line 250\)/);
    assert.match((await inspect(1, 5, 'missing.py')).observation, /^EnvError: Cannot find missing\.py/);
    assert.match((await inspect(1, 5, 'data')).observation, /^EnvError: data is a folder/);
  });
});

describe('Final Answer', () => {
  it('ends the run with the answer', async () => {
    const outcome = await finalAnswer.run({ final_answer: 'Accuracy 0.91 with a random forest.' }, h.ctx);
    assert.equal(outcome.finalAnswer, 'Accuracy 0.91 with a random forest.');
    assert.equal((await finalAnswer.run({ final_answer: ' ' }, h.ctx)).finalAnswer, undefined);
  });
});

describe('Understand File', () => {
  it('reads a short file in one worker call with numbered lines', async () => {
    h.worker.push('The script imports numpy (line 1) and prints hello (line 3).');
    const outcome = await understandFile.run({ file_name: 'train.py', things_to_look_for: 'imports' }, h.ctx);
    assert.equal(outcome.observation, 'The script imports numpy (line 1) and prints hello (line 3).');
    assert.equal(h.worker.requests.length, 1);
    const [request] = h.worker.requests;
    assert.match(request.system, /expert at reading code and prose/);
    assert.match(request.user, /1 \| import numpy\n2 \| \n3 \| print\("hello"\)/);
    assert.match(request.user, /imports/);
  });

  it('reads long files block by block and combines the notes', async () => {
    await h.write('big.py', lines(400));
    h.worker.push('', 'note A', 'note B', 'note C', 'combined description');
    const outcome = await understandFile.run({ file_name: 'big.py', things_to_look_for: 'the loop' }, h.ctx);
    assert.equal(outcome.observation, 'combined description');
    assert.equal(h.worker.problems.length, 1, 'an empty reply is refused by verify');
    assert.equal(h.worker.requests.length, 4);
    assert.match(h.worker.requests[1].user, /lines 151 to 300 of big\.py \(part 2 of 3\)/);
    assert.match(h.worker.requests[3].user, /Lines 1-150: note A[\s\S]*Lines 151-300: note B[\s\S]*Lines 301-400: note C/);
    assert.equal(new Set(h.worker.requests.map((r) => r.system)).size, 1, 'one system text for caching');
  });

  it('cuts blocks by characters too and reads only the top of huge files', async () => {
    const blocks = splitIntoBlocks(`${'y'.repeat(5000)}\n${'z'.repeat(5000)}\nshort\n`);
    assert.deepEqual(
      blocks.map((b) => [b.firstLine, b.lastLine]),
      [
        [1, 1],
        [2, 3],
      ],
    );
    await h.write('huge.csv', 'value\n'.repeat(100_000));
    for (let i = 0; i < 13; i++) h.worker.push(`note ${i}`);
    const outcome = await understandFile.run({ file_name: 'huge.csv', things_to_look_for: 'columns' }, h.ctx);
    assert.match(outcome.observation, /^Only lines 1-1800 of huge\.csv were read \(the file has 600000 bytes\)/);
    assert.equal(h.worker.requests.length, 13);
  });

  it('reports a missing file without calling the worker', async () => {
    const outcome = await understandFile.run({ file_name: 'nope.txt', things_to_look_for: 'x' }, h.ctx);
    assert.match(outcome.observation, /^EnvError: Cannot find nope\.txt/);
    assert.equal(h.worker.requests.length, 0);
  });
});
