/**
 * The floor's name for a live call (shared/floor/wire.ts CallRef): random, minted by the desk when
 * the call starts, carried in desk states and in the monitor requests that target the call. Never
 * the caller's number, and not the SIP Call-ID either, so nothing on the floor can be tied back to a
 * SIP trace.
 */
export function newCallRef(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
