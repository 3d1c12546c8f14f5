/**
 * The main side of the contract: validate the argument, run the handler, validate the result,
 * and answer an envelope. Both transports (Electron IPC and the dev-web bridge) go through here,
 * so a malformed call gets the same clear error whichever way it came.
 */
import { contract, type ApiHandlers, type MethodName } from '../../../shared/ipc/contract.js';
import { ApiError, describeIssues, type Envelope } from '../../../shared/ipc/errors.js';
import type { Logger } from '../services/log.js';

export type Dispatch = (method: string, arg: unknown) => Promise<Envelope>;

function isMethod(name: string): name is MethodName {
  return Object.hasOwn(contract, name);
}

export function createDispatch(handlers: ApiHandlers, log: Logger): Dispatch {
  return async (method, arg) => {
    if (!isMethod(method)) {
      return fail(new ApiError('unknown-method', `There is no API method called "${method.slice(0, 64)}".`));
    }
    const spec = contract[method];
    const parsed = spec.args.safeParse(arg);
    if (!parsed.success) {
      return fail(
        new ApiError('invalid-argument', `${method}: the argument is not valid.`, describeIssues(parsed.error.issues)),
      );
    }
    // The most verbose level: every call by name (never its argument), for tracing a session.
    log.debug('api.call', { method });
    try {
      const handler = handlers[method] as (a: unknown) => unknown;
      const value = await handler(parsed.data);
      // The result is checked too: a handler bug must not leak an unexpected field to the UI.
      const checked = spec.result.safeParse(value);
      if (!checked.success) {
        log.error('api.result-invalid', { method, issues: describeIssues(checked.error.issues).length });
        return fail(new ApiError('internal', `${method}: the desk produced an invalid answer.`));
      }
      return { ok: true, value: checked.data };
    } catch (err) {
      if (err instanceof ApiError) return fail(err);
      if (isDiskFull(err)) {
        log.error('api.disk-full', { method });
        return fail(new ApiError('disk-full', `${method}: the disk holding the desk's data is full, so this could not be saved.`));
      }
      log.error('api.handler-failed', { method, error: err instanceof Error ? err.name : 'unknown' });
      return fail(new ApiError('internal', `${method} failed unexpectedly; see the desk log.`));
    }
  };
}

/** A write refused for want of space or quota, however deep the service wrapped it. */
function isDiskFull(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return true;
  }
  return false;
}

function fail(err: ApiError): Envelope {
  return { ok: false, error: err.toInfo() };
}
