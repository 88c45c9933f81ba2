// Installed before the page's own scripts (classic script, no export). Makes the browser's media
// devices behave as the scenario's world says where Chromium has no switch for it: a missing
// microphone, a busy device, a dismissed prompt, a permission denied by the operating system, a device
// unplugged while in use, a device a privacy protection leaves out of the list, a camera that drops off
// the computer as it starts streaming. The rejections are the exact DOMExceptions Chromium produces in those
// situations; an unplugged device's live tracks end and the device leaves the device list, as when a
// USB camera is pulled out; a device that stops ends its live tracks and stays listed (a driver reset, the
// operating system's audio service restarting), and captures again when asked. The screen picker (getDisplayMedia): a person who cancels it, or an operating
// system that refuses screen recording, gets Chromium's NotAllowedError; a shared screen stopped from the
// browser's sharing bar ends its tracks. A screen the person picks is the browser's own answer.
// A device the system mutes (a microphone muted in the operating system's settings, a camera that stops
// delivering frames: Chromium then marks the capture track `muted`): tracks it hands out report
// `muted === true`; live ones turn muted and fire `mute`, and fire `unmute` when it delivers again. A frozen
// screen: the window the person picks delivers no frame (a minimized window), so a <video> showing it never
// gets `loadedmetadata`. A frozen camera also delivers no frame at all (Chromium mutes a video capture track
// when no frame came for 25 frame intervals): where the harness asks for it (`relay`, a scenario whose camera
// freezes), the camera's tracks are relayed through a MediaStreamTrackGenerator that is fed the device's
// frames while the camera is not frozen; what the page reads of the device (settings, capabilities,
// constraints, label, stop, ended) is the device track's.
(function (config) {
  'use strict';
  if (window.__harnessMediaWorld) return; // installed once per document
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const KINDS = { video: 'camera', audio: 'microphone' };
  const INPUT = { camera: 'videoinput', microphone: 'audioinput' };
  const TRACK_KIND = { camera: 'video', microphone: 'audio' };
  const state = { camera: config.camera || {}, microphone: config.microphone || {} };
  const screen = Object.assign({}, config.screen || {});
  const realGetUserMedia = devices.getUserMedia.bind(devices);
  const realEnumerate = devices.enumerateDevices.bind(devices);
  const live = new Set(); // tracks handed to the page, so an unplug can end them
  const shared = new Set(); // tracks of a screen share, so "Stop sharing" can end them
  const silenced = new Set(); // tracks the system muted, so delivering again can unmute them
  // The state in which each kind's device delivers nothing while it stays plugged in and allowed.
  const MUTED_STATE = { camera: 'frozen', microphone: 'muted-by-system' };
  // The running browser's own words (Chromium's unless the harness says otherwise).
  const messages = Object.assign({ notFound: 'Requested device not found' }, config.messages || {});

  function gone(kind) {
    return state[kind].device === 'absent' || state[kind].device === 'unplugged';
  }

  function refusal(kind) {
    const world = state[kind];
    if (gone(kind)) return new DOMException(messages.notFound, 'NotFoundError');
    // Only where the fake screen picker allows every capture does the script answer a plain denial.
    if (world.permission === 'denied') return new DOMException('Permission denied', 'NotAllowedError');
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

  devices.getUserMedia = patched('getUserMedia', async function getUserMedia(constraints) {
    for (const key of ['video', 'audio']) {
      if (constraints && constraints[key]) {
        const error = refusal(KINDS[key]);
        if (error) throw error;
      }
    }
    const stream = relayed(await realGetUserMedia(constraints));
    for (const track of stream.getTracks()) {
      live.add(track);
      track.addEventListener('ended', () => {
        live.delete(track);
        silenced.delete(track);
      });
      // Captured from a device that delivers nothing: muted from the start, as Chromium hands it out (no
      // `mute` event: the track never was unmuted).
      if (mutedNow(kindOf(track))) silence(track);
    }
    dropStarted(stream);
    return stream;
  });

  // A platform without getDisplayMedia (platform.js removed it) keeps lacking it.
  if (typeof devices.getDisplayMedia === 'function') {
    const realGetDisplayMedia = devices.getDisplayMedia.bind(devices);
    devices.getDisplayMedia = patched('getDisplayMedia', async function getDisplayMedia(options) {
      if (screen.permission === 'denied') throw new DOMException('Permission denied', 'NotAllowedError');
      if (screen.permission === 'denied-by-system') {
        throw new DOMException('Permission denied by system', 'NotAllowedError');
      }
      const picked = await realGetDisplayMedia(options);
      const stream = screen.device === 'frozen' ? frozen(picked) : picked;
      for (const track of stream.getTracks()) {
        shared.add(track);
        track.addEventListener('ended', () => shared.delete(track));
      }
      return stream;
    });
  }

  // The picked window delivers no frame: its video track is swapped for one nobody writes to (measured in
  // Chromium: a <video> showing it stays at readyState 0, no `loadedmetadata`); its audio stays.
  function frozen(picked) {
    const still = [];
    for (const track of picked.getVideoTracks()) {
      track.stop();
      still.push(silentVideoTrack());
    }
    return new MediaStream([...still, ...picked.getAudioTracks()]);
  }

  function silentVideoTrack() {
    if (typeof MediaStreamTrackGenerator === 'function') return new MediaStreamTrackGenerator({ kind: 'video' });
    return document.createElement('canvas').captureStream(0).getVideoTracks()[0]; // never drawn: no frame either
  }

  // A device's tracks handed out through a generator that the device feeds while it delivers (see above).
  function relayed(stream) {
    const kinds = Object.keys(TRACK_KIND).filter((kind) => state[kind].relay);
    if (!kinds.length || typeof MediaStreamTrackGenerator !== 'function' || typeof MediaStreamTrackProcessor !== 'function') {
      return stream;
    }
    const tracks = stream.getTracks().map((track) => (kinds.includes(kindOf(track)) ? relay(track) : track));
    return new MediaStream(tracks);
  }

  function relay(source) {
    const kind = kindOf(source);
    const generator = new MediaStreamTrackGenerator({ kind: source.kind });
    const writer = generator.writable.getWriter();
    const reader = new MediaStreamTrackProcessor({ track: source }).readable.getReader();
    (async () => {
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch (failed) {
          return;
        }
        if (chunk.done) return;
        if (mutedNow(kind) || generator.readyState === 'ended') {
          chunk.value.close(); // the device delivers nothing while it is frozen
          continue;
        }
        try {
          await writer.write(chunk.value);
        } catch (failed) {
          return;
        }
      }
    })();
    for (const name of ['getSettings', 'getCapabilities', 'getConstraints', 'applyConstraints']) {
      Object.defineProperty(generator, name, { configurable: true, value: (...args) => source[name](...args) });
    }
    Object.defineProperty(generator, 'label', { configurable: true, get: () => source.label });
    const stopGenerator = generator.stop.bind(generator);
    Object.defineProperty(generator, 'stop', {
      configurable: true,
      value: () => {
        source.stop();
        stopGenerator();
      },
    });
    source.addEventListener('ended', () => {
      if (generator.readyState === 'ended') return;
      stopGenerator();
      generator.dispatchEvent(new Event('ended'));
    });
    return generator;
  }

  function kindOf(track) {
    return track.kind === 'video' ? 'camera' : 'microphone';
  }

  function mutedNow(kind) {
    return state[kind].device === MUTED_STATE[kind];
  }

  // `muted` is a prototype getter; an own property shadows it for this track only, and deleting it restores it.
  function silence(track) {
    Object.defineProperty(track, 'muted', { configurable: true, get: () => true });
    silenced.add(track);
  }

  function muteLive(kind) {
    for (const track of Array.from(live)) {
      if (track.kind !== TRACK_KIND[kind] || silenced.has(track) || track.readyState === 'ended') continue;
      silence(track);
      track.dispatchEvent(new Event('mute'));
    }
  }

  function unmuteLive(kind) {
    for (const track of Array.from(silenced)) {
      if (track.kind !== TRACK_KIND[kind]) continue;
      silenced.delete(track);
      delete track.muted;
      if (track.readyState !== 'ended') track.dispatchEvent(new Event('unmute'));
    }
  }

  // What the browser's "Stop sharing" button does: every shared track ends.
  function stopSharing() {
    for (const track of Array.from(shared)) {
      shared.delete(track);
      if (track.readyState === 'ended') continue;
      track.stop();
      track.dispatchEvent(new Event('ended'));
    }
  }

  // A camera that drops off the computer as soon as it streams (a USB camera on a hub without enough
  // power resets): it leaves the device list before the page hears of its capture, its track ends, and
  // `devicechange` fires. Other cameras stay listed; it is back when the camera is `present` again.
  const dropped = new Set();
  function dropStarted(stream) {
    if (state.camera.device !== 'drops-when-started') return;
    const tracks = stream.getVideoTracks();
    for (const track of tracks) dropped.add(track.getSettings().deviceId);
    if (!tracks.length) return;
    setTimeout(() => {
      for (const track of tracks) endTrack(track);
      devices.dispatchEvent(new Event('devicechange'));
    }, 0);
  }

  devices.enumerateDevices = patched('enumerateDevices', async function enumerateDevices() {
    const list = await realEnumerate();
    // An unlisted device still captures: the browser only leaves it out of the list, as privacy
    // protections against fingerprinting do (Brave's strict mode, anti-fingerprinting extensions).
    const hidden = (kind) => gone(kind) || state[kind].device === 'unlisted';
    return list.filter(
      (info) =>
        !Object.keys(INPUT).some((kind) => hidden(kind) && info.kind === INPUT[kind]) &&
        !(info.kind === INPUT.camera && dropped.has(info.deviceId)),
    );
  });

  function endTrack(track) {
    live.delete(track);
    if (track.readyState === 'ended') return;
    track.stop(); // stop() alone fires nothing; a device that disappears fires `ended` on its tracks
    track.dispatchEvent(new Event('ended'));
  }

  function endTracks(kind) {
    for (const track of Array.from(live)) {
      if (track.kind === TRACK_KIND[kind]) endTrack(track);
    }
  }

  window.__harnessMediaWorld = Object.freeze({
    // Mid-session changes (a device taken by another program, removed, stopped, brought back).
    update(change) {
      let listChanged = false;
      for (const kind of Object.keys(change)) {
        if (kind === 'screen') {
          if (change.screen.device === 'stopped') stopSharing();
          if (change.screen.device === 'frozen') screen.device = 'frozen'; // the windows picked from now on
          continue;
        }
        const wasGone = gone(kind);
        Object.assign(state[kind], change[kind]);
        if (gone(kind) || state[kind].device === 'stops') endTracks(kind);
        if (mutedNow(kind)) muteLive(kind);
        else unmuteLive(kind);
        listChanged = listChanged || wasGone !== gone(kind);
        if (kind === 'camera' && state.camera.device !== 'drops-when-started' && dropped.size) {
          dropped.clear(); // plugged in again (or into a powered port)
          listChanged = true;
        }
      }
      if (listChanged) devices.dispatchEvent(new Event('devicechange'));
    },
  });
})(__CONFIG__);
