import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { messageFor } from '../../src/host/sidebar/viewDiff';
import { fromWebviewSchema, isIntent, parseFromWebview, type FromWebview } from '../../src/shared/protocol';
import { emptySidebarView, type SidebarView } from '../../src/shared/viewModels';

/** The host acts only on webview messages the schema accepts: everything else is ignored. It sends what changed. */

const VALID: FromWebview[] = [
  { type: 'ready' },
  { type: 'rendered', ms: 12.5, drawMs: 3.1, source: 'host' },
  { type: 'rendered', ms: 0, drawMs: 0, source: 'restored' },
  { type: 'start' },
  { type: 'stop' },
  { type: 'decide', id: 'run-7', choice: 'run' },
  { type: 'decide', id: 'run-7', choice: 'decline', reason: 'Train on the small split first.' },
  { type: 'decide', id: 'edit-6', choice: 'accept' },
  { type: 'decide', id: 'edit-6', choice: 'reject', reason: 'Keep the tree; tune its depth.' },
  { type: 'openDiff', id: 'edit-6' },
  { type: 'steer', text: 'Try a Ridge regression next.' },
  { type: 'pause' },
  { type: 'continue' },
  { type: 'command', command: 'budgetml.setApiKey' },
  { type: 'command', command: 'budgetml.runDemo' },
  { type: 'command', command: 'workbench.trust.manage' },
  { type: 'askExpert' },
  { type: 'openArtifact', step: 3, kind: 'output' },
  { type: 'openArtifact', step: 4, kind: 'diff', cite: '46.265' },
  { type: 'openArtifact', step: 2, kind: 'observation' },
  { type: 'showHistory' },
  { type: 'openExperiment', id: 4 },
  { type: 'openExperiment', id: 1, cite: '0.9722' },
  { type: 'chooseMetric', metric: 'test accuracy' },
];

const MALFORMED: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a string', 'start'],
  ['a number', 7],
  ['an array', [{ type: 'start' }]],
  ['no type', {}],
  ['a type that is not a string', { type: 1 }],
  ['an unknown type', { type: 'deleteEverything' }],
  ['a type in the wrong case', { type: 'Start' }],
  ['an extra key on an empty message', { type: 'start', force: true }],
  ['an extra key on ready', { type: 'ready', view: {} }],
  ['a __proto__ key', JSON.parse('{"type":"stop","__proto__":{"polluted":true}}')],
  ['openArtifact without step', { type: 'openArtifact', kind: 'diff' }],
  ['openArtifact without kind', { type: 'openArtifact', step: 1 }],
  ['openArtifact with a string step', { type: 'openArtifact', step: '3', kind: 'diff' }],
  ['openArtifact with a negative step', { type: 'openArtifact', step: -1, kind: 'diff' }],
  ['openArtifact with a fractional step', { type: 'openArtifact', step: 1.5, kind: 'diff' }],
  ['openArtifact with a huge step', { type: 'openArtifact', step: 1e9, kind: 'diff' }],
  ['openArtifact with NaN', { type: 'openArtifact', step: Number.NaN, kind: 'diff' }],
  ['openArtifact with Infinity', { type: 'openArtifact', step: Number.POSITIVE_INFINITY, kind: 'diff' }],
  ['openArtifact with an unknown kind', { type: 'openArtifact', step: 1, kind: 'summary' }],
  ['openArtifact with a path for a kind', { type: 'openArtifact', step: 1, kind: '../../etc/passwd' }],
  ['openArtifact with an extra path key', { type: 'openArtifact', step: 1, kind: 'diff', path: '/etc/passwd' }],
  ['openArtifact with an empty cite', { type: 'openArtifact', step: 1, kind: 'output', cite: '' }],
  ['openArtifact with a long cite', { type: 'openArtifact', step: 1, kind: 'output', cite: 'x'.repeat(201) }],
  ['openArtifact with a cite that is not a string', { type: 'openArtifact', step: 1, kind: 'output', cite: 46.26 }],
  ['openExperiment without id', { type: 'openExperiment' }],
  ['openExperiment with id 0', { type: 'openExperiment', id: 0 }],
  ['openExperiment with a fractional id', { type: 'openExperiment', id: 2.5 }],
  ['openExperiment with a string id', { type: 'openExperiment', id: '2' }],
  ['openExperiment with a path', { type: 'openExperiment', id: 2, output: '../../etc/passwd' }],
  ['openExperiment with a long cite', { type: 'openExperiment', id: 2, cite: 'x'.repeat(201) }],
  ['chooseMetric without a metric', { type: 'chooseMetric' }],
  ['chooseMetric with an empty metric', { type: 'chooseMetric', metric: '' }],
  ['chooseMetric with a long metric', { type: 'chooseMetric', metric: 'm'.repeat(121) }],
  ['chooseMetric with a number', { type: 'chooseMetric', metric: 3 }],
  ['chooseMetric with an extra key', { type: 'chooseMetric', metric: 'loss', series: true }],
  ['the old acceptEdit', { type: 'acceptEdit' }],
  ['the old rejectEdit', { type: 'rejectEdit' }],
  ['decide without an id', { type: 'decide', choice: 'run' }],
  ['decide with an empty id', { type: 'decide', id: '', choice: 'run' }],
  ['decide with an unknown choice', { type: 'decide', id: 'run-7', choice: 'always' }],
  ['decide with a reason that is not a string', { type: 'decide', id: 'run-7', choice: 'decline', reason: 3 }],
  ['decide with a long reason', { type: 'decide', id: 'run-7', choice: 'decline', reason: 'x'.repeat(2001) }],
  ['decide with an extra key', { type: 'decide', id: 'run-7', choice: 'run', command: 'rm -rf /' }],
  ['openDiff without an id', { type: 'openDiff' }],
  ['openDiff with a path', { type: 'openDiff', id: 'edit-6', file: '/etc/passwd' }],
  ['steer without text', { type: 'steer' }],
  ['steer with blank text', { type: 'steer', text: '   \n ' }],
  ['steer with a long text', { type: 'steer', text: 'x'.repeat(4001) }],
  ['pause with an extra key', { type: 'pause', step: 3 }],
  ['continue with an extra key', { type: 'continue', now: true }],
  ['command outside the allowlist', { type: 'command', command: 'workbench.action.terminal.sendSequence' }],
  ['command with arguments', { type: 'command', command: 'budgetml.setApiKey', args: ['openai'] }],
  ['command in the wrong case', { type: 'command', command: 'BudgetML.setApiKey' }],
  ['command without a command', { type: 'command' }],
  ['rendered without ms', { type: 'rendered', drawMs: 1, source: 'host' }],
  ['rendered without drawMs', { type: 'rendered', ms: 1, source: 'host' }],
  ['rendered with negative ms', { type: 'rendered', ms: -1, drawMs: 1, source: 'host' }],
  ['rendered with infinite ms', { type: 'rendered', ms: Number.POSITIVE_INFINITY, drawMs: 1, source: 'host' }],
  ['rendered with ms as a string', { type: 'rendered', ms: '12', drawMs: 1, source: 'host' }],
  ['rendered with an unknown source', { type: 'rendered', ms: 3, drawMs: 1, source: 'cache' }],
  ['rendered without source', { type: 'rendered', ms: 3, drawMs: 1 }],
];

describe('messages from the webview', () => {
  test('every well-formed message is accepted as it is', () => {
    for (const message of VALID) {
      const parsed = parseFromWebview(message);
      assert.ok(parsed.ok, `${JSON.stringify(message)} was rejected`);
      assert.deepEqual(parsed.message, message);
    }
  });

  for (const [name, message] of MALFORMED) {
    test(`rejects ${name}`, () => {
      assert.equal(fromWebviewSchema.safeParse(message).success, false);
      const parsed = parseFromWebview(message);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.ok(parsed.error.length > 0, 'the rejection says why');
    });
  }

  test('parsing never throws, whatever arrives', () => {
    const odd = [Symbol('x'), () => 1, new Date(), new Map(), Object.create(null), { type: { toString: () => 'start' } }];
    for (const message of odd) assert.doesNotThrow(() => parseFromWebview(message));
  });

  test('ready and rendered are the sidebar’s own; everything else is a user intent', () => {
    const intents = VALID.filter(isIntent).map((m) => m.type);
    assert.deepEqual([...new Set(intents)].sort(), [
      'askExpert',
      'chooseMetric',
      'command',
      'continue',
      'decide',
      'openArtifact',
      'openDiff',
      'openExperiment',
      'pause',
      'showHistory',
      'start',
      'steer',
      'stop',
    ]);
  });
});

describe('messages to the webview', () => {
  const base = emptySidebarView(5, 1);

  test('the whole state first, nothing when nothing changed', () => {
    assert.deepEqual(messageFor(undefined, base), { type: 'state', view: base });
    assert.equal(messageFor(base, structuredClone(base)), undefined);
  });

  test('a spend tick is a patch of the cost alone; a bigger change is the whole state', () => {
    const tick = { ...base, cost: { ...base.cost, usd: 0.01, streaming: true } };
    assert.deepEqual(messageFor(base, tick), { type: 'patch', view: { cost: tick.cost } });
    const many = {
      ...tick,
      replay: true,
      now: { kind: 'paused' as const, since: 1 },
      plan: { current: 'p', parts: [{ text: 'p', fresh: false }], updatedAt: 1, history: [{ step: 1, text: 'p' }] },
      decision: { kind: 'edit' as const, id: 'edit-1', step: 1, file: 'train.py', hunks: 1, added: 1, removed: 0, reason: 'x' },
      factCheck: [{ statement: 'x', status: 'guessed' as const }],
      timeline: [] as SidebarView['timeline'],
      unverifiedClaims: [{ text: '0.99', value: 0.99, where: 'final answer' as const, context: 'x' }],
    };
    many.timeline = [
      { step: 1, action: 'List Files', input: 'dir_path: .', observation: 'a', done: true, model: 'm', artifacts: [], usd: 0, notes: [] },
    ];
    assert.equal(messageFor(base, many)?.type, 'state');
  });
});

test('the view written into the sidebar page cannot close its script element', async () => {
  const { sidebarHtml } = await import('../../src/host/sidebar/sidebarHtml');
  const html = sidebarHtml({
    cspSource: 'vscode-resource:',
    scriptUri: 's.js',
    styleUris: ['s.css'],
    nonce: 'n0nce',
    initialView: { goal: '</script><script>alert(1)</script>\u2028' },
  });
  const data = /<script type="application\/json" id="initial-view">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
  assert.ok(!data.includes('<'), data);
  assert.deepEqual(JSON.parse(data), { goal: '</script><script>alert(1)</script>\u2028' });
  assert.equal((html.match(/<script/g) ?? []).length, 2, 'only the data block and the nonce-bearing bundle');
});
