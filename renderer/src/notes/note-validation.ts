/**
 * What the message form checks as the operator types: required fields, the callback number's
 * format, and that the number entered twice is the same number. Pure, so it is unit-tested
 * without a DOM; the form shows the first problem of each field.
 */
import type { MessageField } from '../../../shared/directory/schema.js';
import { checkJapanesePhone, samePhone, type PhoneProblem } from './phone.js';

export type FieldProblem = 'required' | 'too-long' | `phone-${PhoneProblem}` | 'mismatch';

/** The field id of the second entry of a callback number. */
export const confirmIdOf = (fieldId: string): string => `${fieldId}-confirm`;

/** Problems by field id (the confirmation of a callback number under its own id). */
export function validateNote(fields: readonly MessageField[], values: Readonly<Record<string, string>>): Record<string, FieldProblem> {
  const problems: Record<string, FieldProblem> = {};
  for (const f of fields) {
    const value = values[f.id] ?? '';
    if (f.required && value.trim() === '') {
      problems[f.id] = 'required';
      continue;
    }
    if (f.maxLength !== undefined && value.length > f.maxLength) {
      problems[f.id] = 'too-long';
      continue;
    }
    if (f.kind === 'callbackNumber' && value.trim() !== '') {
      const check = checkJapanesePhone(value);
      if (!check.ok) {
        problems[f.id] = `phone-${check.problem}`;
        continue;
      }
      const confirm = values[confirmIdOf(f.id)] ?? '';
      if (!samePhone(value, confirm)) problems[confirmIdOf(f.id)] = 'mismatch';
    }
  }
  return problems;
}
