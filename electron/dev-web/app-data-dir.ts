/**
 * Where the desk keeps its files when KOTOZUTE_DATA_DIR is not given: the same per-user folder
 * Electron's app.getPath('userData') uses for an app named "Kotozute", so the harness and the
 * desk app agree without the harness importing Electron.
 */
import path from 'node:path';

export const APP_FOLDER = 'Kotozute';

/** The per-user app-data folder for this platform. */
export function defaultDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_FOLDER);
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', APP_FOLDER);
  }
  const config = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(config, APP_FOLDER);
}
