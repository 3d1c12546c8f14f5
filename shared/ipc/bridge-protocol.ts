/**
 * The dev-web bridge's wire format: the typed API carried over a loopback WebSocket instead of
 * Electron IPC. Development and test only; the Electron build never opens this socket.
 *
 * The page learns the per-run token from its URL fragment (`#token=…`), which browsers never send
 * to a server, and presents it in the WebSocket URL: ws://127.0.0.1:PORT/bridge?token=…
 */
import { z } from 'zod';
import { Envelope } from './errors.js';

export const BRIDGE_PATH = '/bridge';

export const BridgeRequest = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(64),
  arg: z.unknown().optional(),
});
export type BridgeRequest = z.infer<typeof BridgeRequest>;

export const BridgeResponse = z.object({
  id: z.number().int().nonnegative(),
  envelope: Envelope,
});
export type BridgeResponse = z.infer<typeof BridgeResponse>;

/**
 * A frame the harness pushes without being asked: a desk event (shared/ipc/desk-events.ts), the
 * bridge's stand-in for Electron's webContents.send. It is marked `push` and has no `id`, so it can
 * never be taken for a reply. `event` is left unchecked here on purpose: the page checks it against
 * DeskEvent and drops what it does not understand, exactly as the preload does.
 */
export const BridgePush = z.object({
  push: z.literal('desk-event'),
  event: z.unknown(),
});
export type BridgePush = z.infer<typeof BridgePush>;
