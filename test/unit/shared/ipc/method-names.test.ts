import { describe, expect, it } from 'vitest';
import { methodNames } from '../../../../shared/ipc/contract.js';
import { METHOD_NAMES } from '../../../../shared/ipc/method-names.js';

describe('the preload’s method list (shared/ipc/method-names.ts, generated)', () => {
  it('is exactly the contract’s methods, in order — run `npm run gen:ipc` when this fails', () => {
    expect([...METHOD_NAMES]).toEqual(methodNames);
  });
});
