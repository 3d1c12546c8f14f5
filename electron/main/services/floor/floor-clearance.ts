/**
 * Clearing the floor (issue 10 §4, and the "busy" rule of §6), both ends:
 *
 * - shift lead desk: `command()` signs one clearance command per target desk with the signed-in shift
 *   lead's key (one token per desk: bounded in size, and never valid at another desk), and keeps the
 *   live status — clearing until the desk answers, offline when the send failed or no answer came
 *   within CLEARANCE_ANSWER_MS. `receiveReport()` keeps a report only when the roster's key for that
 *   desk signed it, it answers the nonce sent to that desk, and (when cleared) its deletion record is
 *   that desk's and signed by the same key.
 * - target desk: `receiveCommand()` checks the command (signature against the roster person key, role
 *   shift-lead, fresh within ±CLEARANCE_FRESHNESS_MS, single use, this desk among the targets, from a
 *   roster desk). Busy (a call in progress or a note being typed) → it answers "busy" and keeps the
 *   command pending (one, expiring after PENDING_CLEARANCE_MS) until `activity()` says idle. Idle →
 *   nothing undelivered: it clears (the engine, no settlements, confirmed by the command's shift lead)
 *   and reports its record; something undelivered: it clears nothing, reports the counts and tells its
 *   own operator (`onNeedsAttention`).
 *
 * Every refused command is one audit event (closed reason code). Reports go to the lead desk's SIP URI
 * as messages for the renderer to send: main has no SIP of its own.
 */
import { randomBytes } from 'node:crypto';
import {
  CLEARANCE_FRESHNESS_MS,
  type ClearanceCommandPayload,
  type ClearanceReportPayload,
  type DeskActivity,
  type UndeliveredCounts,
} from '../../../../shared/floor/wire.js';
import type { DeletionRecord } from '../../../../shared/clearance/schema.js';
import { CLEARANCE_ANSWER_MS, type ClearanceMessage, type FloorClearanceRow, type FloorClearanceView } from '../../../../shared/ipc/floor-clearance-contract.js';
import type { FloorMessage } from '../../../../shared/ipc/floor-contract.js';
import { recordHash, verifyRecordSignature } from '../clearance/deletion-record.js';
import type { FloorIdentity } from '../roster/floor-identity.js';
import { readToken, signToken } from './floor-token.js';
import { NonceCache } from './nonce-cache.js';
import { RosterKeys } from './roster-keys.js';

/** How long a busy desk keeps a command to run when it is idle again. */
export const PENDING_CLEARANCE_MS = 2 * 60 * 60_000;

/** Why a clearance command or report was refused (audit reason codes). */
export type ClearanceRefusal =
  | 'no-roster'
  | 'malformed'
  | 'wrong-kind'
  | 'unknown-person'
  | 'unknown-desk'
  | 'bad-signature'
  | 'stale'
  | 'replayed'
  | 'role-not-allowed'
  | 'wrong-desk';

/** What the clearance needs of this desk's notes (electron/main/services/floor-clearance-port.ts). */
export interface DeskClearancePort {
  /** Undelivered messages by state; null when the vault is not open (nothing can be cleared). */
  undelivered(): Promise<UndeliveredCounts | null>;
  /** Clears the desk (no settlements: nothing is undelivered), confirmed by the command's shift lead. */
  clear(confirmedBy: string): Promise<DeletionRecord>;
}

export interface FloorClearanceOptions {
  identity: FloorIdentity;
  now: () => number;
  /** This desk's notes; none = a desk that cannot clear (it reports "failed"). */
  port?: DeskClearancePort;
  /** The shift lead's live status changed. */
  onStatus?: (status: FloorClearanceView) => void;
  /** A command found undelivered messages here: the operator should see why nothing was cleared. */
  onNeedsAttention?: (info: { by: string; at: number; counts: UndeliveredCounts }) => void;
  /** A command or report refused, for the audit trail. */
  onRefused?: (what: 'command' | 'report', reason: ClearanceRefusal) => void;
  answerMs?: number;
  pendingMs?: number;
}

export type CommandResult =
  | { ok: true; messages: ClearanceMessage[]; status: FloorClearanceView }
  | { ok: false; reason: 'no-roster' | 'not-signed-in' | 'role-not-allowed' | 'unknown-desk' | 'no-desks' | 'confirm' };

export interface DeliverResult {
  outcome: 'clearance' | 'clearance-report' | 'dropped' | 'ignored';
  messages: FloorMessage[];
}

const BUSY: ReadonlySet<DeskActivity> = new Set(['ringing', 'talking', 'wrap-up']);

interface Pending {
  command: ClearanceCommandPayload;
  until: number;
}

interface RoundRow extends FloorClearanceRow {
  nonce: string;
  sentAt: number;
}

export class FloorClearance {
  private readonly keys = new RosterKeys();
  private readonly nonces = new NonceCache(2 * CLEARANCE_FRESHNESS_MS + 1_000, 10_000);
  private round: { by: string; leadDesk: string; startedAt: number; rows: Map<string, RoundRow> } | null = null;
  private busy = false;
  private running = false;
  private pending: Pending | null = null;

  constructor(private readonly o: FloorClearanceOptions) {}

  // ——— shift lead desk ———

  /** Signs one command per target desk (`confirm` must be their number, as typed). */
  command(args: { desks?: readonly string[] | undefined; confirm: string }): CommandResult {
    const roster = this.o.identity.roster();
    const me = this.o.identity.thisDesk();
    if (!roster || !me) return { ok: false, reason: 'no-roster' };
    const who = this.o.identity.signedIn();
    if (!who) return { ok: false, reason: 'not-signed-in' };
    if (!who.person.roles.includes('shift-lead')) return { ok: false, reason: 'role-not-allowed' };
    const wanted = args.desks ? new Set(args.desks) : null;
    if (wanted && [...wanted].some((id) => id === me.id || !roster.desks.some((d) => d.id === id))) return { ok: false, reason: 'unknown-desk' };
    const targets = roster.desks.filter((d) => d.id !== me.id && (!wanted || wanted.has(d.id)));
    if (targets.length === 0) return { ok: false, reason: 'no-desks' };
    if (args.confirm.trim() !== String(targets.length)) return { ok: false, reason: 'confirm' };
    const sentAt = this.o.now();
    const rows = new Map<string, RoundRow>();
    const messages: ClearanceMessage[] = targets.map((desk) => {
      const command: ClearanceCommandPayload = {
        kind: 'clearance',
        v: 1,
        person: who.person.id,
        leadDesk: me.id,
        targets: [desk.id],
        sentAt,
        nonce: randomBytes(16).toString('base64url'),
      };
      rows.set(desk.id, { deskId: desk.id, deskName: desk.name, status: 'clearing', at: sentAt, counts: null, record: null, recordHash: null, nonce: command.nonce, sentAt });
      return { deskId: desk.id, nonce: command.nonce, to: desk.sipUri, token: signToken(command, who.key) };
    });
    this.round = { by: who.person.id, leadDesk: me.id, startedAt: sentAt, rows };
    const status = this.status();
    this.o.onStatus?.(status);
    return { ok: true, messages, status };
  }

  /** The command to `deskId` could not be sent: offline (unless it answered meanwhile). */
  unsent(deskId: string, nonce: string): FloorClearanceView {
    const row = this.round?.rows.get(deskId);
    if (row && row.nonce === nonce && row.status === 'clearing') this.set(row, { status: 'offline' });
    return this.status();
  }

  /** A report arrived at the shift lead desk. */
  receiveReport(token: string): DeliverResult {
    const dropped = (reason: ClearanceRefusal): DeliverResult => {
      this.o.onRefused?.('report', reason);
      return { outcome: 'dropped', messages: [] };
    };
    const roster = this.o.identity.roster();
    const me = this.o.identity.thisDesk();
    if (!roster || !me) return dropped('no-roster');
    const keys = this.keys.use(roster);
    const read = readToken(token, keys.keyOf);
    if (!read.ok) return dropped(read.reason === 'unknown-signer' ? 'unknown-desk' : read.reason === 'bad-signature' ? 'bad-signature' : 'malformed');
    const report = read.payload;
    if (report.kind !== 'clearance-report') return dropped('wrong-kind');
    if (report.leadDesk !== me.id) return dropped('wrong-desk');
    const row = this.round?.rows.get(report.deskId);
    // Only an answer to the command sent to that very desk: a replay of an older round, or another desk's, is not.
    if (!row || row.nonce !== report.nonce) return dropped('replayed');
    if (row.status === 'cleared') return dropped('replayed');
    if (report.status === 'cleared') {
      const record = report.record;
      const key = keys.keyOf({ kind: 'desk', id: report.deskId });
      if (!record || !key || record.deskId !== report.deskId || !verifyRecordSignature(record, key)) return dropped('bad-signature');
      this.set(row, { status: 'cleared', record, recordHash: recordHash(record), counts: null });
    } else if (report.status === 'needs-attention') {
      if (!report.counts) return dropped('malformed');
      this.set(row, { status: 'needs-attention', counts: report.counts });
    } else {
      this.set(row, { status: report.status });
    }
    return { outcome: 'clearance-report', messages: [] };
  }

  /** Desks silent for longer than the answer time since their command show as offline. */
  sweep(): void {
    if (!this.round) return;
    const now = this.o.now();
    const answerMs = this.o.answerMs ?? CLEARANCE_ANSWER_MS;
    let changed = false;
    for (const row of this.round.rows.values()) {
      if (row.status === 'clearing' && now - row.sentAt > answerMs) {
        row.status = 'offline';
        row.at = now;
        changed = true;
      }
    }
    if (changed) this.o.onStatus?.(this.status());
    if (this.pending && this.pending.until <= now) this.pending = null;
  }

  status(): FloorClearanceView {
    if (!this.round) return { round: null, rows: [] };
    const { by, leadDesk, startedAt } = this.round;
    return {
      round: { by, leadDesk, startedAt },
      rows: [...this.round.rows.values()].map(({ nonce: _n, sentAt: _s, ...row }) => row),
    };
  }

  private set(row: RoundRow, change: Partial<FloorClearanceRow>): void {
    Object.assign(row, change, { at: this.o.now() });
    this.o.onStatus?.(this.status());
  }

  // ——— target desk ———

  /** A clearance command arrived at this desk. */
  async receiveCommand(token: string): Promise<DeliverResult> {
    const checked = this.check(token);
    if (!checked.ok) {
      this.o.onRefused?.('command', checked.reason);
      return { outcome: 'dropped', messages: [] };
    }
    const command = checked.command;
    if (this.running) return { outcome: 'ignored', messages: [] };
    if (this.busy) {
      this.pending = { command, until: this.o.now() + (this.o.pendingMs ?? PENDING_CLEARANCE_MS) };
      return { outcome: 'clearance', messages: this.reply(command, 'busy') };
    }
    return { outcome: 'clearance', messages: await this.run(command) };
  }

  /**
   * What the renderer says this desk is doing (every floor report). Going idle with a command pending
   * runs it; the report is returned for the renderer to send.
   */
  async activity(activity: DeskActivity): Promise<FloorMessage[]> {
    this.busy = BUSY.has(activity);
    const pending = this.pending;
    if (this.busy || this.running || !pending) return [];
    this.pending = null;
    if (pending.until <= this.o.now()) return [];
    return this.run(pending.command);
  }

  /** Whether a command waits for this desk to be idle (tests, the desk's own notice). */
  get hasPending(): boolean {
    return this.pending !== null;
  }

  private check(token: string): { ok: true; command: ClearanceCommandPayload } | { ok: false; reason: ClearanceRefusal } {
    const roster = this.o.identity.roster();
    const me = this.o.identity.thisDesk();
    if (!roster || !me) return { ok: false, reason: 'no-roster' };
    const keys = this.keys.use(roster);
    const read = readToken(token, keys.keyOf);
    if (!read.ok) return { ok: false, reason: read.reason === 'unknown-signer' ? 'unknown-person' : read.reason === 'bad-signature' ? 'bad-signature' : 'malformed' };
    const command = read.payload;
    if (command.kind !== 'clearance') return { ok: false, reason: 'wrong-kind' };
    if (!keys.person(command.person)?.roles.includes('shift-lead')) return { ok: false, reason: 'role-not-allowed' };
    if (!keys.desk(command.leadDesk)) return { ok: false, reason: 'unknown-desk' };
    if (!command.targets.includes(me.id)) return { ok: false, reason: 'wrong-desk' };
    const now = this.o.now();
    if (Math.abs(now - command.sentAt) > CLEARANCE_FRESHNESS_MS) return { ok: false, reason: 'stale' };
    if (!this.nonces.use(command.nonce, now)) return { ok: false, reason: 'replayed' };
    return { ok: true, command };
  }

  private async run(command: ClearanceCommandPayload): Promise<FloorMessage[]> {
    const port = this.o.port;
    if (!port) return this.reply(command, 'failed');
    this.running = true;
    try {
      const counts = await port.undelivered();
      if (!counts) return this.reply(command, 'failed');
      if (counts.draft + counts.ready + counts.handingOff + counts.failed > 0) {
        try {
          this.o.onNeedsAttention?.({ by: command.person, at: this.o.now(), counts });
        } catch {
          // the operator's notice is a courtesy; the shift lead is told either way
        }
        return this.reply(command, 'needs-attention', { counts });
      }
      const record = await port.clear(command.person);
      return this.reply(command, 'cleared', { record });
    } catch {
      return this.reply(command, 'failed');
    } finally {
      this.running = false;
    }
  }

  private reply(command: ClearanceCommandPayload, status: ClearanceReportPayload['status'], extra: { record?: DeletionRecord; counts?: UndeliveredCounts } = {}): FloorMessage[] {
    const me = this.o.identity.thisDesk();
    const lead = this.keys.desk(command.leadDesk);
    if (!me || !lead) return [];
    const report: ClearanceReportPayload = {
      kind: 'clearance-report',
      v: 1,
      deskId: me.id,
      leadDesk: command.leadDesk,
      nonce: command.nonce,
      sentAt: this.o.now(),
      status,
      record: extra.record ?? null,
      counts: extra.counts ?? null,
    };
    return [{ to: lead.sipUri, token: signToken(report, this.o.identity.deskKey()) }];
  }
}
