// Installed before the page's own scripts (classic script, no export). Makes the browser's media
// devices behave as the scenario's world says where Chromium has no switch for it: a missing
// microphone, a busy device, a dismissed prompt, a permission denied by the operating system.
// The rejections are the exact DOMExceptions Chromium produces in those situations.
(function (config) {
  'use strict';
  if (window.__harnessMediaWorld) return; // installed once per document
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const KINDS = { video: 'camera', audio: 'microphone' };
  const INPUT = { camera: 'videoinput', microphone: 'audioinput' };
  const state = { camera: config.camera || {}, microphone: config.microphone || {} };
  const realGetUserMedia = devices.getUserMedia.bind(devices);
  const realEnumerate = devices.enumerateDevices.bind(devices);

  function refusal(kind) {
    const world = state[kind];
    if (world.device === 'absent') return new DOMException('Requested device not found', 'NotFoundError');
    if (world.permission === 'prompt-dismissed') return new DOMException('Permission dismissed', 'NotAllowedError');
    if (world.permission === 'denied-by-system') return new DOMException('Permission denied by system', 'NotAllowedError');
    if (world.device === 'busy') return new DOMException('Device in use', 'NotReadableError');
    return null;
  }

  function patched(name, fn) {
    Object.defineProperty(fn, 'name', { value: name });
    fn.toString = () => `function ${name}() { [native code] }`;
    return fn;
  }

  devices.getUserMedia = patched('getUserMedia', function getUserMedia(constraints) {
    for (const key of ['video', 'audio']) {
      if (constraints && constraints[key]) {
        const error = refusal(KINDS[key]);
        if (error) return Promise.reject(error);
      }
    }
    return realGetUserMedia(constraints);
  });

  devices.enumerateDevices = patched('enumerateDevices', async function enumerateDevices() {
    const list = await realEnumerate();
    return list.filter((info) => !Object.keys(INPUT).some((kind) => state[kind].device === 'absent' && info.kind === INPUT[kind]));
  });

  window.__harnessMediaWorld = Object.freeze({
    // Mid-session changes (a device taken by another program, removed, brought back).
    update(change) {
      for (const kind of Object.keys(change)) Object.assign(state[kind], change[kind]);
      devices.dispatchEvent(new Event('devicechange'));
    },
  });
})(__CONFIG__);
