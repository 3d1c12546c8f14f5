/**
 * The one fake in the project: a small in-memory stand-in for the parts of the `electron` module
 * the platform glue uses, because the Electron binary cannot run here. It records what the glue
 * asked for and lets a test play the part of Chromium (navigate, request a permission, send an
 * IPC call from some frame, fetch a URL of the app protocol).
 *
 * Use it with `vi.mock('electron', () => import('<relative path>/support/fake-electron.js'))`
 * and call `resetFake()` before each test.
 */

// Listeners are stored untyped: the glue registers Electron-typed callbacks, the fake calls them
// with the arguments Electron documents.
type Listener = (...args: never[]) => unknown;
type Call = (...args: unknown[]) => unknown;

export class FakeEmitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    const wrapper = (...args: unknown[]) => {
      this.off(name, wrapper);
      return (listener as Call)(...args);
    };
    return this.on(name, wrapper);
  }

  off(name: string, listener: Listener): this {
    this.listeners.set(name, (this.listeners.get(name) ?? []).filter((l) => l !== listener));
    return this;
  }

  removeListener(name: string, listener: Listener): this {
    return this.off(name, listener);
  }

  emit(name: string, ...args: unknown[]): boolean {
    const current = this.listeners.get(name) ?? [];
    for (const listener of current) (listener as Call)(...args);
    return current.length > 0;
  }

  listenerCount(name: string): number {
    return this.listeners.get(name)?.length ?? 0;
  }

  removeAllListeners(): this {
    this.listeners.clear();
    return this;
  }
}

/** An Electron event: the glue refuses something by calling preventDefault(). */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent<T extends object>(fields: T = {} as T): FakeEvent & T {
  const event = {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
  };
  return event;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

let nextId = 1;

export class FakeWebFrameMain {
  constructor(
    public url: string,
    readonly parent: FakeWebFrameMain | null,
    readonly processId: number,
    readonly routingId: number,
  ) {}

  /** What this frame printed to PDF (Electron's default: it does, when asked). */
  readonly pdfs: number[] = [];

  printToPDF(): Promise<Buffer> {
    this.pdfs.push(this.routingId);
    return Promise.resolve(Buffer.from('%PDF-1.7 fake'));
  }
}

export type WindowOpenHandler = (details: { url: string }) => { action: 'allow' | 'deny' };

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  readonly mainFrame = new FakeWebFrameMain('about:blank', null, this.id, 1);
  windowOpenHandler: WindowOpenHandler | null = null;
  /** What the main process sent to this page with `send` (main → renderer messages), in order. */
  readonly sent: { channel: string; args: unknown[] }[] = [];

  /**
   * `webContents.send`: recorded, and delivered to the preload's `ipcRenderer.on` listeners when the
   * preload runs in this page (see `preloadRunsIn`). Like Electron, arguments cross as structured clones.
   */
  send(channel: string, ...args: unknown[]): void {
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    if (ipcRenderer.page === this) ipcRenderer.receive(channel, ...structuredClone(args));
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  /** Every URL the glue loaded into this page, in order. */
  readonly loads: string[] = [];

  /** What reached Chromium's printing: 'print' and 'pdf', in order (Electron's default prints when asked). */
  readonly printed: string[] = [];

  print(_options?: unknown, callback?: (success: boolean, failureReason: string) => void): void {
    this.printed.push('print');
    callback?.(true, '');
  }

  printToPDF(): Promise<Buffer> {
    this.printed.push('pdf');
    return Promise.resolve(Buffer.from('%PDF-1.7 fake'));
  }

  /** The page made an <iframe> (Electron's 'frame-created'). */
  createFrame(url: string): FakeWebFrameMain {
    const frame = this.childFrame(url);
    this.emit('frame-created', fakeEvent(), { frame });
    return frame;
  }

  loadURL(url: string): Promise<void> {
    this.loads.push(url);
    this.mainFrame.url = url;
    return Promise.resolve();
  }

  /** `forcefullyCrashRenderer`: like Chromium, the renderer goes with reason 'killed'. */
  forcefullyCrashRenderer(): void {
    this.crashRenderer('killed');
  }

  /** The renderer process goes away (Chromium's 'render-process-gone'). */
  crashRenderer(reason = 'crashed', exitCode = 139): void {
    this.emit('render-process-gone', fakeEvent(), { reason, exitCode });
  }

  /** A main-frame load fails (Chromium's 'did-fail-load'; -3 is ERR_ABORTED, -6 ERR_FILE_NOT_FOUND). */
  failLoad(errorCode = -6, url = this.mainFrame.url): void {
    this.emit('did-fail-load', fakeEvent(), errorCode, 'failed', url, true);
  }

  /** A key reaches the page ('before-input-event'); true when the glue let the page have it. */
  pressKey(input: { key: string; code?: string; control?: boolean; meta?: boolean; shift?: boolean; alt?: boolean; type?: string }): boolean {
    const event = fakeEvent();
    this.emit('before-input-event', event, {
      type: 'keyDown',
      code: '',
      control: false,
      meta: false,
      shift: false,
      alt: false,
      isAutoRepeat: false,
      isComposing: false,
      location: 0,
      modifiers: [],
      ...input,
    });
    return !event.defaultPrevented;
  }

  isDestroyed(): boolean {
    return false;
  }

  /** An <iframe> inside this page. */
  childFrame(url: string): FakeWebFrameMain {
    return new FakeWebFrameMain(url, this.mainFrame, this.id, nextId++);
  }

  /** The page tries to navigate; true when the glue let it. */
  navigate(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true });
    this.emit('will-navigate', event, url);
    return !event.defaultPrevented;
  }

  /** A server redirect during navigation; true when the glue let it. */
  redirect(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true });
    this.emit('will-redirect', event, url);
    return !event.defaultPrevented;
  }

  /** `window.open(url)` from the page: what the handler decided (Electron's default is allow). */
  openWindow(url: string): 'allow' | 'deny' {
    return this.windowOpenHandler?.({ url }).action ?? 'allow';
  }

  /** A <webview> tries to attach; true when the glue let it. */
  attachWebview(src: string): boolean {
    const event = fakeEvent();
    this.emit('will-attach-webview', event, {}, { src });
    return !event.defaultPrevented;
  }

  /** `navigator.bluetooth.requestDevice()`: the device id the glue chose ('' = cancelled). */
  chooseBluetoothDevice(deviceIds: string[]): { prevented: boolean; chosen: string | undefined } {
    const event = fakeEvent();
    let chosen: string | undefined;
    this.emit('select-bluetooth-device', event, deviceIds.map((deviceId) => ({ deviceId, deviceName: deviceId })), (id: string) => {
      chosen = id;
    });
    return { prevented: event.defaultPrevented, chosen };
  }
}

export type WindowOptions = Record<string, unknown> & Partial<Rect> & { webPreferences?: Record<string, unknown> };

export class FakeBrowserWindow extends FakeEmitter {
  static readonly all: FakeBrowserWindow[] = [];

  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }

  static fromWebContents(contents: FakeWebContents): FakeBrowserWindow | null {
    return FakeBrowserWindow.getAllWindows().find((w) => w.webContents === contents) ?? null;
  }

  readonly webContents = new FakeWebContents();
  contentProtection = false;
  maximized = false;
  minimized = false;
  shown = false;
  focused = false;
  destroyed = false;
  bounds: Rect;

  constructor(readonly options: WindowOptions = {}) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    FakeBrowserWindow.all.push(this);
    // As Electron does: the app hears of every web contents and window as it is made.
    app.emit('web-contents-created', fakeEvent(), this.webContents);
    app.emit('browser-window-created', fakeEvent(), this);
  }

  loadURL(url: string): Promise<void> {
    return this.webContents.loadURL(url);
  }
  setContentProtection(enable: boolean): void {
    this.contentProtection = enable;
  }
  maximize(): void {
    this.maximized = true;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  isVisible(): boolean {
    return this.shown;
  }
  focus(): void {
    this.focused = true;
  }
  setBounds(bounds: Rect): void {
    this.bounds = bounds;
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    this.emit('close', fakeEvent());
    this.destroyed = true;
    this.emit('closed');
  }
}

type PermissionRequestHandler = (
  contents: FakeWebContents | null,
  permission: string,
  callback: (granted: boolean) => void,
  details: Record<string, unknown>,
) => void;
type PermissionCheckHandler = (
  contents: FakeWebContents | null,
  permission: string,
  requestingOrigin: string,
  details: Record<string, unknown>,
) => boolean;
type DevicePermissionHandler = (details: Record<string, unknown>) => boolean;

export class FakeSession extends FakeEmitter {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  devicePermissionHandler: DevicePermissionHandler | null = null;

  /** What the glue cleared, in order: `storage:<kind>`, `cache`, `code-cache`. */
  readonly cleared: string[] = [];
  /** A test sets it to make the next clear fail, as a busy profile can. */
  clearFails: Error | null = null;

  clearStorageData(options: { storages?: string[] } = {}): Promise<void> {
    if (this.clearFails) return Promise.reject(this.clearFails);
    for (const kind of options.storages ?? ['all']) this.cleared.push(`storage:${kind}`);
    return Promise.resolve();
  }
  clearCache(): Promise<void> {
    this.cleared.push('cache');
    return Promise.resolve();
  }
  clearCodeCaches(options: { urls?: string[] }): Promise<void> {
    this.cleared.push(options.urls && options.urls.length > 0 ? `code-cache:${options.urls.join(',')}` : 'code-cache');
    return Promise.resolve();
  }

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: DevicePermissionHandler | null): void {
    this.devicePermissionHandler = handler;
  }

  /**
   * A page asks for a permission (e.g. getUserMedia); resolves to the glue's answer. Like Electron,
   * the details always say whether the main frame asked (the main frame unless a test says not).
   */
  requestPermission(permission: string, details: Record<string, unknown>): Promise<boolean> {
    const handler = this.permissionRequestHandler;
    if (!handler) return Promise.resolve(true); // Electron grants everything without a handler
    return new Promise((resolve) => handler(null, permission, resolve, { isMainFrame: true, ...details }));
  }

  /** Chromium checks a permission synchronously (e.g. enumerateDevices); main frame unless said. */
  checkPermission(permission: string, requestingOrigin: string, details: Record<string, unknown> = {}): boolean {
    return this.permissionCheckHandler?.(null, permission, requestingOrigin, { isMainFrame: true, ...details }) ?? true;
  }

  /** A device chooser opens ('select-hid-device', 'select-usb-device', 'select-serial-port'). */
  chooseDevice(name: string): { prevented: boolean; answered: boolean; chosen: unknown } {
    const event = fakeEvent();
    let answered = false;
    let chosen: unknown;
    const callback = (id?: unknown) => {
      answered = true;
      chosen = id;
    };
    const devices = [{ deviceId: 'dev-1' }];
    if (name === 'select-serial-port') this.emit(name, event, [{ portId: 'port-1' }], null, callback);
    else this.emit(name, event, { deviceList: devices, frame: null }, callback);
    return { prevented: event.defaultPrevented, answered, chosen };
  }

  /** A download starts; true when the glue let it. */
  download(url: string): boolean {
    const event = fakeEvent();
    this.emit('will-download', event, { getURL: () => url }, null, null);
    return !event.defaultPrevented;
  }
}

export const session = { defaultSession: new FakeSession() };

export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeWebFrameMain | null;
  processId: number;
  frameId: number;
}
type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
  /** What a renderer's ipcRenderer.invoke would get, sent from `frame` of `sender`. */
  async invokeFrom(sender: FakeWebContents, frame: FakeWebFrameMain | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
    // Like Electron, arguments and the answer cross the boundary as structured clones.
    const event: FakeInvokeEvent = { sender, senderFrame: frame, processId: sender.id, frameId: frame?.routingId ?? 0 };
    return structuredClone(await handler(event, ...structuredClone(args)));
  },
};

type IpcRendererListener = (event: FakeIpcRendererEvent, ...args: unknown[]) => void;

export const ipcRenderer = {
  /** The page the preload runs in; a test sets it (see `preloadRunsIn`). */
  page: null as FakeWebContents | null,
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    if (!this.page) return Promise.reject(new Error('fake-electron: no page for ipcRenderer; call preloadRunsIn()'));
    return ipcMain.invokeFrom(this.page, this.page.mainFrame, channel, ...args);
  },
  send(): void {},
  listeners: new Map<string, IpcRendererListener[]>(),
  on(channel: string, listener: IpcRendererListener): void {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
  },
  removeListener(channel: string, listener: IpcRendererListener): void {
    this.listeners.set(channel, (this.listeners.get(channel) ?? []).filter((l) => l !== listener));
  },
  off(channel: string, listener: IpcRendererListener): void {
    this.removeListener(channel, listener);
  },
  /** A message from the main process arrives (what `webContents.send` causes in the page). */
  receive(channel: string, ...args: unknown[]): void {
    // Electron's event carries `sender`, the ipcRenderer itself: exactly what must not leak to a page.
    const event: FakeIpcRendererEvent = { sender: ipcRenderer, senderId: 0, ports: [] };
    for (const listener of [...(this.listeners.get(channel) ?? [])]) listener(event, ...args);
  },
};

/** The event object Electron passes to an `ipcRenderer.on` listener. */
export interface FakeIpcRendererEvent {
  sender: unknown;
  senderId: number;
  ports: unknown[];
}

/** Makes ipcRenderer calls come from the main frame of `contents`. */
export function preloadRunsIn(contents: FakeWebContents): void {
  ipcRenderer.page = contents;
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    this.exposed.set(key, api);
  },
};

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export const protocol = {
  privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    this.privileged.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  },
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  },
  /** What the page would get for `url` (the raw string: Chromium may pass odd escapes through). */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`fake-electron: no handler for ${scheme}:`);
    return handler(new Request(url, init));
  },
};

/** Electron 45's ClipboardItem: MIME type → payload (a string or a Blob). */
export class ClipboardItem {
  readonly types: string[];
  constructor(readonly items: Record<string, string | Blob | Promise<string | Blob>>) {
    this.types = Object.keys(items);
  }
  async getType(type: string): Promise<Blob> {
    if (!(type in this.items)) throw new Error(`fake-electron: no ${type} in this clipboard item`);
    const value = await this.items[type];
    return typeof value === 'string' ? new Blob([value]) : value!;
  }
}

/**
 * The system clipboard, as other programs see it: the entry last written (all its formats), or
 * nothing. `copyElsewhere` plays another program copying.
 */
export const clipboard = {
  entry: null as Record<string, string | Blob> | null,
  writes: 0,
  async write(items: ClipboardItem[]): Promise<void> {
    const entry: Record<string, string | Blob> = {};
    for (const item of items) for (const type of item.types) entry[type] = (await item.items[type])!;
    this.entry = entry;
    this.writes++;
  },
  writeText(text: string): Promise<void> {
    this.entry = { 'text/plain': text };
    this.writes++;
    return Promise.resolve();
  },
  async readText(): Promise<string> {
    const text = this.entry?.['text/plain'];
    return typeof text === 'string' ? text : text ? await text.text() : '';
  },
  has(type: string): Promise<boolean> {
    return Promise.resolve(this.entry !== null && type in this.entry);
  },
  read(): Promise<ClipboardItem[]> {
    return Promise.resolve(this.entry ? [new ClipboardItem({ ...this.entry })] : []);
  },
  clear(): void {
    this.entry = null;
  },
  /** Another program copies text. */
  copyElsewhere(text: string): void {
    this.entry = { 'text/plain': text };
  },
};

export const powerMonitor = new FakeEmitter();

export interface FakeMenu {
  template: Record<string, unknown>[];
}

export const Menu = {
  /** What the glue set with `setApplicationMenu` (undefined: never called, so Electron's default menu). */
  application: undefined as FakeMenu | null | undefined,
  buildFromTemplate(template: Record<string, unknown>[]): FakeMenu {
    return { template };
  },
  setApplicationMenu(menu: FakeMenu | null): void {
    this.application = menu;
  },
};

export const shell = {
  opened: [] as string[],
  openExternal(url: string): Promise<void> {
    this.opened.push(url);
    return Promise.resolve();
  },
};

/** The system's save dialog: answers with `answer` (a test sets the path, or cancels) and records what it was asked. */
export const dialog = {
  asked: [] as { owner: unknown; options: { defaultPath?: string; filters?: { extensions: string[] }[] } }[],
  answer: { canceled: true, filePath: '' } as { canceled: boolean; filePath: string },
  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath: string }> {
    const [owner, options] = args.length > 1 ? args : [null, args[0]];
    this.asked.push({ owner, options: options as never });
    return Promise.resolve({ ...this.answer });
  },
};

export const screen = {
  displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
  getAllDisplays(): { workArea: Rect }[] {
    return this.displays;
  },
};

class FakeApp extends FakeEmitter {
  isPackaged = false;
  readonly paths = new Map<string, string>();
  getPath(name: string): string {
    const value = this.paths.get(name);
    if (value === undefined) throw new Error(`fake-electron: no path "${name}"`);
    return value;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
}

export const app = new FakeApp();

/** Forgets everything recorded, so each test starts from a fresh Electron. */
export function resetFake(): void {
  FakeBrowserWindow.all.length = 0;
  session.defaultSession = new FakeSession();
  ipcMain.handlers.clear();
  ipcRenderer.page = null;
  ipcRenderer.listeners.clear();
  contextBridge.exposed.clear();
  protocol.privileged.length = 0;
  protocol.handlers.clear();
  shell.opened.length = 0;
  dialog.asked.length = 0;
  dialog.answer = { canceled: true, filePath: '' };
  screen.displays = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];
  app.isPackaged = false;
  Menu.application = undefined;
  app.paths.clear();
  app.removeAllListeners();
  powerMonitor.removeAllListeners();
  clipboard.entry = null;
  clipboard.writes = 0;
}

export { FakeBrowserWindow as BrowserWindow };
