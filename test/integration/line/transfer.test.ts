// Transfers from the desk through a real Kamailio: blind (REFER) and attended (consult, then REFER
// with Replaces). The caller acts as a transferee does — accepts the REFER and calls the target —
// and a user agent registered as the staff member's hidden target receives the call.
import { describe, expect, it } from 'vitest';
import { SessionState, type Invitation, type Inviter, type Referral } from 'sip.js';
import { sessionReaches } from '../../support/sip-node-ua.js';
import { nextRinging, registered, useLineHarness, waitForCall } from './line-fixture.js';

const h = useLineHarness();

/** Makes the caller's session follow a REFER the way a phone does; resolves with the Referral. */
function actAsTransferee(inviter: Inviter): Promise<Referral> {
  return new Promise((resolve) => {
    inviter.delegate = {
      ...inviter.delegate,
      onRefer: (referral) => {
        void referral.accept().then(() => referral.makeInviter().invite());
        resolve(referral);
      },
    };
  });
}

describe('transferring a caller to a staff member', () => {
  it('blind: REFERs the caller to the target, which receives the call, and frees the desk', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua: caller } = await h.caller();
    const { ua: staff, user: staffUser } = await h.caller('staff');

    const ringing = nextRinging(line);
    const inviter = await caller.call(user.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
    const call = await ringing;
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);

    const referral = actAsTransferee(inviter);
    const atTarget = staff.nextInvite();
    await call.blindTransfer(staffUser.user);

    expect((await referral).referTo.uri.user).toBe(staffUser.user);
    const invitation = await atTarget;
    expect(invitation.request.from.uri.user).toBe(inviter.localIdentity.uri.user);
    expect(invitation.request.getHeader('Referred-By')).toContain(user.user);
    await waitForCall(line, call.id, (c) => c.info.state === 'ended', 'the desk call to end');
    expect(line.call(call.id)?.info.endReason).toBe('transferred');
    // The hidden target never reaches what the UI observes.
    expect(JSON.stringify(line.state)).not.toContain(staffUser.user);
    await invitation.reject({ statusCode: 486 });
  });

  it('attended: consults the target, then REFERs with Replaces; the target takes the caller over', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua: caller } = await h.caller();
    const { ua: staff, user: staffUser } = await h.caller('staff');

    const ringing = nextRinging(line);
    const inviter = await caller.call(user.user, { extraHeaders: ['X-Called-Number: 0312345678'] });
    const call = await ringing;
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);

    // Step one: the desk holds the caller and calls the staff member, who answers.
    const consultAtTarget = staff.nextInvite();
    const consultation = await call.consult(staffUser.user);
    expect(call.info.state).toBe('held');
    expect(consultation.info).toMatchObject({ direction: 'outgoing', state: 'ringing', consultFor: call.id });
    expect(line.call(call.id)?.info.consultation).toBe(consultation.id);
    const consultInvitation = await consultAtTarget;
    await consultInvitation.accept();
    await waitForCall(line, consultation.id, (c) => c.info.state === 'active', 'the consultation to connect');

    // Step two: REFER with Replaces. The target gets the caller's INVITE replacing the consultation,
    // takes it, and ends the replaced dialog (what a Replaces-capable phone does).
    const referral = actAsTransferee(inviter);
    const replacing = new Promise<Invitation>((resolve) => staff.onInvite(resolve));
    await call.completeTransfer();

    expect((await referral).replaces).toBeTruthy();
    const takeover = await replacing;
    const replaces = takeover.request.getHeader('Replaces') ?? '';
    expect(replaces).toContain(consultInvitation.request.callId);
    expect(takeover.request.from.uri.user).toBe(inviter.localIdentity.uri.user);
    await takeover.accept();
    await consultInvitation.bye();

    await waitForCall(line, call.id, (c) => c.info.state === 'ended', 'the caller leg to end');
    await waitForCall(line, consultation.id, (c) => c.info.state === 'ended', 'the consultation to end');
    expect(line.call(call.id)?.info.endReason).toBe('transferred');
    expect(line.call(consultation.id)?.info.endReason).toBe('transferred');
    await sessionReaches(takeover, SessionState.Established);
    expect(JSON.stringify(line.state)).not.toContain(staffUser.user);
    await takeover.bye();
  });

  it('refuses a transfer target that is not an address, without naming it', async () => {
    const { line, user } = await h.desk();
    await registered(line);
    const { ua: caller } = await h.caller();
    const ringing = nextRinging(line);
    const inviter = await caller.call(user.user);
    const call = await ringing;
    await call.answer();
    await sessionReaches(inviter, SessionState.Established);
    const error = await call.blindTransfer('090 1234 <5678>').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain('5678');
    expect(call.info.state).toBe('active');
  });
});
