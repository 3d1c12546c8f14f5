// Loaded with `node --import` before Electronegativity (scripts/electronegativity.mjs): it fetches
// translations and Electron's release list with `got` at start, and the tests never reach a public
// host. Every `got` call is refused here, before any socket is opened.
import Module from 'node:module';

const load = Module._load;
Module._load = function loadWithoutNetwork(request, ...rest) {
  if (request === 'got') {
    const refuse = () => Promise.reject(new Error('no network: Kotozute runs Electronegativity offline'));
    return Object.assign(refuse, { default: refuse, get: refuse, post: refuse, extend: () => refuse });
  }
  return load.call(this, request, ...rest);
};
