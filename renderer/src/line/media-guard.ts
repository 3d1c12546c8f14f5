/**
 * Turns a session description the desk cannot accept into 488 Not Acceptable Here. sip.js answers
 * an initial INVITE whose offer its handler refuses with 480 Temporarily Unavailable, which tells
 * the caller's PBX to try again later — wrong for media that will never work. The guard wraps the
 * handler so that refusal of the initial offer is answered 488 first; sip.js then sees the
 * invitation already terminated and only logs.
 */
import { Invitation, SessionState, type Session, type SessionDescriptionHandlerFactory } from 'sip.js';

/** Sessions whose offer the handler refused (the line reports them as ended for `media`). */
export const mediaRefused = new WeakSet<Session>();

/** Wraps a session description handler factory with the 488 rule above. */
export function guardMedia(factory: SessionDescriptionHandlerFactory): SessionDescriptionHandlerFactory {
  return (session, options) => {
    const handler = factory(session, options);
    const setDescription = handler.setDescription.bind(handler);
    // Replacing the method on the instance keeps everything else the platform handler offers
    // (remote media stream, sender tracks) reachable.
    handler.setDescription = async (sdp, descriptionOptions, modifiers) => {
      try {
        await setDescription(sdp, descriptionOptions, modifiers);
      } catch (error) {
        if (session instanceof Invitation && session.state === SessionState.Establishing) {
          mediaRefused.add(session);
          await session.reject({ statusCode: 488 }).catch(() => undefined);
        }
        throw error;
      }
    };
    return handler;
  };
}
