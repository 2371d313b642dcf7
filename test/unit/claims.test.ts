import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findUnverifiedClaims, matchesAtPrecision, type ClaimBacking, type ClaimSource } from '../../src/core/experiments/claims';

/** The measurements of an Iris run: a baseline at 0.7083 and a final at 0.9722 accuracy; lr 0.01 in the code. */
const IRIS: ClaimBacking = {
  measured: [0.7083333333333334, 0.9722222222222222],
  pairs: [[0.7083333333333334, 0.9722222222222222]],
  facts: [0.01, 0.2],
};

const answer = (text: string): ClaimSource[] => [{ where: 'final answer', text }];
const unverifiedTexts = (text: string, backing: ClaimBacking = IRIS) => findUnverifiedClaims(answer(text), backing).map((c) => c.text);

describe('matchesAtPrecision', () => {
  it('allows half a unit of the last decimal written', () => {
    assert.equal(matchesAtPrecision({ value: 0.71, decimals: 2 }, 0.7083), true);
    assert.equal(matchesAtPrecision({ value: 0.99, decimals: 2 }, 0.9722), false);
    assert.equal(matchesAtPrecision({ value: 41.6, decimals: 1 }, 41.63), true);
    assert.equal(matchesAtPrecision({ value: 0.97, decimals: 3 }, 0.9722), false);
    assert.equal(matchesAtPrecision({ value: 0.972, decimals: 3 }, 0.9722), true);
    assert.equal(matchesAtPrecision({ value: 97, decimals: 0 }, 97.22), true);
    assert.equal(matchesAtPrecision({ value: 0.97, decimals: 2 }, 0.975), true, 'the half unit itself is inside');
    assert.equal(matchesAtPrecision({ value: 0.97, decimals: 2 }, 0.9751), false);
  });
});

describe('findUnverifiedClaims', () => {
  it('returns what no measurement backs, with the words around it', () => {
    const text = [
      'I trained a logistic regression on the Iris data set.',
      'The baseline reached an accuracy of 0.71 and the final model 0.99 on the held-out split, using lr=0.01.',
    ].join('\n');
    assert.deepEqual(findUnverifiedClaims(answer(text), IRIS), [
      {
        text: '0.99',
        value: 0.99,
        where: 'final answer',
        context: 'of 0.71 and the final model 0.99 on the held-out split, using',
      },
    ]);
  });

  it('judges each number at the precision it was written with', () => {
    assert.deepEqual(unverifiedTexts('accuracy 0.97 (0.9722), not 0.970 or 0.9723'), ['0.970', '0.9723']);
    assert.deepEqual(unverifiedTexts('accuracy .97'), []);
    assert.deepEqual(unverifiedTexts('MAE 41.6 vs 41.7', { measured: [41.63], pairs: [], facts: [] }), ['41.7']);
  });

  it('backs percentages by the measured fraction, a value already in percent, or a change', () => {
    assert.deepEqual(unverifiedTexts('final accuracy 97% (97.2 %), baseline 71 percent; not 98%'), ['98%']);
    assert.deepEqual(unverifiedTexts('Validation accuracy 97.5%', { measured: [97.5], pairs: [], facts: [] }), []);
    assert.deepEqual(unverifiedTexts('accuracy improved by 37 % relative (+26.4 percentage points)'), []);
    assert.deepEqual(unverifiedTexts('accuracy improved by 37.3% relative, or 26 pp'), []);
    assert.deepEqual(unverifiedTexts('accuracy improved by 40 %'), ['40 %']);
  });

  it('backs a decimal by a difference between a pair, signed or not', () => {
    assert.deepEqual(unverifiedTexts('Accuracy went 0.71 → 0.97 (+0.26), a gain of 0.26.'), []);
    assert.deepEqual(unverifiedTexts('Accuracy went 0.71 → 0.97 (+0.30)'), ['+0.30']);
    const mae: ClaimBacking = { measured: [18450.3, 17001.9], pairs: [[18450.3, 17001.9]], facts: [] };
    assert.deepEqual(unverifiedTexts('MAE fell from 18450.3 to 17001.9, a change of -1448.4 (1448.4 lower, -7.85 %)', mae), []);
    assert.deepEqual(unverifiedTexts('a change of -0.5', mae), ['-0.5']);
  });

  it('keeps the sign of negative numbers and reads a hyphen between words or numbers as no sign', () => {
    const backing: ClaimBacking = { measured: [-0.52, 0.3], pairs: [], facts: [] };
    assert.deepEqual(unverifiedTexts('the R2 score is -0.52; a range of 0.3-0.52', backing), ['0.52']);
    assert.deepEqual(
      findUnverifiedClaims(answer('log-likelihood -1.25'), backing).map((c) => c.value),
      [-1.25],
    );
  });

  it('ignores integers, versions, model names and outline numbers', () => {
    const text = [
      '1. Trained for 50 epochs with batch size 32 and seed 42.',
      '2.1 Used Python 3.11, torch 2.1.0, numpy 1.26.4, CUDA 12.1 and scikit-learn v1.3.',
      '## 3.2 Models',
      'Compared gpt-4.1, gpt-4o-mini, Claude 3.5 Sonnet and Qwen2.5-0.5B on 10.0.0.1.',
      'See https://arxiv.org/abs/2301.12345 and model_0.5.pt.',
      'Step 4.2: the final accuracy was 0.93.',
    ].join('\n');
    assert.deepEqual(unverifiedTexts(text), ['0.93']);
  });

  it('uses facts of the code as backing', () => {
    assert.deepEqual(unverifiedTexts('lowered the learning rate to 0.01 and the test split to 0.2 (20%)'), []);
    assert.deepEqual(unverifiedTexts('a learning rate of 0.001'), ['0.001']);
    assert.deepEqual(unverifiedTexts('a learning rate of 1.0e-2 (not 1.5e-4)'), ['1.5e-4']);
  });

  it('reads both sources, and reports one text once per source', () => {
    const sources: ClaimSource[] = [
      { where: 'research plan', text: 'Step 1: reach 0.99 accuracy.\nTarget: 0.99 or better, baseline 0.71.' },
      { where: 'final answer', text: 'Reached 0.99.' },
    ];
    assert.deepEqual(
      findUnverifiedClaims(sources, IRIS).map((c) => [c.where, c.text, c.context]),
      [
        ['research plan', '0.99', 'Step 1: reach 0.99 accuracy.'],
        ['final answer', '0.99', 'Reached 0.99.'],
      ],
    );
  });

  it('finds nothing to check in text without numbers, and everything when nothing was measured', () => {
    assert.deepEqual(findUnverifiedClaims(answer('The model improved a lot.'), IRIS), []);
    assert.deepEqual(unverifiedTexts('accuracy 0.71, 97%', { measured: [], pairs: [], facts: [] }), ['0.71', '97%']);
  });

  it('cuts the context to about 60 characters, dropping words cut in half', () => {
    const line =
      'After a long series of experiments with many different settings the final accuracy of the tuned model was 0.99 which beats every other variant that we tried along the way.';
    const [claim] = findUnverifiedClaims(answer(line), IRIS);
    assert.equal(claim.context, 'of the tuned model was 0.99 which beats every other');
    assert.ok(claim.context.length <= 64);
  });
});
