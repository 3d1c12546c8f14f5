/**
 * The secret a person must have: the strongest of their roles' policies (a passphrase outranks a
 * PIN; then the longer minimum). The admin CLI refuses a weaker secret; the sign-in screen uses the
 * kind to offer a PIN pad or a text field.
 */
import type { Role, RosterPolicy, SecretPolicy } from './schema.js';

export function requiredSecret(roles: readonly Role[], policy: RosterPolicy): SecretPolicy {
  let strongest: SecretPolicy | null = null;
  for (const role of roles) {
    const p = policy.secrets[role];
    if (!strongest) strongest = p;
    else if (p.kind === 'passphrase' && strongest.kind === 'pin') strongest = p;
    else if (p.kind === strongest.kind && p.minLength > strongest.minLength) strongest = p;
  }
  return strongest ?? policy.secrets.operator;
}

/** Why a secret does not meet a policy, in one sentence, or null when it does. Never quotes the secret. */
export function secretProblem(secret: string, required: SecretPolicy): string | null {
  const length = [...secret.normalize('NFKC')].length;
  if (required.kind === 'pin') {
    if (!/^[0-9]+$/.test(secret)) return 'a PIN is digits only';
    if (length < required.minLength) return `a PIN here needs at least ${required.minLength} digits (this one has ${length})`;
    return null;
  }
  if (/^[0-9]*$/.test(secret)) return 'a passphrase must not be digits only (that is a PIN, and too easy to guess offline)';
  if (length < required.minLength) return `a passphrase here needs at least ${required.minLength} characters (this one has ${length})`;
  if (new Set(secret).size < 5) return 'a passphrase needs at least 5 different characters';
  return null;
}
