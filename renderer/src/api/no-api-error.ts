/** Thrown when no transport to the main process exists: the app shows its fatal screen instead. */
export class NoApiError extends Error {
  constructor(readonly reason: 'no-preload' | 'no-token') {
    super(reason === 'no-preload' ? 'window.kotozute is missing' : 'the dev-web bridge token is missing');
    this.name = 'NoApiError';
  }
}
