// `active-media-failed`: the 2.5.0 runtime's payloads, verbatim, and its throttle. The runtime builds
// `{message, type, code}` (keys in that order) from a media-SDK notification and passes it through unchanged
// (docs/fidelity.md, "active-media-failed"). Most notifications are throttled per media event: the same event
// within 5 s of the last one is dropped, so 202/203 (one event), 102/103 (one event) and 104/206/301 (one
// event) suppress each other; 105, 106, 107 and 207 are not throttled. The runtime's clock is
// `performance.now()`; an event passes when more than 5000 ms have gone by, and a dropped one does not restart
// the wait.
const CLOSE_AND_REJOIN = 'Oops! Something went wrong. Please close all browsers and rejoin the meeting.';

const PAYLOADS = {
  101: ['Audio connection failed. Please refresh your browser to reconnect.', 'audio'],
  102: ["Can't access your microphone. Please refresh your browser to try again.", 'audio'],
  103: ['Your browser is preventing access to your microphone.Please grant the permission.', 'audio'],
  104: [CLOSE_AND_REJOIN, 'audio'],
  105: ['Your mic is muted in system or browser settings. Please open your settings to unmute and adjust the level.', 'audio'],
  106: ['Audio was interrupted by the system. Please click anywhere to resume playback.', 'audio'],
  107: ['Audio playback was interrupted. Please click anywhere to resume playback.', 'audio'],
  201: ['Connection to remote video has failed. Please refresh your browser to try again.', 'video'],
  202: ["Can't access your camera. Please refresh your browser to try again.", 'video'],
  203: ['Your browser is preventing access to your camera.Please grant the permission.', 'video'],
  204: [CLOSE_AND_REJOIN, 'video'],
  205: ['Uh-oh! You\u2019re running low on memory. Please close all browsers and rejoin the meeting.', 'video'],
  206: [CLOSE_AND_REJOIN, 'video'],
  207: ['Video was interrupted by the system. Please click anywhere to resume.', 'video'],
  301: [CLOSE_AND_REJOIN, 'sharing'],
};

// The media-SDK event each code comes from; codes of one event share its throttle. null: not throttled.
const MEDIA_EVENT = {
  101: 'AudioWebsocketBroken',
  102: 'AudioStreamFailed',
  103: 'AudioStreamFailed',
  104: 'HealthCheckFailed',
  105: null,
  106: null,
  107: null,
  201: 'VideoWebsocketBroken',
  202: 'VideoStreamFailed',
  203: 'VideoStreamFailed',
  204: 'WebglContextInvalid',
  205: 'WasmMemoryFail',
  206: 'HealthCheckFailed',
  207: null,
  301: 'HealthCheckFailed',
};

export const MEDIA_FAILED_THROTTLE_MS = 5000;

export const ACTIVE_MEDIA_FAILED_CODES = Object.freeze(Object.keys(PAYLOADS).map(Number));

// A fresh `{message, type, code}` for a code (keys in the runtime's order).
export function mediaFailedPayload(code) {
  const entry = PAYLOADS[code];
  if (!entry) throw new Error(`not an active-media-failed code: ${code}`);
  const [message, type] = entry;
  return { message, type, code };
}

// One client's reporter: `report(code)` emits the payload unless its media event was reported 5 s ago or
// less, and tells whether it did.
export class MediaFailures {
  constructor(emit, now = () => performance.now()) {
    this.emit = emit;
    this.now = now;
    this.last = new Map();
  }

  report(code) {
    const payload = mediaFailedPayload(code);
    const event = MEDIA_EVENT[code];
    if (event) {
      const at = this.now();
      const previous = this.last.get(event);
      if (previous !== undefined && at - previous <= MEDIA_FAILED_THROTTLE_MS) return false;
      this.last.set(event, at);
    }
    this.emit('active-media-failed', payload);
    return true;
  }
}
