import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { headAndTail, OutputCapture } from '../../src/core/text/outputCapture';

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'budgetml-capture-'));
});
after(() => fs.rm(dir, { recursive: true, force: true }));

describe('OutputCapture', () => {
  it('keeps a short output whole, in memory and on disk', async () => {
    const file = path.join(dir, 'nested', 'short.log');
    const capture = new OutputCapture(file);
    capture.write('epoch 1: loss 0.5\n');
    capture.write('');
    capture.write('epoch 2: loss 0.4\n');
    await capture.close();
    assert.equal(capture.text(), 'epoch 1: loss 0.5\nepoch 2: loss 0.4\n');
    assert.equal(capture.totalChars, 36);
    assert.equal(await fs.readFile(file, 'utf8'), capture.text());
  });

  it('keeps the head and the tail across chunk boundaries and names the full file', async () => {
    const file = path.join(dir, 'medium.log');
    const capture = new OutputCapture(file, { headChars: 10, tailChars: 8, displayPath: 'outputs/medium.log' });
    const full = Array.from({ length: 200 }, (_, i) => `line ${i}\n`).join('');
    for (let i = 0; i < full.length; i += 7) capture.write(full.slice(i, i + 7));
    await capture.close();
    const omitted = full.length - 18;
    assert.equal(
      capture.text(),
      `${full.slice(0, 10)}\n... [${omitted} characters omitted; the full output is in outputs/medium.log] ...\n${full.slice(-8)}`,
    );
    assert.equal(await fs.readFile(file, 'utf8'), full);
  });

  it('takes 100 MB through write() with bounded memory and a complete file', async () => {
    const file = path.join(dir, 'big.log');
    const chunk = 'x'.repeat(1024 * 1024 - 6) + 'tail!\n';
    const capture = new OutputCapture(file);
    capture.write('HEAD-START\n');
    const before = process.memoryUsage();
    let peakGrowth = 0;
    for (let i = 0; i < 100; i++) {
      capture.write(chunk);
      const now = process.memoryUsage();
      peakGrowth = Math.max(
        peakGrowth,
        now.heapUsed + now.external + now.arrayBuffers - (before.heapUsed + before.external + before.arrayBuffers),
      );
    }
    capture.write('THE-END\n');
    await capture.close();
    assert.ok(peakGrowth < 40 * 1024 * 1024, `memory grew by ${(peakGrowth / 1e6).toFixed(1)} MB`);
    const expectedSize = 11 + 100 * chunk.length + 8;
    assert.equal(capture.totalChars, expectedSize);
    assert.equal((await fs.stat(file)).size, expectedSize);
    const text = capture.text();
    assert.ok(text.startsWith('HEAD-START\nxxx'));
    assert.ok(text.endsWith('tail!\nTHE-END\n'));
    assert.ok(text.length < 5200);
    assert.match(
      text,
      new RegExp(`\\[${expectedSize - 5000} characters omitted; the full output is in ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\]`),
    );
    const handle = await fs.open(file, 'r');
    const last = Buffer.alloc(14);
    await handle.read(last, 0, 14, expectedSize - 14);
    await handle.close();
    assert.equal(last.toString(), 'tail!\nTHE-END\n');
  });

  it('still keeps head and tail when the file cannot be written', async () => {
    const capture = new OutputCapture(path.join(dir, 'fresh', 'x.log'), { headChars: 2, tailChars: 2 });
    await fs.writeFile(path.join(dir, 'blocker'), '');
    const blocked = new OutputCapture(path.join(dir, 'blocker', 'x.log'), { headChars: 2, tailChars: 2 });
    blocked.write('abcdefgh');
    await blocked.close();
    assert.match(blocked.text(), /^ab\n\.\.\. \[4 characters omitted; the full output could not be saved: .+\] \.\.\.\ngh$/);
    capture.write('ok');
    await capture.close();
    await capture.close();
    assert.equal(capture.text(), 'ok');
  });
});

describe('headAndTail', () => {
  it('leaves short text alone and cuts long text in the middle', () => {
    assert.equal(headAndTail('short', 10), 'short');
    assert.equal(headAndTail('0123456789abcdefghij', 10), '01234\n... [10 characters omitted] ...\nfghij');
    assert.equal(headAndTail('abc', 1), 'a\n... [2 characters omitted] ...\n');
  });
});
