import { describe, expect, it } from 'vitest';
import type { MessageField } from '../../../../shared/directory/schema.js';
import { GENERIC_MESSAGE_FIELDS } from '../../../../shared/ipc/notes-contract.js';
import { validateNote } from '../../../../renderer/src/notes/note-validation.js';

const fields: readonly MessageField[] = GENERIC_MESSAGE_FIELDS;
const complete = { callerName: '山田', callbackNumber: '090-1234-5678', 'callbackNumber-confirm': '09012345678', subject: '見積もり' };

describe('the message form check', () => {
  it('passes a complete note whose callback number was entered twice alike', () => {
    expect(validateNote(fields, complete)).toEqual({});
  });

  it('asks for every required field', () => {
    expect(validateNote(fields, {})).toEqual({ callerName: 'required', callbackNumber: 'required', subject: 'required' });
  });

  it('flags a callback number that differs the second time, on the confirmation field', () => {
    expect(validateNote(fields, { ...complete, 'callbackNumber-confirm': '090-1234-5687' })).toEqual({ 'callbackNumber-confirm': 'mismatch' });
  });

  it('flags a callback number in no Japanese format before comparing', () => {
    expect(validateNote(fields, { ...complete, callbackNumber: '090-1234' })).toEqual({ callbackNumber: 'phone-length' });
  });

  it('honours a field maximum length from the directory', () => {
    const short: MessageField[] = [{ id: 'memo', kind: 'freeText', label: 'memo', required: false, maxLength: 5 }];
    expect(validateNote(short, { memo: '123456' })).toEqual({ memo: 'too-long' });
  });
});
