/**
 * Who hears whom, for the media tests of listen / whisper / barge (monitor-calls.spec.ts,
 * supervisor-calls.spec.ts): each party has its own tone, levels are measured in dBFS by
 * support/tone-levels.ts, and a test polls until every party hears (or does not hear) what it expects.
 */
import { expect, type Page } from '@playwright/test';
import { TONE_LEVELS_JS } from './tone-levels.js';

export const CALLER_HZ = 440;
export const OPERATOR_HZ = 880;
export const SUPERVISOR_HZ = 1320;
export const FREQS = [CALLER_HZ, OPERATOR_HZ, SUPERVISOR_HZ];
/** A tone at or above this (dBFS) is heard; at or below SILENT it is not. */
export const HEARD = -55;
export const SILENT = -75;

/** What the operator hears: every unmuted call or monitor audio element of the desk page. */
export function operatorHears(desk: Page, ms = 1500): Promise<number[]> {
  const streams = `[...document.querySelectorAll('audio[data-remote-audio], audio[data-monitor-audio]')].filter((a) => !a.muted && a.srcObject).map((a) => a.srcObject)`;
  return desk.evaluate(`(${TONE_LEVELS_JS})(${streams}, ${JSON.stringify(FREQS)}, ${ms})`);
}

/** Each party's level of each tone of FREQS. */
export type Levels<P extends string> = Record<P, number[]>;
/** party → tone (Hz) → whether it must be heard. */
export type Expected<P extends string> = { [K in P]?: Partial<Record<number, boolean>> };

/** Polls `measure` until every party hears (or not) what `expected` says; logs and returns the last levels. */
export async function expectHearing<P extends string>(label: string, measure: () => Promise<Levels<P>>, what: string, expected: Expected<P>): Promise<Levels<P>> {
  let last: Levels<P> | undefined;
  const ok = (heard: Levels<P>): boolean =>
    (Object.entries(expected) as [P, Partial<Record<number, boolean>>][]).every(([party, tones]) =>
      Object.entries(tones).every(([hz, yes]) => {
        const level = heard[party][FREQS.indexOf(Number(hz))] ?? -200;
        return yes ? level >= HEARD : level <= SILENT;
      }),
    );
  await expect
    .poll(
      async () => {
        last = await measure();
        return ok(last);
      },
      { timeout: 20_000, intervals: [250], message: `${what}: ${JSON.stringify(last)}` },
    )
    .toBe(true);
  console.log(`[${label}] ${what}: ${JSON.stringify(last)}`);
  return last!;
}
