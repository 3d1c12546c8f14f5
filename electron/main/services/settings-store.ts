/**
 * Settings that are not secret (locale now; window size and chosen devices later), kept in plain
 * JSON through `conf`. Not sealed — nothing here is confidential — but still handled with care:
 * what is read is validated against the contract's Settings schema, a file that is not JSON is
 * moved aside and reported rather than reset, and a field with a value this version does not know
 * falls back to its default with a warning, leaving the other fields as they were.
 */
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { Settings } from '../../../shared/ipc/contract.js';
import { FileRefused, readBoundedTextSync } from './fs/bounded-read.js';
import { quarantineFile } from './secure-store.js';
import { describeEach } from '../../../shared/ipc/errors.js';

/** The desk's settings: always a complete, valid Settings object. */
export interface SettingsStore {
  get(): Settings;
  /** Merges a patch, validates the result, writes it and returns it. Throws on an invalid patch. */
  update(patch: Partial<Settings>): Settings;
}

const NAME = 'settings';
const DEFAULTS: Settings = { locale: 'ja' };

/**
 * Opens `<dir>/settings.json`. `warning` is set when something in the file could not be used (the
 * file was quarantined, or a field fell back to its default), so the desk can tell the operator.
 */
export function openSettingsStore(opts: { dir: string }): { settings: SettingsStore; warning: string | null } {
  const { dir } = opts;
  if (!path.isAbsolute(dir)) throw new TypeError(`the settings folder must be an absolute path, got "${dir}"`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${NAME}.json`);

  let warning: string | null = null;
  const read = readIfPresent(file);
  const problem = read.refused ?? (read.text !== null && !holdsObject(read.text) ? 'the settings file is not valid JSON' : null);
  if (problem !== null) {
    const moved = quarantineFile(file, NAME, problem);
    warning = `The settings file could not be read and was moved to ${moved.movedTo}; default settings are in use.`;
  }

  const conf = new Conf<Record<string, unknown>>({
    cwd: dir,
    configName: NAME,
    fileExtension: 'json',
    configFileMode: 0o600,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    cache: true,
    watch: false,
  });

  const { settings: initial, ignored } = readValid(conf.store);
  if (ignored.length > 0) {
    warning = `These settings had values this version does not understand and use their defaults: ${ignored.join(', ')}.`;
  }
  let current = initial;

  return {
    settings: {
      get: () => ({ ...current }),
      update(patch) {
        const parsed = Settings.safeParse({ ...current, ...patch });
        if (!parsed.success) {
          const fields = describeEach(parsed.error.issues, (i) => i.path.join('.') || '(settings)').join(', ');
          throw new TypeError(`Invalid settings: ${fields}`);
        }
        // Keys this version does not know are kept: a newer version may have written them.
        conf.set({ ...parsed.data });
        current = parsed.data;
        return { ...current };
      },
    },
    warning,
  };
}

/** Takes each known field on its own, so one bad value does not cost the others. */
function readValid(stored: Record<string, unknown>): { settings: Settings; ignored: string[] } {
  const settings: Settings = { ...DEFAULTS };
  const ignored: string[] = [];
  for (const field of Object.keys(Settings.shape) as (keyof Settings)[]) {
    if (!(field in stored)) continue;
    const parsed = Settings.shape[field].safeParse(stored[field]);
    if (parsed.success) (settings as Record<string, unknown>)[field] = parsed.data;
    else ignored.push(field);
  }
  return { settings, ignored };
}

function holdsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** The settings text (capped: FILE_LIMITS.settings), or why it was refused; text null when there is none. */
function readIfPresent(file: string): { text: string | null; refused: string | null } {
  try {
    return { text: readBoundedTextSync(file, { kind: 'settings' }), refused: null };
  } catch (err) {
    if (!(err instanceof FileRefused) || err.reason === 'unreadable') throw err;
    if (err.reason === 'missing') return { text: null, refused: null };
    return { text: null, refused: err.message };
  }
}
