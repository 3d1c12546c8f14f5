/**
 * The yardstick callee of the calls bench: a bare sip.js page that registers and, on an INVITE,
 * answers 180 (sip.js does) and shows one incoming-call element with the dialled number — nothing
 * else. What the desk adds on top of this (finding the client, the pop) is what the bench weighs.
 * Bundled by esbuild and driven through `window.bare`.
 */
import { Registerer, RegistererState, UserAgent, type Invitation } from 'sip.js';

export interface BareOptions {
  wsUrl: string;
  user: string;
  password: string;
  domain: string;
}

let ua: UserAgent | undefined;
let registerer: Registerer | undefined;

function onInvite(invitation: Invitation): void {
  const el = document.createElement('p');
  el.className = 'incoming';
  const name = document.createElement('span');
  name.className = 'client-name';
  name.textContent = invitation.request.getHeader('X-Called-Number') ?? invitation.request.from.uri.user ?? '?';
  el.append('着信 ', name);
  document.body.append(el);
  invitation.stateChange.addListener((state) => {
    if (state === 'Terminated') el.remove();
  });
  void invitation.progress();
}

const bare = {
  async start(o: BareOptions): Promise<void> {
    const uri = UserAgent.makeURI(`sip:${o.user}@${o.domain}`);
    if (!uri) throw new Error('bad uri');
    ua = new UserAgent({
      uri,
      authorizationUsername: o.user,
      authorizationPassword: o.password,
      transportOptions: { server: o.wsUrl, traceSip: false },
      sessionDescriptionHandlerFactoryOptions: { peerConnectionConfiguration: { iceServers: [] }, iceGatheringTimeout: 500 },
      logBuiltinEnabled: false,
      logLevel: 'error',
      delegate: { onInvite },
    });
    await ua.start();
    registerer = new Registerer(ua, { expires: 300 });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('not registered in 8 s')), 8000);
      registerer!.stateChange.addListener((s) => {
        if (s === RegistererState.Registered) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await registerer.register();
    await done;
  },
  async stop(): Promise<void> {
    await registerer?.unregister().catch(() => undefined);
    await ua?.stop().catch(() => undefined);
  },
};

export type Bare = typeof bare;
(window as unknown as { bare: Bare }).bare = bare;
