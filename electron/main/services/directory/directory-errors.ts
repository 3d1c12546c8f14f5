/**
 * How directory and bundle problems reach the admin (CLI) and the operator (desk): one
 * ApiError('directory-invalid') whose message names the first problem and whose details list the
 * first twenty, each naming the JSON path and the client.
 */
import { ApiError, boundLines } from '../../../../shared/ipc/errors.js';
import { clientLabel } from './client-label.js';

/** A directory-invalid error with the given message and details. */
export const invalid = (message: string, details: string[] = []): ApiError => new ApiError('directory-invalid', message, details);

type Issue = { path: readonly PropertyKey[]; message: string };

/** One problem inside clients[index], e.g. `clients[3] (id "x", 名前): answers.5.wording: Too big`. */
export function clientProblem(index: number, rawClient: unknown, path: readonly PropertyKey[], message: string): string {
  return `${clientLabel(index, rawClient)}: ${path.length ? path.map(String).join('.') : '(the client itself)'}: ${message}`;
}

/** Schema issues as lines; a path into `clients[i]` names that client by index, id and name. */
export function formatIssues(issues: readonly Issue[], raw: unknown): string[] {
  const clients = typeof raw === 'object' && raw !== null ? (raw as { clients?: unknown }).clients : undefined;
  return issues.map(({ path, message }) => {
    const [head, index, ...rest] = path;
    if (head === 'clients' && typeof index === 'number' && Array.isArray(clients)) {
      return clientProblem(index, clients[index], rest, message);
    }
    return `${path.length ? path.map(String).join('.') : '(root)'}: ${message}`;
  });
}

/** One error for a list of problems: "<lead>: <first> (and N more problems)." with all in the details. */
export function summarise(lead: string, problems: readonly string[]): ApiError {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  // The details keep the first MAX_DETAILS (shared/ipc/errors.ts): a badly broken file could
  // otherwise produce 100,000 lines.
  return invalid(`${lead}: ${problems[0] ?? 'unknown problem'}${more}.`, boundLines(problems));
}

/**
 * Strict UTF-8: a byte sequence that is not text is refused, not replaced with U+FFFD. A leading
 * byte-order mark is dropped from the admin's file (editors add one) but kept in a bundle's parts,
 * where it would make the payload as a whole invalid JSON and must be refused by the parser.
 */
export function decodeUtf8(bytes: Uint8Array, what: string, bom: 'drop' | 'keep' = 'drop'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: bom === 'keep' }).decode(bytes);
  } catch {
    throw invalid(`The ${what} is not UTF-8 text.`);
  }
}

/** JSON.parse that refuses with a directory-invalid error naming what was being read. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalid(`The ${what} is not JSON.`, [err instanceof Error ? err.message.slice(0, 200) : 'parse error']);
  }
}
