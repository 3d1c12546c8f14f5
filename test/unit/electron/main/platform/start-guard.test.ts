import { describe, expect, it } from 'vitest';
import { refusedSwitches } from '../../../../../electron/main/platform/start-guard.js';

const EXE = '/opt/Kotozute/kotozute';

describe('switches a packaged desk refuses to start with', () => {
  it('refuses remote debugging by port or pipe, however it is spelled', () => {
    expect(refusedSwitches([EXE, '--remote-debugging-port=9222'], 'linux')).toEqual(['--remote-debugging-port=9222']);
    expect(refusedSwitches([EXE, '--remote-debugging-pipe'], 'linux')).toEqual(['--remote-debugging-pipe']);
    expect(refusedSwitches([EXE, '-remote-debugging-port=9222'], 'linux')).toEqual(['-remote-debugging-port=9222']);
    expect(refusedSwitches([EXE, '--Remote-Debugging-Port=1'], 'linux')).toHaveLength(1);
    expect(refusedSwitches(['C:\\Kotozute\\Kotozute.exe', '/remote-debugging-port=9222'], 'win32')).toHaveLength(1);
  });

  it('refuses the Node inspector switches too', () => {
    for (const arg of ['--inspect', '--inspect=9229', '--inspect-brk', '--inspect-port=0', '--inspect-brk-node']) {
      expect(refusedSwitches([EXE, arg], 'darwin'), arg).toEqual([arg]);
    }
  });

  it('lets an ordinary start through', () => {
    expect(refusedSwitches([EXE], 'linux')).toEqual([]);
    expect(refusedSwitches([EXE, '--no-sandbox-ish', '--lang=ja', 'inspect', '--remote-debugging'], 'linux')).toEqual([]);
    // The executable's own path is not an argument.
    expect(refusedSwitches(['--inspect'], 'linux')).toEqual([]);
  });
});
