import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moveToFreeName } from '../../../../../../electron/main/services/fs/move-aside.js';

describe('moveToFreeName', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kotozute-move-aside-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const name = (n: number) => path.join(dir, `kept${n === 0 ? '' : `-${n}`}`);

  it('takes the first free name of the series and never writes over a file already there', () => {
    fs.writeFileSync(name(0), 'earlier evidence');
    fs.writeFileSync(name(1), 'more evidence');
    const file = path.join(dir, 'broken');
    fs.writeFileSync(file, 'today');

    expect(moveToFreeName(file, name)).toBe(name(2));
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(name(0), 'utf8')).toBe('earlier evidence');
    expect(fs.readFileSync(name(1), 'utf8')).toBe('more evidence');
    expect(fs.readFileSync(name(2), 'utf8')).toBe('today');
  });

  it('answers null, leaving the file where it was, when every name is taken', () => {
    const file = path.join(dir, 'broken');
    fs.writeFileSync(file, 'today');
    fs.writeFileSync(path.join(dir, 'only'), 'taken');
    expect(moveToFreeName(file, () => path.join(dir, 'only'))).toBeNull();
    expect(fs.readFileSync(file, 'utf8')).toBe('today');
  });

  it('throws other errors as they are, and loses nothing', () => {
    const file = path.join(dir, 'broken');
    fs.writeFileSync(file, 'today');
    expect(() => moveToFreeName(file, () => path.join(dir, 'no-such-folder', 'kept'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('today');
  });
});
