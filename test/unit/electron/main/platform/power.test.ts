import { beforeEach, describe, expect, it, vi } from 'vitest';
import { onPowerEvent, type PowerEvent } from '../../../../../electron/main/platform/power.js';
import * as fake from '../../../../support/fake-electron.js';

vi.mock('electron', () => import('../../../../support/fake-electron.js'));

beforeEach(() => fake.resetFake());

describe('power events', () => {
  it('tells the listener when the computer sleeps, wakes and locks its screen', () => {
    const seen: PowerEvent[] = [];
    onPowerEvent((e) => seen.push(e));
    fake.powerMonitor.emit('suspend');
    fake.powerMonitor.emit('resume');
    fake.powerMonitor.emit('lock-screen');
    expect(seen).toEqual(['suspend', 'resume', 'lock-screen']);
  });

  it('stops telling once the listener is removed', () => {
    const seen: PowerEvent[] = [];
    const stop = onPowerEvent((e) => seen.push(e));
    stop();
    fake.powerMonitor.emit('resume');
    expect(seen).toEqual([]);
  });
});
