import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { folderDigest, oncePerRun, oncePerRunAsync } from './once-per-run';
import { memoKey } from './memo';
import { createHash } from 'node:crypto';

/*
 * once-per-run.ts: a folder made once per run for every worker thread. What another thread does is seen
 * on disk only (the claim, the folder, its digest, a failure mark), so these tests lay that out by hand.
 */
let name: string;
let made: string[];
const make = (text: string) => (dir: string) => {
  made.push(text);
  fs.writeFileSync(path.join(dir, 'out.txt'), text);
};
/** Where another thread would put the folder for this input. */
const sharedPath = (input: unknown) => path.join(os.tmpdir(), `${name}-${createHash('sha256').update(memoKey(input)).digest('hex').slice(0, 16)}`);

beforeEach(() => {
  name = `once-per-run-test-${Math.random().toString(36).slice(2)}`;
  made = [];
});

describe('a folder made once per run', () => {
  it('is made once per input, and again for a different input', () => {
    const first = oncePerRun(name, { a: 1 }, make('one'));
    expect(oncePerRun(name, { a: 1 }, make('again'))).toBe(first);
    const other = oncePerRun(name, { a: 2 }, make('two'));
    expect(other).not.toBe(first);
    expect(made).toEqual(['one', 'two']);
    expect([fs.readFileSync(path.join(first, 'out.txt'), 'utf8'), fs.readFileSync(path.join(other, 'out.txt'), 'utf8')]).toEqual(['one', 'two']);
  });

  it('is read, not made, when another thread made it', () => {
    const folder = sharedPath({ a: 1 });
    fs.mkdirSync(`${folder}.claim`);
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'out.txt'), 'theirs');
    fs.writeFileSync(`${folder}.sha256`, folderDigest(folder));
    expect(oncePerRun(name, { a: 1 }, make('mine'))).toBe(folder);
    expect(made).toEqual([]);
  });

  it('is made by this thread when the thread that claimed it failed, or does not finish in time', () => {
    const folder = sharedPath({ a: 1 });
    fs.mkdirSync(`${folder}.claim`);
    const own = oncePerRun(name, { a: 1 }, make('after waiting'), { waitMs: 50 });
    fs.writeFileSync(`${folder}.failed`, 'Error: boom');
    const afterFailure = oncePerRun(name, { a: 1 }, make('after a failure'));
    expect(made).toEqual(['after waiting', 'after a failure']);
    expect([own, afterFailure]).not.toContain(folder);
    expect(fs.readFileSync(path.join(afterFailure, 'out.txt'), 'utf8')).toBe('after a failure');
  });

  it('throws what making it threw, and marks it failed for the other threads', () => {
    expect(() =>
      oncePerRun(name, { a: 1 }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(fs.readFileSync(`${sharedPath({ a: 1 })}.failed`, 'utf8')).toBe('Error: boom');
    expect(oncePerRun(name, { a: 1 }, make('retried'))).not.toBe(sharedPath({ a: 1 }));
  });

  it('fails the next caller when a caller changed it (it is shared: copy it first)', () => {
    const folder = oncePerRun(name, { a: 1 }, make('one'));
    fs.writeFileSync(path.join(folder, 'out.txt'), 'changed');
    expect(() => oncePerRun(name, { a: 1 }, make('one'))).toThrow(`${folder} was changed after it was made`);
    fs.writeFileSync(path.join(folder, 'out.txt'), 'one');
    fs.writeFileSync(path.join(folder, 'new.txt'), '');
    expect(() => oncePerRun(name, { a: 1 }, make('one'))).toThrow('was changed');
  });

  it('works the same with an asynchronous make', async () => {
    const makeLater = (text: string) => async (dir: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      make(text)(dir);
    };
    const first = await oncePerRunAsync(name, { a: 1 }, makeLater('one'));
    expect(await oncePerRunAsync(name, { a: 1 }, makeLater('again'))).toBe(first);
    await expect(oncePerRunAsync(name, { a: 2 }, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(made).toEqual(['one']);
  });
});
