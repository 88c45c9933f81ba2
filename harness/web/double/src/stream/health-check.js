// The encoders' health checks of the 2.5.0 runtime (docs/fidelity.md, "active-media-failed"): 206 for video, and
// 104 for audio (syncAudioHealthCheck, below).
// The runtime's video encode worker runs, from the moment it starts encoding the camera, a check every 30 s:
// when someone subscribes to this participant's video (`subforme`), the encoder sent no packet since the last
// check, the check is not paused, and the subscription changed more than 20 s ago, it reports -130, which
// the SDK turns into 206 (throttled with 104 and 301). The flag "sent a packet" is cleared at every check.
// The encoder encodes only the frames it reads from the camera's track (a MediaStreamTrackProcessor where
// the browser has one), so it sends nothing while the camera delivers no frame.
// Here: "sent a packet" is "a frame came from the camera's track" (read from a clone of it with a
// MediaStreamTrackProcessor; where the browser has none, nothing is judged and nothing is reported). The
// subscription is another participant rendering this participant's video (render.js, video-view.js tell
// that participant through the session service, as the real back end tells the encoder; inferred). The
// check's clock is the page's (setInterval, performance.now), so a virtual clock drives it; whether frames
// flow is judged in real time (realNow): a check that finds no frame since the previous one reports only when the
// last frame is also at least STALL_REAL_MS of real time old, so two checks a virtual clock fires back to
// back cannot mistake a healthy camera for a stalled one.
import { FeatureClient } from '../features/feature-client.js';

export const HEALTH_CHECK_MS = 30000; // the encoder's checkInterval (3e4)
export const SUBSCRIPTION_SETTLE_MS = 20000; // performance.now() - lastsubformetime > 2e4
export const STALL_REAL_MS = 1000; // the harness's own floor, in real time (not the runtime's)
export const VIDEO_HEALTH_CODE = 206;

// Real time, which a virtual clock does not touch: the document's animation timeline (measured in Chromium
// under Playwright's clock: it keeps real time while performance.now(), Date and an event's timeStamp jump).
export function realNow(scope = globalThis) {
  const timeline = scope.document && scope.document.timeline;
  const time = timeline ? timeline.currentTime : null;
  return typeof time === 'number' ? time : scope.performance.now();
}

// The runtime's check (its class with checkInterval, hasRTPPackets, subforme, lastsubformetime, paused),
// over frames instead of packets. `report()` is called when it fails.
export class HealthCheck {
  // `video: false` is the audio encoder's check, which needs no subscriber; `flowing()`, when given, is asked at
  // each check whether the source is delivering now (a frame() of its own).
  constructor(report, { now = () => performance.now(), real = realNow, every = (fn, ms) => setInterval(fn, ms), clear = (id) => clearInterval(id), video = true, flowing = null } = {}) {
    Object.assign(this, { report, now, real, every, clear, video, flowing });
    this.interval = 0;
    this.framesSeen = false;
    this.lastFrameReal = -Infinity;
    this.subforme = false;
    this.lastSubChange = 0;
    this.paused = false;
  }

  start() {
    if (this.interval) this.clear(this.interval);
    this.framesSeen = false;
    this.paused = false;
    this.interval = this.every(() => this.tick(), HEALTH_CHECK_MS);
  }

  stop() {
    if (this.interval) this.clear(this.interval);
    this.interval = 0;
    this.subforme = false;
  }

  frame() {
    this.framesSeen = true;
    this.lastFrameReal = this.real();
  }

  setSubscribed(on) {
    if (this.subforme === on) return;
    this.subforme = on;
    this.lastSubChange = this.now();
  }

  tick() {
    if (this.flowing && this.flowing()) this.frame();
    const stalled = !this.framesSeen && this.real() - this.lastFrameReal >= STALL_REAL_MS;
    if ((!this.video || this.subforme) && stalled && !this.paused && this.now() - this.lastSubChange > SUBSCRIPTION_SETTLE_MS) {
      this.report();
    }
    this.framesSeen = false;
  }
}

// Reads the frames of a clone of `track` until `stop()`; calls `onFrame` for each. False where the browser
// cannot read a track's frames.
export function watchFrames(track, onFrame, scope = globalThis) {
  const Processor = scope.MediaStreamTrackProcessor;
  if (typeof Processor !== 'function' || !track || typeof track.clone !== 'function') return null;
  const copy = track.clone();
  const reader = new Processor({ track: copy }).readable.getReader();
  let running = true;
  (async () => {
    while (running) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (failed) {
        return;
      }
      if (chunk.done) return;
      if (chunk.value && typeof chunk.value.close === 'function') chunk.value.close();
      if (running) onFrame();
    }
  })();
  return {
    stop() {
      running = false;
      copy.stop(); // the clone ends, and its stream with it
    },
  };
}

// Called once a camera capture has started video: the check runs until the video stops.
export function startVideoHealthCheck(stream, media) {
  stopVideoHealthCheck(stream);
  const [track] = media.getVideoTracks();
  if (!track) return;
  const watch = stream.client.feature('video-watch');
  const check = new HealthCheck(() => {
    if (stream.video.stream === media && stream.video.state === 'started') stream.failures.report(VIDEO_HEALTH_CODE);
  });
  const frames = watchFrames(track, () => check.frame());
  if (!frames) return; // nothing to judge frames by: no report
  check.start();
  check.setSubscribed(watch.watchers.size > 0);
  stream.videoHealth = { check, frames, media };
}

export function stopVideoHealthCheck(stream) {
  const health = stream.videoHealth;
  if (!health) return;
  health.check.stop();
  health.frames.stop();
  stream.videoHealth = null;
}

// 104, the audio encoder's check: the same class in the runtime's audio encode worker (`new Oi(-131)`), started
// when the microphone's capture is connected (START_AUDIO_CAPTURE) and at each unmute, stopped at each mute; as
// an audio check it needs no subscriber. The encoder encodes what an AudioWorklet reads from the microphone,
// and that worklet lives in the AudioContext computer audio plays through (the runtime's `audioCtx`, which it
// resumes once the capture is connected): a context that does not render runs no worklet, so the encoder gets
// no sample and sends no packet. Here "sent a packet" is "the context was running" at a check or in between
// (its `statechange`). A running context counts as sending, also when the microphone delivers silence (what
// the encoder does with digital silence is decided inside its WebAssembly; docs/fidelity.md). A browser keeps
// an AudioContext from rendering when it has no audio output to render to (Firefox without an audio
// backend: `platform: {audio_output: false}`) or, for a page nobody clicked that captures nothing, by its
// autoplay policy.
export const AUDIO_HEALTH_CODE = 104;

// Runs the audio check while computer audio has a captured microphone, unmuted, and its context; stops it
// otherwise. Called after every change of those. `clocks`: the HealthCheck's clock options (tests).
export function syncAudioHealthCheck(stream, clocks = {}) {
  const { audio, playback } = stream;
  const wanted = !!playback && audio.state === 'started' && !!audio.stream && !audio.muted;
  const current = stream.audioHealth;
  if (wanted && current && current.context === playback.context) return;
  stopAudioHealthCheck(stream);
  if (!wanted) return;
  const { context } = playback;
  const rendering = () => context.state === 'running';
  const health = { context, check: null, onState: null };
  health.check = new HealthCheck(
    () => {
      if (stream.audioHealth === health) stream.failures.report(AUDIO_HEALTH_CODE);
    },
    { ...clocks, video: false, flowing: rendering },
  );
  health.onState = () => {
    if (rendering()) health.check.frame();
  };
  context.addEventListener('statechange', health.onState);
  health.check.start();
  health.onState(); // a context already running counts from the start
  stream.audioHealth = health;
}

export function stopAudioHealthCheck(stream) {
  const health = stream.audioHealth;
  if (!health) return;
  health.check.stop();
  health.context.removeEventListener('statechange', health.onState);
  stream.audioHealth = null;
}

// This participant starts or stops rendering `userId`'s video (render.js, video-view.js).
export function noteWatching(stream, userId, watching) {
  if (userId === stream.client.currentUserId()) return;
  stream.client.feature('video-watch').relay({ to: userId, action: watching ? 'watch' : 'unwatch' });
}

// Who renders this participant's video, as the others tell it.
export class VideoWatchClient extends FeatureClient {
  constructor(client, name) {
    super(client, name);
    this.watchers = new Set();
  }

  onDirectMessage(message) {
    const from = message.from && message.from.userId;
    if (!from) return;
    if (message.action === 'watch') this.watchers.add(from);
    else if (message.action === 'unwatch') this.watchers.delete(from);
    else return;
    const health = this.client.stream && this.client.stream.videoHealth;
    if (health) health.check.setSubscribed(this.watchers.size > 0);
  }
}
