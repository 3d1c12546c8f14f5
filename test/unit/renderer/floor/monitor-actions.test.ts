// The supervisor's monitor actions: the first click on a call sends an INVITE; another mode on the
// same call is a new signed token in an INFO (never a second INVITE); the same mode does nothing;
// another call ends the session first.
import { describe, expect, it } from 'vitest';
import { monitorAction } from '../../../../renderer/src/floor/monitor-actions.js';
import type { Line, Monitor, MonitorInfo, MonitorMode } from '../../../../renderer/src/line/types.js';

function fakeLine() {
  const log: string[] = [];
  const monitors: Monitor[] = [];
  let n = 0;
  const make = (callRef: string, mode: MonitorMode): Monitor => {
    let info: MonitorInfo = { id: `m${(n += 1)}`, direction: 'outgoing', callId: null, callRef, mode, state: 'active', tellOperator: false, endStatusCode: null };
    const monitor: Monitor = {
      id: info.id,
      get info() {
        return info;
      },
      sessionDescriptionHandler: undefined,
      setMode(next, token) {
        log.push(`INFO ${info.id} ${next} ${token}`);
        info = { ...info, mode: next };
        return Promise.resolve();
      },
      stop() {
        log.push(`BYE ${info.id}`);
        info = { ...info, state: 'ended' };
        monitors.splice(monitors.indexOf(monitor), 1);
        return Promise.resolve();
      },
    };
    return monitor;
  };
  const line = {
    get monitors() {
      return monitors;
    },
    startMonitor(args: { target: string; token: string; callRef: string; mode: MonitorMode }) {
      log.push(`INVITE ${args.target} ${args.callRef} ${args.mode} ${args.token}`);
      const m = make(args.callRef, args.mode);
      monitors.push(m);
      return Promise.resolve(m);
    },
  } as unknown as Line;
  return { line, log };
}

let signed = 0;
const api = {
  signMonitorRequest: ({ deskId, callRef, mode }: { deskId: string; callRef: string; mode: MonitorMode }) =>
    Promise.resolve({ token: `t${(signed += 1)}-${deskId}-${callRef}-${mode}`, target: `sip:${deskId}@pbx.test` }),
};

describe('monitorAction', () => {
  it('invites once, then changes mode by INFO with a new token, and ignores the mode already in use', async () => {
    const { line, log } = fakeLine();
    await monitorAction(api, line, 'desk-1', 'call-ref-aaaa', 'listen');
    await monitorAction(api, line, 'desk-1', 'call-ref-aaaa', 'whisper');
    await monitorAction(api, line, 'desk-1', 'call-ref-aaaa', 'whisper');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^INVITE sip:desk-1@pbx.test call-ref-aaaa listen t\d+-desk-1-call-ref-aaaa-listen$/);
    expect(log[1]).toMatch(/^INFO m\d+ whisper t\d+-desk-1-call-ref-aaaa-whisper$/);
  });

  it('ends the session on one call before monitoring another', async () => {
    const { line, log } = fakeLine();
    await monitorAction(api, line, 'desk-1', 'call-ref-aaaa', 'listen');
    await monitorAction(api, line, 'desk-2', 'call-ref-bbbb', 'barge');
    expect(log.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([expect.stringMatching(/^INVITE sip:desk-1/), expect.stringMatching(/^BYE m/), expect.stringMatching(/^INVITE sip:desk-2/)]);
  });

  it('refuses without a line', async () => {
    await expect(monitorAction(api, null, 'desk-1', 'call-ref-aaaa', 'listen')).rejects.toThrow(/not connected/);
  });
});
