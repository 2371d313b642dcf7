import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { editScript } from '../../src/core/actions/editScript';
import { editScriptSegment } from '../../src/core/actions/editScriptSegment';
import { undoEditScript } from '../../src/core/actions/undoEditScript';
import { extractCodeBlock } from '../../src/core/agents/workerPrompts';
import { checkPythonCompiles } from '../../src/core/python/compileCheck';
import { unifiedDiff } from '../../src/core/text/diff';
import { fenced, makeHarness, type Harness } from './actionFakes';

const TRAIN = 'import numpy as np\n\nEPOCHS = 1\nprint("epochs", EPOCHS)\n';
const TRAIN_10 = TRAIN.replace('EPOCHS = 1', 'EPOCHS = 10');

let h: Harness;
beforeEach(async () => {
  h = await makeHarness({ readOnly: ['data/**'], step: 4 });
  await h.write('train.py', TRAIN);
});
afterEach(() => h.cleanup());

const edit = (instruction = 'Set EPOCHS to 10.', save_name = 'train.py', script_name = 'train.py') =>
  editScript.run({ script_name, edit_instruction: instruction, save_name }, h.ctx);

const segment = (start: unknown, end: unknown, save_name = 'train.py') =>
  editScriptSegment.run(
    editScriptSegment.input.parse({
      script_name: 'train.py',
      start_line_number: start,
      end_line_number: end,
      edit_instruction: 'change it',
      save_name,
    }),
    h.ctx,
  );

describe('Edit Script (AI)', () => {
  it('proposes the whole new file, saves it when accepted and reports the diff', async () => {
    h.worker.push(fenced(TRAIN_10));
    const outcome = await edit();
    assert.equal(await h.read('train.py'), TRAIN_10);
    assert.match(
      outcome.observation,
      /^The edited file is saved to train\.py\. Here is the diff, please check if the edit is correct and desirable:\n\n--- a\/train\.py\n\+\+\+ b\/train\.py\n@@ /,
    );
    assert.match(outcome.observation, /\n-EPOCHS = 1\n\+EPOCHS = 10\n/);
    assert.equal(outcome.artifacts?.diff, 'diffs/step-4.diff');
    assert.match(await fs.readFile(path.join(h.runDir, 'diffs', 'step-4.diff'), 'utf8'), /\+EPOCHS = 10/);
    const [proposal] = h.host.proposals;
    assert.equal(proposal.relPath, 'train.py');
    assert.equal(proposal.path, path.join(h.root, 'train.py'));
    assert.equal(proposal.original, TRAIN);
    assert.equal(proposal.reason, 'Set EPOCHS to 10.');
    assert.match(proposal.diff, /^--- a\/train\.py/);
    const request = h.worker.requests[0];
    assert.match(request.system, /expert at editing code/);
    assert.match(request.user, /```python\nimport numpy as np/);
  });

  it('leaves the file alone when the user rejects, and says why', async () => {
    h.host.decide = () => ({ accepted: false, reason: 'keep 1 epoch for now' });
    h.worker.push(fenced(TRAIN_10));
    const outcome = await edit();
    assert.equal(
      outcome.observation,
      'The user rejected the edit of train.py. Their reason: "keep 1 epoch for now". train.py is unchanged.',
    );
    assert.equal(await h.read('train.py'), TRAIN);
    assert.match((await undoEditScript.run({ script_name: 'train.py' }, h.ctx)).observation, /no edit of train\.py to undo/);
  });

  it('reports what landed when the user changed the proposal', async () => {
    const mine = TRAIN.replace('EPOCHS = 1', 'EPOCHS = 5');
    h.host.decide = () => ({ accepted: true, text: mine, userModified: true });
    h.worker.push(fenced(TRAIN_10));
    const outcome = await edit();
    assert.equal(await h.read('train.py'), mine);
    assert.match(outcome.observation, /The user changed the proposed edit before accepting it/);
    assert.match(outcome.observation, /\+EPOCHS = 5\n/);
    // the diff of what landed comes first; then what the user changed in the proposal, proposed → saved
    const [landed, changes] = outcome.observation.split(
      /What the user changed in the proposal before accepting it \(proposed → saved\):\n/,
    );
    assert.ok(changes, outcome.observation);
    assert.doesNotMatch(landed, /EPOCHS = 10/);
    assert.match(changes, /^-EPOCHS = 10\n\+EPOCHS = 5\n/m);
    assert.match(await fs.readFile(path.join(h.runDir, 'diffs', 'step-4.diff'), 'utf8'), /\+EPOCHS = 5/);
  });

  it('creates a script that does not exist and can save under another name', async () => {
    h.worker.push(fenced('print("new")\n'));
    const created = await edit('Write a script that prints new.', 'new.py', 'new.py');
    assert.equal(await h.read('new.py'), 'print("new")\n');
    assert.match(created.observation, /@@ -0,0 \+1,1 @@\n\+print\("new"\)/);
    assert.match(h.worker.requests[0].user, /does not exist yet/);

    h.worker.push(fenced(TRAIN_10));
    const copy = await edit('Set EPOCHS to 10.', 'train_v2.py');
    assert.equal(await h.read('train_v2.py'), TRAIN_10);
    assert.equal(await h.read('train.py'), TRAIN);
    assert.match(copy.observation, /--- a\/train\.py\n\+\+\+ b\/train_v2\.py\n/);
    assert.equal(h.host.proposals[1].original, '');
  });

  it('refuses read-only targets and escapes before calling the worker', async () => {
    assert.match((await edit('x', 'data/new.py')).observation, /^EnvError: data\/new\.py is read-only/);
    assert.match((await edit('x', '../evil.py')).observation, /^EnvError: .*outside/);
    assert.match((await edit('x', '.budgetml/x.py')).observation, /^EnvError: .*\.budgetml/);
    assert.match((await edit('  ')).observation, /^EnvError: edit_instruction is empty/);
    assert.equal(h.worker.requests.length, 0);
    assert.equal(h.host.proposals.length, 0);
  });

  it('sends back replies without a code block, with placeholders or that do not compile', async () => {
    h.worker.push(
      'Sure, set EPOCHS to 10.',
      fenced('import numpy as np\n# ... rest of the code unchanged\n'),
      fenced('def broken(:\n    pass\n'),
      fenced(TRAIN_10),
    );
    const outcome = await edit();
    assert.match(outcome.observation, /^The edited file is saved/);
    assert.equal(h.worker.problems.length, 3);
    assert.match(h.worker.problems[0], /no fenced code block/);
    assert.match(h.worker.problems[1], /leaves parts out/);
    assert.match(h.worker.problems[2], /does not compile:[\s\S]*SyntaxError/);
    assert.doesNotMatch(h.worker.problems[2], /compile-check/);
    assert.deepEqual((await fs.readdir(h.runDir)).sort(), ['backup', 'diffs'], 'no compile leftovers');
  });

  it('fails like the worker when no model produces a usable edit, touching nothing', async () => {
    h.worker.push(fenced('def broken(:\n'));
    await assert.rejects(edit(), /every worker model failed: The edited script does not compile/);
    assert.equal(await h.read('train.py'), TRAIN);
    assert.equal(h.host.proposals.length, 0);
  });

  it('does not propose an edit that changes nothing', async () => {
    h.worker.push(fenced(TRAIN));
    assert.match((await edit()).observation, /left train\.py exactly as it was/);
    assert.equal(h.host.proposals.length, 0);
  });

  it('does not compile-check files that are not Python', async () => {
    await h.write('notes.md', '# Notes\n');
    h.worker.push(fenced('# Notes\ndef broken(:\n', 'markdown'));
    assert.match((await edit('add', 'notes.md', 'notes.md')).observation, /^The edited file is saved to notes\.md/);
  });
});

describe('Edit Script Segment (AI)', () => {
  it('replaces only the segment, given numbers as strings', async () => {
    h.worker.push(fenced('EPOCHS = 10\nLR = 0.1\n'));
    const outcome = await segment('3', '3');
    assert.equal(await h.read('train.py'), 'import numpy as np\n\nEPOCHS = 10\nLR = 0.1\nprint("epochs", EPOCHS)\n');
    assert.match(outcome.observation, /-EPOCHS = 1\n\+EPOCHS = 10\n\+LR = 0\.1\n/);
    const user = h.worker.requests[0].user;
    assert.match(user, /lines 3 to 3 of train\.py:\n```python\nEPOCHS = 1\n```/);
    assert.match(user, /Lines just before the segment[\s\S]*import numpy/);
    assert.match(user, /Lines just after the segment[\s\S]*print\("epochs"/);
  });

  it('clamps the end to the file, can delete the segment and checks the whole file compiles', async () => {
    h.worker.push(fenced('print(EPOCHS\n'), '```python\n```');
    const outcome = await segment(4, 99);
    assert.match(h.worker.problems[0], /does not compile/);
    assert.match(outcome.observation, /-print\("epochs", EPOCHS\)/);
    assert.equal(await h.read('train.py'), 'import numpy as np\n\nEPOCHS = 1\n');
  });

  it('explains bad ranges and missing scripts', async () => {
    assert.match((await segment(5, 6)).observation, /^EnvError: train\.py has only 4 lines; start_line_number 5 is past the end/);
    assert.match((await segment(3, 2)).observation, /^EnvError: end_line_number 2 is before start_line_number 3/);
    assert.match((await segment(0, 2)).observation, /^EnvError: start_line_number must be 1 or more/);
    const missing = await editScriptSegment.run(
      { script_name: 'none.py', start_line_number: 1, end_line_number: 2, edit_instruction: 'x', save_name: 'none.py' },
      h.ctx,
    );
    assert.match(missing.observation, /^EnvError: Cannot find none\.py/);
    assert.equal(h.worker.requests.length, 0);
  });
});

describe('Undo Edit Script', () => {
  const undo = () => undoEditScript.run({ script_name: 'train.py' }, h.ctx);

  it('walks back through several edits', async () => {
    const v3 = TRAIN_10.replace('print', 'print("done");print');
    h.worker.push(fenced(TRAIN_10), fenced(v3));
    await edit();
    await edit('Print done.');
    assert.equal(await h.read('train.py'), v3);
    const first = await undo();
    assert.equal(await h.read('train.py'), TRAIN_10);
    assert.equal(first.observation, `Content of train.py after undoing the most recent edit:\n${TRAIN_10}`);
    await undo();
    assert.equal(await h.read('train.py'), TRAIN);
    assert.match((await undo()).observation, /^EnvError: There is no edit of train\.py to undo/);
    assert.equal(h.host.proposals.at(-1)?.reason, 'Undo the most recent edit of train.py');
  });

  it('keeps the backup when the user rejects the undo', async () => {
    h.worker.push(fenced(TRAIN_10));
    await edit();
    h.host.decide = () => ({ accepted: false });
    assert.match((await undo()).observation, /^The user rejected undoing the last edit of train\.py\. train\.py is unchanged/);
    assert.equal(await h.read('train.py'), TRAIN_10);
    h.host.decide = (p) => ({ accepted: true, text: p.proposed, userModified: false });
    await undo();
    assert.equal(await h.read('train.py'), TRAIN);
  });

  it('empties a file that an edit created', async () => {
    h.worker.push(fenced('print("new")\n'));
    await edit('create', 'new.py', 'new.py');
    const outcome = await undoEditScript.run({ script_name: 'new.py' }, h.ctx);
    assert.match(outcome.observation, /new\.py did not exist before its most recent edit; .* emptied instead/);
    assert.equal(await h.read('new.py'), '');
  });

  it('refuses read-only and outside paths', async () => {
    assert.match((await undoEditScript.run({ script_name: 'data/a.py' }, h.ctx)).observation, /^EnvError: .*read-only/);
    assert.match((await undoEditScript.run({ script_name: '/etc/passwd' }, h.ctx)).observation, /^EnvError: .*outside/);
  });
});

describe('extractCodeBlock', () => {
  it('takes the first closed block and keeps inner text as is', () => {
    assert.deepEqual(extractCodeBlock('note\n```py\na = 1\n\n```\nmore\n```\nb\n```'), { ok: true, code: 'a = 1\n\n' });
    assert.deepEqual(extractCodeBlock('````\n```\ninner\n```\n````'), { ok: true, code: '```\ninner\n```\n' });
    assert.deepEqual(extractCodeBlock('```\r\nx = 1\r\n```'), { ok: true, code: 'x = 1\n' });
    assert.equal(extractCodeBlock('```python\nx = 1\n').ok, false);
  });
});

describe('checkPythonCompiles and unifiedDiff', () => {
  it('accepts valid Python, returns the compiler error otherwise, and cleans up', async () => {
    assert.equal(await checkPythonCompiles('/usr/bin/python3', 'x = 1\n', h.runDir), undefined);
    const error = await checkPythonCompiles('/usr/bin/python3', 'if True\n    pass\n', h.runDir);
    assert.match(error ?? '', /File "the proposed script", line 1[\s\S]*SyntaxError/);
    assert.equal(await checkPythonCompiles('/no/such/python', 'if True\n', h.runDir), undefined, 'no interpreter: no check');
    assert.deepEqual(await fs.readdir(h.runDir), []);
  });

  it('writes git-style diffs and nothing for no change', () => {
    assert.equal(unifiedDiff('a.py', 'x\n', 'y\n'), '--- a/a.py\n+++ b/a.py\n@@ -1,1 +1,1 @@\n-x\n+y\n');
    assert.equal(unifiedDiff('a.py', 'same\n', 'same\n'), '');
  });
});
