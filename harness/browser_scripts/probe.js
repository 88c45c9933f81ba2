// The in-page probe (classic script installed before the page's own scripts; no export).
// It finds the SDK client (UMD global trap, the bundled double's module event, or a configured expression
// such as window.zmClient), records every call and settlement of every SDK method - the app's own calls
// included - and every SDK event, and lets the harness make calls of its own. Python drains the records at
// checkpoints. The ZoomVideo namespace's functions are recorded too, and so are the preview's objects they
// hand out (local tracks, tester handles): the last of each kind is a call target (`localVideoTrack.start`).
(function (config) {
  'use strict';
  if (window.__harness) return;

  const EVENTS = config.events;
  const CHILD_GETTERS = {
    getMediaStream: 'stream',
    getChatClient: 'chat',
    getCommandClient: 'cmd',
    getRecordingClient: 'recording',
    getLiveTranscriptionClient: 'transcription',
    getLiveStreamClient: 'livestream',
    getSubsessionClient: 'subsession',
    getWhiteboardClient: 'whiteboard',
    getRealTimeMediaStreamsClient: 'rtms',
    getBroadcastStreamingClient: 'broadcast',
    getVoiceTranslatorClient: 'voicetranslator',
    getIncomingLiveStreamClient: 'incominglivestream',
  };
  // Namespace and track methods whose (synchronous) result is an SDK object of its own: the target name it
  // is recorded under, and a step names the last one made (the app's or a step's) by that name.
  const PREVIEW_OBJECTS = {
    createLocalVideoTrack: 'localVideoTrack',
    createLocalAudioTrack: 'localAudioTrack',
    testMicrophone: 'microphoneTest',
    testSpeaker: 'speakerTest',
  };
  const NAMESPACE = 'ZoomVideo';
  const records = [];
  // Bumped by every record, every settled call and every change of the document: the harness waits in the page
  // for it to move (one round trip per change) instead of asking again and again.
  let changes = 0;
  let waiters = [];
  const realSetTimeout = window.setTimeout.bind(window); // taken before a virtual clock replaces it
  function changed() {
    changes += 1;
    const woken = waiters;
    waiters = [];
    woken.forEach((wake) => wake());
  }
  const results = new (class extends Map {
    set(key, value) {
      super.set(key, value);
      changed(); // after the outcome is in: a woken waiter reads it
      return this;
    }
  })();
  if (typeof MutationObserver === 'function') {
    new MutationObserver(changed).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  }
  const instrumented = new WeakSet();
  let seq = 0;
  let callSeq = 0;
  let stepCall = null;
  let nesting = 0; // > 0 while a wrapped method runs: calls it makes itself are the SDK's internals
  let client = null;
  let namespace = null; // the SDK module's default export, ZoomVideo
  const latest = {}; // preview target -> the last object of that kind

  // Each record carries the real time (`t`, ms since the epoch, comparable with the harness's own records) and
  // the page's clock (`vt`). Under `clock: virtual` the page's Date and performance are Playwright's fakes,
  // installed by an init script added after this one; the originals taken here stay real.
  const realPerformance = window.performance;
  const realDateNow = Date.now.bind(Date);
  function realNow() {
    return realPerformance && realPerformance.timeOrigin ? realPerformance.timeOrigin + realPerformance.now() : realDateNow();
  }

  function record(kind, data) {
    records.push(Object.assign({ seq: ++seq, t: realNow(), vt: Date.now(), kind }, data));
    changed();
  }

  // A JSON-safe copy: SDK rejections are plain objects, but may carry a DOMException or a cycle.
  function plain(value, depth = 0, seen = new WeakSet()) {
    if (value === null || value === undefined) return value === undefined ? null : value;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'function') return '[function]';
    if (typeof value !== 'object') return String(value);
    if (typeof DOMException !== 'undefined' && value instanceof DOMException) return { name: value.name, message: value.message };
    if (value instanceof Error) return { name: value.name, message: value.message };
    if (typeof Node !== 'undefined' && value instanceof Node) return `[${value.nodeName}]`;
    if (typeof MediaStream !== 'undefined' && value instanceof MediaStream) return '[MediaStream]';
    // Platform objects keep their fields in getters (MediaDeviceInfo): their own JSON form says what they hold.
    if (typeof value.toJSON === 'function' && !Array.isArray(value)) {
      try {
        return plain(value.toJSON(), depth, seen);
      } catch (error) {
        /* its fields, as for any object */
      }
    }
    if (seen.has(value) || depth > 4) return '[…]';
    seen.add(value);
    if (Array.isArray(value)) return value.slice(0, 50).map((item) => plain(item, depth + 1, seen));
    const out = {};
    for (const key of Object.keys(value).slice(0, 50)) out[key] = plain(value[key], depth + 1, seen);
    return out;
  }

  // Only the public methods of the documented surface: SDK internals are not the app's calls.
  function methodNames(obj, target) {
    return (config.methods[target] || []).filter((name) => typeof obj[name] === 'function');
  }

  function instrument(obj, target) {
    if (!obj || typeof obj !== 'object' || instrumented.has(obj)) return obj;
    instrumented.add(obj);
    wrapMethods(obj, target, methodNames(obj, target));
    return obj;
  }

  function wrapMethods(obj, target, methods) {
    for (const method of methods) {
      const original = obj[method];
      const wrapper = function (...args) {
        if (nesting > 0 || ownCall(this, method)) return original.apply(this, args);
        const id = ++callSeq;
        const byStep = stepCall;
        stepCall = null;
        record('call', { id, target, method, args: plain(args), step: byStep });
        let result;
        nesting += 1;
        try {
          result = original.apply(this, args);
        } catch (error) {
          record('settle', { id, target, method, status: 'threw', error: plain(error), step: byStep });
          throw error;
        } finally {
          nesting -= 1;
        }
        composite(this, method, result);
        if (result && typeof result.then === 'function') {
          result.then(
            (value) => record('settle', { id, target, method, status: 'resolved', value: plain(value), step: byStep }),
            (error) => record('settle', { id, target, method, status: 'rejected', error: plain(error), step: byStep }),
          );
        } else if (CHILD_GETTERS[method]) {
          instrument(result, CHILD_GETTERS[method]);
        } else if (PREVIEW_OBJECTS[method]) {
          keepPreviewObject(PREVIEW_OBJECTS[method], result);
        }
        return result;
      };
      try {
        Object.defineProperty(obj, method, { value: wrapper, configurable: true, writable: true });
      } catch (error) {
        /* a frozen method stays unrecorded */
      }
    }
  }

  // -- the preview: the ZoomVideo namespace and the objects it hands out ------------------------------

  // The module's default export (an object in the double, a class with static methods in the package):
  // its functions are recorded like the client's; createClient stays with wrapModule, which adopts the client.
  function adoptNamespace(zoomVideo) {
    if (!zoomVideo || namespace === zoomVideo) return;
    namespace = zoomVideo;
    const methods = (config.methods[NAMESPACE] || []).filter((name) => name !== 'createClient' && typeof zoomVideo[name] === 'function');
    wrapMethods(zoomVideo, NAMESPACE, methods);
  }

  // A local track or a tester handle: recorded from now on, and the one a step's `call: localVideoTrack.x`
  // means until another of its kind is made. A tester already running hands back undefined: kept as it was.
  function keepPreviewObject(target, object) {
    if (!object || typeof object !== 'object') return;
    latest[target] = instrument(object, target);
  }

  // The runtime's switchCamera stops its track and, after an await, starts it again: while it runs, start
  // and stop on that track are its own steps (their failure is the switch's), not calls of the app's.
  const COMPOSITE = { switchCamera: ['stop', 'start'] };
  const composing = new WeakMap(); // object -> the methods it is calling itself
  function composite(object, method, result) {
    if (!COMPOSITE[method] || !object || typeof object !== 'object' || !result || typeof result.then !== 'function') return;
    composing.set(object, COMPOSITE[method]);
    const done = () => composing.delete(object);
    result.then(done, done);
  }

  function ownCall(object, method) {
    const inner = object && typeof object === 'object' ? composing.get(object) : null;
    return !!inner && inner.includes(method);
  }

  function previewTarget(target) {
    if (target === NAMESPACE) {
      if (!namespace) throw new Error('the SDK module (ZoomVideo) was not found on this page');
      return namespace;
    }
    if (!Object.values(PREVIEW_OBJECTS).includes(target)) return null;
    if (!latest[target]) {
      const maker = Object.keys(PREVIEW_OBJECTS).find((name) => PREVIEW_OBJECTS[name] === target);
      throw new Error(`no ${target} yet: neither the app nor a step has called ${maker}`);
    }
    return latest[target];
  }

  function adoptClient(candidate) {
    if (!candidate || client === candidate) return candidate;
    client = instrument(candidate, 'client');
    if (typeof client.on === 'function') {
      for (const name of EVENTS) {
        client.on(name, (payload) => record('event', { name, payload: plain(payload) }));
      }
    }
    record('client', { source: config.clientSource });
    return client;
  }

  function wrapModule(module) {
    const zoomVideo = module && (module.default || module);
    if (!zoomVideo || typeof zoomVideo.createClient !== 'function' || instrumented.has(zoomVideo)) return;
    instrumented.add(zoomVideo);
    const createClient = zoomVideo.createClient;
    const replacement = function () {
      return adoptClient(createClient.apply(this, arguments));
    };
    try {
      Object.defineProperty(zoomVideo, 'createClient', { value: replacement, configurable: true, writable: true });
    } catch (error) {
      record('probe-warning', { message: 'createClient could not be wrapped: ' + error });
    }
    adoptNamespace(zoomVideo);
  }

  // UMD global trap: the SDK (double or real) assigns window.WebVideoSDK when its script runs.
  let umd;
  Object.defineProperty(window, 'WebVideoSDK', {
    configurable: true,
    enumerable: true,
    get() {
      // The real UMD assigns `WebVideoSDK = {}` first and adds `.default` afterwards, so the setter alone
      // sees no createClient; wrapping on read catches it (wrapModule is idempotent).
      wrapModule(umd);
      return umd;
    },
    set(value) {
      umd = value;
      wrapModule(value);
    },
  });

  // A bundled SDK (an app built with @zoom/videosdk aliased to the double) sets no global: the double announces
  // its module with an event as the module is evaluated, before the app's own code can call createClient().
  function watchBundledModule() {
    window.addEventListener('zoom-videosdk-module', (event) => {
      record('sdk-module', { source: 'bundle' });
      wrapModule({ default: event.detail });
    });
  }
  watchBundledModule();

  function currentClient() {
    if (client) return client;
    try {
      // For bundled apps: the configured expression, by default Zoom's sample name window.zmClient.
      return adoptClient(new Function(`return (${config.clientExpression});`)());
    } catch (error) {
      return null;
    }
  }

  function resolveTarget(target) {
    const preview = previewTarget(target);
    if (preview) return preview;
    const found = currentClient();
    if (!found) throw new Error(`no SDK client found (tried WebVideoSDK.default.createClient() and ${config.clientExpression})`);
    if (target === 'client') return found;
    const getter = Object.keys(CHILD_GETTERS).find((name) => CHILD_GETTERS[name] === target);
    if (!getter || typeof found[getter] !== 'function') throw new Error(`the SDK client has no ${getter || target}()`);
    return instrument(found[getter](), target); // as the wrapped getter would, should this call be a quiet one
  }

  // Scenario arguments may name what only the page knows: {$userId: 'gina'} (a participant's id, by display
  // name), {$element: '#self-video'} (a DOM element), {$file: {name, size, type}} (a File), {$call: 'stream.getCameraList', index: 1, field:
  // 'deviceId'} (what a getter returns, optionally one entry and one field of it).
  function resolveArg(value) {
    if (Array.isArray(value)) return value.map(resolveArg);
    if (!value || typeof value !== 'object') return value;
    if ('$userId' in value) {
      const users = resolveTarget('client').getAllUser() || [];
      const user = users.find((candidate) => candidate.displayName === value.$userId);
      if (!user) {
        const names = users.map((candidate) => candidate.displayName).join(', ') || 'nobody';
        const unknown = new Error(`{$userId: ${JSON.stringify(value.$userId)}}: no such participant in the session (there: ${names})`);
        unknown.pending = true; // the page may still hear of them (a join on its way)
        throw unknown;
      }
      return user.userId;
    }
    if ('$element' in value) {
      const element = document.querySelector(value.$element);
      if (!element) throw new Error(`{$element: ${JSON.stringify(value.$element)}}: no such element on the page`);
      return element;
    }
    if ('$file' in value) {
      // A file as a person would pick it: `size` bytes of zeros, with that name and type.
      const spec = value.$file;
      return new File([new Uint8Array(spec.size || 0)], spec.name, { type: spec.type || '' });
    }
    if ('$call' in value) {
      const [target, method] = String(value.$call).split('.');
      let result = resolveTarget(target)[method]();
      if ('index' in value) result = result ? result[value.index] : undefined;
      if ('field' in value) result = result ? result[value.field] : undefined;
      if (result === undefined) throw new Error(`{$call: ${JSON.stringify(value.$call)}}: gave nothing at that index/field`);
      return result;
    }
    const resolved = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = resolveArg(item);
    return resolved;
  }

  // wait_for_event's matching (expectations.subset_match): every field of `match` is in the payload with
  // the same value, recursively; a mapping matches a list when one of its entries does (user-updated).
  function contains(match, payload) {
    if (match && typeof match === 'object' && !Array.isArray(match)) {
      if (Array.isArray(payload)) return payload.some((item) => contains(match, item));
      if (!payload || typeof payload !== 'object') return false;
      return Object.keys(match).every((key) => key in payload && contains(match[key], payload[key]));
    }
    return JSON.stringify(match) === JSON.stringify(payload);
  }

  const heard = new Set(); // on_event reactions whose event has come

  // The harness's own lookups (getAllUser for a $userId, a $call's getter) are not the app's calls: unrecorded,
  // they leave the change count alone too, so a step waiting for a participant waits for a change, not a spin.
  function quietly(resolve) {
    nesting += 1;
    try {
      return resolve();
    } finally {
      nesting -= 1;
    }
  }

  function start(id, path, args) {
    const [target, method] = path.split('.');
    let object;
    try {
      object = quietly(() => resolveTarget(target)); // the getter on the way is the harness's, not the app's
    } catch (error) {
      results.set(id, { status: 'harness-error', message: String(error.message || error) });
      return;
    }
    if (!object || typeof object[method] !== 'function') {
      results.set(id, { status: 'harness-error', message: `${path} is not a function of this SDK` });
      return;
    }
    try {
      args = quietly(() => resolveArg(args));
    } catch (error) {
      results.set(id, { status: 'harness-error', message: String(error.message || error) });
      return;
    }
    stepCall = id;
    let outcome;
    try {
      outcome = object[method](...args);
    } catch (error) {
      stepCall = null;
      results.set(id, { status: 'threw', error: plain(error) });
      return;
    }
    stepCall = null;
    if (outcome && typeof outcome.then === 'function') {
      outcome.then(
        (value) => results.set(id, { status: 'resolved', value: plain(value) }),
        (error) => results.set(id, { status: 'rejected', error: plain(error) }),
      );
    } else {
      results.set(id, { status: 'resolved', value: plain(outcome) });
    }
  }

  window.__harness = Object.freeze({
    // Starts an SDK call on behalf of a scenario step; the outcome is read with result(id).
    start,
    // on_event: the first time the client emits `name` with a payload holding `match`, make the call
    // inside that listener, in the same task as the SDK's own listeners, as an app's handler would.
    react(id, name, match, path, args) {
      const found = currentClient();
      if (!found || typeof found.on !== 'function') return `no SDK client found (tried ${config.clientExpression})`;
      const listener = (payload) => {
        if (heard.has(id) || (match !== null && !contains(match, plain(payload)))) return;
        heard.add(id);
        if (typeof found.off === 'function') found.off(name, listener);
        start(id, path, args);
      };
      found.on(name, listener);
      return true;
    },
    heard(id) {
      return heard.has(id);
    },
    // A scenario value with references ({$userId: NAME}, {$call: ...}) as the page sees it now.
    resolve(value) {
      try {
        return quietly(() => resolveArg(value));
      } catch (error) {
        return { 'harness-error': String(error.message || error), pending: !!error.pending };
      }
    },
    result(id) {
      return results.has(id) ? results.get(id) : null;
    },
    drain() {
      return records.splice(0, records.length);
    },
    hasClient() {
      return !!currentClient();
    },
    changes() {
      return changes;
    },
    // Settles with call `id`'s outcome as soon as it has one, or with null after `ms` of real time.
    settled(id, ms) {
      if (results.has(id)) return Promise.resolve(results.get(id));
      return new Promise((resolve) => {
        let done = false;
        const check = () => {
          if (done) return;
          if (results.has(id)) {
            done = true;
            resolve(results.get(id));
          } else waiters.push(check);
        };
        waiters.push(check);
        realSetTimeout(() => {
          done = true;
          resolve(results.has(id) ? results.get(id) : null);
        }, ms);
      });
    },
    // Settles once the change count is no longer `mark`, or after `ms` of real time.
    changedSince(mark, ms) {
      if (changes !== mark) return Promise.resolve(changes);
      return new Promise((resolve) => {
        const wake = () => resolve(changes);
        waiters.push(wake);
        realSetTimeout(wake, ms);
      });
    },
  });
})(__CONFIG__);
