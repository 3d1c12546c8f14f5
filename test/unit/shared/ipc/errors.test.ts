import { describe, expect, it } from 'vitest';
import { ApiError, MAX_DETAILS, MAX_MESSAGE_CHARS, boundLines, decodeApiError, describeIssues } from '../../../../shared/ipc/errors.js';

const lines = (n: number) => Array.from({ length: n }, (_, i) => `problem ${i}`);

describe('bounded errors', () => {
  it('keeps up to twenty problems as they are', () => {
    expect(boundLines(lines(MAX_DETAILS))).toEqual(lines(MAX_DETAILS));
  });

  it('keeps the first twenty of more, then counts the rest', () => {
    const bounded = boundLines(lines(MAX_DETAILS + 1));
    expect(bounded).toHaveLength(MAX_DETAILS + 1);
    expect(bounded[0]).toBe('problem 0');
    expect(bounded.at(-1)).toBe('… and 1 more');
    expect(boundLines(lines(100_000)).at(-1)).toBe(`… and ${100_000 - MAX_DETAILS} more`);
  });

  it('does not recount a list bounded already', () => {
    const once = boundLines(lines(500));
    expect(new ApiError('invalid-argument', 'x', once).details).toEqual(once);
  });

  it('cuts an error message at 2 KB and a detail line at 300 characters, saying so', () => {
    const err = new ApiError('internal', 'm'.repeat(100_000), ['d'.repeat(10_000)]);
    expect(err.message).toHaveLength(MAX_MESSAGE_CHARS);
    expect(err.message.endsWith('…')).toBe(true);
    expect(err.details[0]).toHaveLength(300);
  });

  it('formats only the zod issues it shows', () => {
    let formatted = 0;
    const issues = Array.from({ length: 1_000 }, (_, i) => ({
      get path() {
        formatted++;
        return ['items', i];
      },
      message: 'Invalid',
    }));
    const out = describeIssues(issues);
    expect(out[0]).toBe('items.0: Invalid');
    expect(out.at(-1)).toBe('… and 980 more');
    expect(formatted).toBeLessThanOrEqual(MAX_DETAILS * 2);
  });

  it('bounds an error decoded from elsewhere too', () => {
    expect(decodeApiError(new Error('x'.repeat(50_000))).message.length).toBe(MAX_MESSAGE_CHARS);
  });
});
