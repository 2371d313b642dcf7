import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cutObservation, observationGist } from '../../src/core/memory/observationView';

/** A training run's observation as Execute Script gives it: status line, a long log cut by the capture, the experiment line. */
function trainingObservation(epochs = 30, batches = 8): string {
  const lines = ['The script has been executed. Here is the output:', 'Using device: cpu | params: 44,426 | lr=0.001 batch_size=64'];
  for (let e = 1; e <= epochs; e++) {
    for (let b = 1; b <= batches; b++)
      lines.push(`Epoch ${e}/${epochs} [${b * 64}/${batches * 64}]  loss=${(2 / (e + b)).toFixed(4)}  acc=0.${e}${b}`);
    lines.push(`==> epoch ${e}: val_loss=${(1 / e).toFixed(4)} val_acc=0.${50 + e}`);
    if (e === Math.floor(epochs / 2)) lines.push('... [12345 characters omitted; the full output is in outputs/step-3-train.py.log] ...');
  }
  lines.push('Training finished in 18.7s', 'test_accuracy: 0.9242', '', '');
  lines.push('Recorded as experiment #4 step 3 train.py: ok 18.9 s | test_accuracy 0.9242, val_acc 0.8');
  return lines.join('\n');
}

const BUDGET = { maxChars: 2000, headChars: 300, thinRepeats: true };

describe('an observation cut to its budget', () => {
  test('a short observation comes back unchanged', () => {
    const text = 'digits_sample.csv\nevaluate.py\ntrain.py';
    assert.equal(cutObservation(text, BUDGET), text);
  });

  test('a long training log keeps its first line, the file with the full output, the final metrics and the experiment', () => {
    const text = trainingObservation();
    const cut = cutObservation(text, BUDGET);
    assert.ok(text.length > 8000);
    assert.ok(cut.length <= BUDGET.maxChars, `${cut.length} characters`);
    const lines = cut.split('\n');
    assert.equal(lines[0], 'The script has been executed. Here is the output:');
    assert.ok(lines.includes('... [12345 characters omitted; the full output is in outputs/step-3-train.py.log] ...'), cut);
    assert.ok(lines.includes('test_accuracy: 0.9242'));
    assert.ok(lines.includes('==> epoch 30: val_loss=0.0333 val_acc=0.80'));
    assert.match(lines.at(-1)!, /^Recorded as experiment #4 /);
  });

  test('progress lines of one shape keep their last line, so the budget reaches further back', () => {
    const cut = cutObservation(trainingObservation(), BUDGET);
    assert.match(cut, /^ {2}\[7 lines like the next\]\nEpoch 30\/30 \[512\/512\]/m);
    assert.ok(!cut.includes('Epoch 30/30 [448/512]'), 'the progress line before the last of its run is left out');
    assert.ok(cut.includes('==> epoch 25:'), 'earlier epochs still fit');
  });

  test('the end of an output is what stays when nothing else is known about it', () => {
    const words = Array.from({ length: 400 }, (_, i) => `line ${i} of prose without numbers of note`);
    const text = ['Here is what the file says:', ...words.map((w, i) => (i % 2 ? w : w.toUpperCase()))].join('\n');
    const cut = cutObservation(text, BUDGET);
    assert.ok(cut.length <= BUDGET.maxChars);
    assert.ok(cut.endsWith(text.split('\n').at(-1)!));
    assert.match(cut, /\.\.\. \[\d+ lines omitted\] \.\.\./);
  });

  test('the research log’s cut keeps the note naming the file with the full output, however long the output', () => {
    const head = Array.from({ length: 80 }, (_, i) => `step ${i}: loading shard ${i} of the data set`).join('\n');
    const tail = Array.from({ length: 80 }, (_, i) => `evaluating batch ${i}, running accuracy 0.${i}`).join('\n');
    const note = '... [48211 characters omitted; the full output is in outputs/step-7-train.py.log] ...';
    const text = `The script has been executed. Here is the output:\n${head}\n${note}\n${tail}\n\nRecorded as experiment #9 step 7 train.py: ok 64 s`;
    assert.ok(text.length > 5000);
    const cut = cutObservation(text, { maxChars: 5000, headChars: 2000 });
    assert.ok(cut.length <= 5000);
    assert.ok(cut.includes(note));
    assert.ok(cut.startsWith('The script has been executed. Here is the output:\nstep 0: loading'));
    assert.ok(cut.endsWith('Recorded as experiment #9 step 7 train.py: ok 64 s'));
  });

  test('one enormous line keeps its end', () => {
    const text = `${'x'.repeat(10_000)} the end`;
    const cut = cutObservation(text, BUDGET);
    assert.ok(cut.length <= BUDGET.maxChars);
  });
});

describe('the gist of an observation, for the research-log summary', () => {
  test('a script run comes to its experiment, not to the first characters of its log', () => {
    assert.equal(observationGist(trainingObservation(), 100), 'ok, experiment #4');
  });

  test('a failure comes to its error line', () => {
    const text =
      'The script has been executed, but it failed with exit code 1. Here is the output:\nTraceback (most recent call last):\n  File "train.py", line 3\nValueError: bad shape (3, 4)';
    assert.match(observationGist(text, 100), /ValueError: bad shape \(3, 4\)$/);
  });

  test('an edit comes to its changed lines', () => {
    const diff =
      'The edited file is saved to train.py. Here is the diff:\n\n--- a/train.py\n+++ b/train.py\n@@ -1,3 +1,3 @@\n-EPOCHS = 11\n+EPOCHS = 14\n BATCHES = 7';
    assert.match(observationGist(diff, 100), /-EPOCHS = 11 \+EPOCHS = 14$/);
  });

  test('a short observation is given whole, on one line, and a long one is cut to the limit', () => {
    assert.equal(observationGist('a.py\nb.py\n', 100), 'a.py b.py');
    const long = `Here are lines 1-80 of train.py:\n${'x = 1\n'.repeat(80)}80 | main()`;
    const gist = observationGist(long, 100);
    assert.ok(gist.length <= 100, gist);
    assert.match(gist, /^Here are lines 1-80 of train\.py: … .*80 \| main\(\)$/);
  });
});
