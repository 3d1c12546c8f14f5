/**
 * The session's permission handlers, driven by the one table of what the renderer asks for
 * (shared/desk-permissions.ts): a permission is granted only when its row says so, only to the main
 * frame of one of our app:// pages, and `media` only for audio. Everything else is refused, in the
 * request handler and the check handler alike (Chromium consults both).
 */
import type { Session } from 'electron';
import { DESK_PERMISSIONS, type DeskPermission } from '../../../shared/desk-permissions.js';
import { APP_ORIGIN, isAppUrl } from './app-origin.js';

const ROWS = new Map<string, DeskPermission>(DESK_PERMISSIONS.map((p) => [p.name, p]));

export interface PermissionQuestion {
  permission: string;
  /** The requesting page's URL or origin. */
  from: string | undefined;
  isMainFrame: boolean | undefined;
  /** `media` only: the kinds asked for (request) or the one checked (check). */
  mediaTypes: readonly string[] | undefined;
}

function isOurs(originOrUrl: string | undefined): boolean {
  return originOrUrl === APP_ORIGIN || isAppUrl(originOrUrl);
}

/** Audio capture only: a request that includes video (or names nothing) is refused whole. */
function isAudioOnly(mediaTypes: readonly string[] | undefined): boolean {
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'audio');
}

/** The one decision both handlers make. */
export function isPermissionGranted(q: PermissionQuestion): boolean {
  const row = ROWS.get(q.permission);
  if (!row?.granted) return false;
  if (q.isMainFrame !== true || !isOurs(q.from)) return false;
  if (row.condition === 'app-origin, audio only') return isAudioOnly(q.mediaTypes);
  return true;
}

/** Installs the request and check handlers on a session. */
export function installPermissionHandlers(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      isPermissionGranted({
        permission,
        from: details.requestingUrl,
        isMainFrame: details.isMainFrame,
        mediaTypes: 'mediaTypes' in details ? details.mediaTypes : undefined,
      }),
    );
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionGranted({
      permission,
      from: requestingOrigin,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType === undefined ? undefined : [details.mediaType],
    }),
  );
}
