import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EnvError, globToRegExp, observeEnvErrors, Workspace, writeConfined } from '../../src/core/workspace';

let base: string;
let root: string;
let outside: string;

/** A fresh work directory with a sibling folder "outside" that must never be reachable. */
before(async () => {
  base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'budgetml-ws-')));
  root = path.join(base, 'work');
  outside = path.join(base, 'outside');
  await fs.mkdir(path.join(root, 'sub', 'deep'), { recursive: true });
  await fs.mkdir(path.join(root, 'data'), { recursive: true });
  await fs.mkdir(path.join(root, '.budgetml', 'runs'), { recursive: true });
  await fs.mkdir(path.join(root, '.git'), { recursive: true });
  await fs.mkdir(outside);
  await fs.writeFile(path.join(outside, 'secret.txt'), 'secret\n');
  await fs.writeFile(path.join(root, 'train.py'), 'print(1)\n');
  await fs.writeFile(path.join(root, 'train.csv'), 'a,b\n1,2\n');
  await fs.writeFile(path.join(root, 'data', 'x.csv'), 'x\n');
  await fs.writeFile(path.join(root, 'sub', 'deep', 'model.pt'), 'weights');
  await fs.writeFile(path.join(root, 'sub', 'notes.txt'), 'notes\n');
  await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'secret-link.txt'));
  await fs.symlink(outside, path.join(root, 'outdir'));
  await fs.symlink(path.join(root, 'chain2'), path.join(root, 'chain1'));
  await fs.symlink(outside, path.join(root, 'chain2'));
  await fs.symlink(path.join(root, 'train.py'), path.join(root, 'alias.py'));
  await fs.symlink(path.join(root, 'train.csv'), path.join(root, 'csv-alias'));
  await fs.symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  await fs.symlink(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
  await fs.symlink(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
});

after(() => fs.rm(base, { recursive: true, force: true }));

const open = () => new Workspace(root, ['train.csv', 'data/**', '**/*.pt', './sub/notes.txt']);

async function rejects(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof EnvError, `expected EnvError, got ${String(error)}`);
    assert.match(error.message, /^EnvError: /);
    assert.match(error.message, pattern);
    return true;
  });
}

async function outsideUnchanged(): Promise<void> {
  assert.deepEqual((await fs.readdir(outside)).sort(), ['secret.txt']);
  assert.equal(await fs.readFile(path.join(outside, 'secret.txt'), 'utf8'), 'secret\n');
}

describe('Workspace.resolve', () => {
  it('resolves paths inside the work directory', async () => {
    const ws = open();
    assert.equal(await ws.resolve('train.py', 'read'), path.join(root, 'train.py'));
    assert.equal(await ws.resolve('./sub/../train.py', 'read'), path.join(root, 'train.py'));
    assert.equal(await ws.resolve('.', 'read'), root);
    assert.equal(await ws.resolve(path.join(root, 'train.py'), 'read'), path.join(root, 'train.py'));
    assert.equal(await ws.resolve('new/dir/file.py', 'write'), path.join(root, 'new', 'dir', 'file.py'));
  });

  it('rejects .. escapes and absolute paths outside', async () => {
    const ws = open();
    await rejects(ws.resolve('../outside/secret.txt', 'read'), /outside the work directory/);
    await rejects(ws.resolve('sub/../../outside/secret.txt', 'read'), /outside/);
    await rejects(ws.resolve('..', 'read'), /outside/);
    await rejects(ws.resolve('/etc/passwd', 'read'), /outside/);
    await rejects(ws.resolve(path.join(outside, 'new.txt'), 'write'), /outside/);
    await rejects(ws.resolve(`${root}-evil/x`, 'read'), /outside/);
  });

  it('rejects symbolic links that lead outside: file, folder, chain, broken link', async () => {
    const ws = open();
    await rejects(ws.resolve('secret-link.txt', 'read'), /symbolic link/);
    await rejects(ws.resolve('secret-link.txt', 'write'), /symbolic link/);
    await rejects(ws.resolve('outdir/secret.txt', 'read'), /symbolic link/);
    await rejects(ws.resolve('outdir/new.txt', 'write'), /symbolic link/);
    await rejects(ws.resolve('outdir/a/b/c.txt', 'write'), /symbolic link/);
    await rejects(ws.resolve('chain1/secret.txt', 'read'), /symbolic link/);
    await rejects(ws.resolve('dangling', 'write'), /broken symbolic link/);
    await rejects(ws.resolve('loop-a', 'read'), /loop/);
    await outsideUnchanged();
  });

  it('follows links that stay inside', async () => {
    assert.equal(await open().resolve('alias.py', 'write'), path.join(root, 'train.py'));
  });

  it('rejects empty names, NUL bytes and paths through a file', async () => {
    const ws = open();
    await rejects(ws.resolve('', 'read'), /empty/);
    await rejects(ws.resolve('   ', 'write'), /empty/);
    await rejects(ws.resolve('train\0.py', 'read'), /NUL/);
    await rejects(ws.resolve('train.py/x.py', 'write'), /file, not a folder/);
  });

  it('rejects writes to read-only files, their folders, .budgetml, folders and the root', async () => {
    const ws = open();
    await rejects(ws.resolve('train.csv', 'write'), /read-only/);
    await rejects(ws.resolve('./train.csv', 'write'), /read-only/);
    await rejects(ws.resolve('data/x.csv', 'write'), /read-only/);
    await rejects(ws.resolve('data/new/y.csv', 'write'), /read-only/);
    await rejects(ws.resolve('model.pt', 'write'), /read-only/);
    await rejects(ws.resolve('sub/deep/model.pt', 'write'), /read-only/);
    await rejects(ws.resolve('sub/notes.txt', 'write'), /read-only/);
    await rejects(ws.resolve('csv-alias', 'write'), /read-only/);
    await rejects(ws.resolve('.budgetml/runs/log.jsonl', 'write'), /\.budgetml/);
    await rejects(ws.resolve('.budgetml', 'write'), /\.budgetml/);
    await rejects(ws.resolve('sub', 'write'), /folder/);
    await rejects(ws.resolve('.', 'write'), /work directory itself/);
    // reading them is fine
    assert.ok(await ws.resolve('train.csv', 'read'));
    assert.ok(await ws.resolve('.budgetml/runs', 'read'));
    assert.ok(await ws.resolve('sub/other.txt', 'write'));
  });
});

describe('globToRegExp', () => {
  it('keeps * and ? inside a segment and lets ** cross segments', () => {
    assert.ok(globToRegExp('*.csv').test('train.csv'));
    assert.ok(!globToRegExp('*.csv').test('data/train.csv'));
    assert.ok(globToRegExp('data/*').test('data/a.csv'));
    assert.ok(!globToRegExp('data/*').test('data/a/b.csv'));
    assert.ok(globToRegExp('data/**').test('data/a/b.csv'));
    assert.ok(globToRegExp('**/*.pt').test('model.pt'));
    assert.ok(globToRegExp('**/*.pt').test('a/b/model.pt'));
    assert.ok(globToRegExp('file?.txt').test('file1.txt'));
    assert.ok(!globToRegExp('file?.txt').test('file12.txt'));
    assert.ok(!globToRegExp('a.b').test('axb'), 'dots are literal');
  });
});

describe('Workspace files', () => {
  it('lists like ls -F, sorted, hiding .budgetml and .git', async () => {
    const listing = (await open().list('.')).split('\n');
    assert.deepEqual(listing, [
      'alias.py@',
      'chain1@',
      'chain2@',
      'csv-alias@',
      'dangling@',
      'data/',
      'loop-a@',
      'loop-b@',
      'outdir@',
      'secret-link.txt@',
      'sub/',
      'train.csv',
      'train.py',
    ]);
    assert.equal(await open().list('sub'), 'deep/\nnotes.txt');
    await rejects(open().list('train.py'), /not a folder/);
    await rejects(open().list('missing'), /Cannot find/);
    await rejects(open().list('outdir'), /symbolic link/);
  });

  it('reads text and says clearly what is wrong', async () => {
    const ws = open();
    assert.equal(await ws.readText('train.py'), 'print(1)\n');
    await rejects(ws.readText('missing.py'), /Cannot find missing\.py/);
    await rejects(ws.readText('sub'), /folder/);
    await fs.writeFile(path.join(root, 'blob.bin'), Buffer.from([1, 0, 2]));
    await rejects(ws.readText('blob.bin'), /binary/);
    await fs.rm(path.join(root, 'blob.bin'));
    assert.equal(await ws.exists('train.py'), true);
    assert.equal(await ws.exists('nope.py'), false);
    await rejects(ws.exists('../outside/secret.txt'), /outside/);
  });

  it('reads the head of a long file up to a line end', async () => {
    await fs.writeFile(path.join(root, 'long.txt'), 'line\n'.repeat(1000));
    const head = await open().readTextHead('long.txt', 52);
    assert.equal(head.text, 'line\n'.repeat(10));
    assert.equal(head.truncated, true);
    assert.equal(head.size, 5000);
    await fs.rm(path.join(root, 'long.txt'));
  });

  it('gives workspace-relative names with forward slashes', () => {
    const ws = open();
    assert.equal(ws.relative(path.join(root, 'sub', 'notes.txt')), 'sub/notes.txt');
    assert.equal(ws.relative(root), '.');
  });

  it('copies files, creating folders, and touches nothing when a check fails', async () => {
    const ws = open();
    await ws.copy('train.py', 'backup/train_copy.py');
    assert.equal(await fs.readFile(path.join(root, 'backup', 'train_copy.py'), 'utf8'), 'print(1)\n');
    await rejects(ws.copy('train.py', 'data/new/train.py'), /read-only/);
    await assert.rejects(fs.stat(path.join(root, 'data', 'new')), /ENOENT/);
    await rejects(ws.copy('train.py', 'train.csv'), /read-only/);
    assert.equal(await fs.readFile(path.join(root, 'train.csv'), 'utf8'), 'a,b\n1,2\n');
    await rejects(ws.copy('train.py', 'outdir/stolen.py'), /symbolic link/);
    await rejects(ws.copy('secret-link.txt', 'leak.txt'), /symbolic link/);
    await rejects(ws.copy('train.py', '../outside/x.py'), /outside/);
    await rejects(ws.copy('missing.py', 'x.py'), /Cannot find/);
    await rejects(ws.copy('train.py', 'alias.py'), /same file/);
    await assert.rejects(fs.stat(path.join(root, 'leak.txt')), /ENOENT/);
    await assert.rejects(fs.stat(path.join(root, 'x.py')), /ENOENT/);
    await outsideUnchanged();
  });

  it('opens asynchronously and realpaths the root once', async () => {
    const link = path.join(base, 'work-link');
    await fs.symlink(root, link);
    const ws = await Workspace.open(link);
    assert.equal(ws.root, root);
    assert.equal(await ws.resolve('train.py', 'read'), path.join(root, 'train.py'));
  });

  it('turns EnvError into an observation and lets other errors through', async () => {
    assert.deepEqual(
      await observeEnvErrors(async () => {
        throw new EnvError('bad path');
      }),
      { observation: 'EnvError: bad path' },
    );
    await assert.rejects(
      observeEnvErrors(async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(new EnvError('EnvError: once').message, 'EnvError: once');
  });
});

describe('Workspace hardening', () => {
  it('never writes .git at any depth; reading it is fine', async () => {
    const ws = open();
    await rejects(ws.resolve('.git/hooks/pre-commit', 'write'), /inside \.git/);
    await rejects(ws.resolve('.git', 'write'), /inside \.git/);
    await rejects(ws.resolve('sub/.git/config', 'write'), /inside \.git/);
    await rejects(ws.resolve('.Git/HEAD', 'write'), /inside \.git/);
    assert.equal(await ws.resolve('.git', 'read'), path.join(root, '.git'));
    assert.ok(await ws.resolve('sub/.gitignore', 'write'));
  });

  it('never writes a protected folder, compared by real path; reading it is fine', async () => {
    const ws = new Workspace(root, [], [path.join(root, 'sub', 'deep')]);
    await rejects(ws.resolve('sub/deep/new.txt', 'write'), /inside sub\/deep, the agent's run folder/);
    await rejects(ws.resolve('sub/deep', 'write'), /sub\/deep/);
    await rejects(ws.resolve('sub/../sub/deep/x', 'write'), /sub\/deep/);
    assert.ok(await ws.resolve('sub/deep/model.pt', 'read'));
    assert.ok(await ws.resolve('sub/other.txt', 'write'));
    const outsideRun = new Workspace(root, [], [outside]);
    await rejects(outsideRun.resolve('outdir/x', 'write'), /symbolic link/);
  });

  it('refuses names longer than 255 bytes and paths longer than 4096 bytes', async () => {
    const ws = open();
    await rejects(ws.resolve('x'.repeat(256), 'write'), /256 bytes long; a file or folder name can be at most 255 bytes/);
    await rejects(ws.resolve(`sub/${'é'.repeat(128)}`, 'read'), /256 bytes long/);
    await rejects(ws.resolve(`${'d/'.repeat(2050)}x`, 'write'), /too long/);
    assert.ok(await ws.resolve('x'.repeat(255), 'write'));
  });

  it('writeConfined replaces the file through a temporary file, keeping its mode', async () => {
    const ws = open();
    await fs.writeFile(path.join(root, 'run.sh'), 'echo 1\n', { mode: 0o755 });
    assert.equal(await writeConfined(ws, 'run.sh', 'echo 2\n'), path.join(root, 'run.sh'));
    assert.equal(await fs.readFile(path.join(root, 'run.sh'), 'utf8'), 'echo 2\n');
    assert.equal((await fs.stat(path.join(root, 'run.sh'))).mode & 0o777, 0o755);
    await writeConfined(ws, 'made/new/file.txt', 'x');
    assert.equal(await fs.readFile(path.join(root, 'made', 'new', 'file.txt'), 'utf8'), 'x');
    await rejects(writeConfined(ws, 'secret-link.txt', 'x'), /symbolic link/);
    await rejects(writeConfined(ws, 'train.csv', 'x'), /read-only/);
    assert.deepEqual(
      (await fs.readdir(root)).filter((n) => n.endsWith('.tmp')),
      [],
    );
    await fs.rm(path.join(root, 'run.sh'));
    await fs.rm(path.join(root, 'made'), { recursive: true });
    await outsideUnchanged();
  });
});
