// A capture track the system mutes while it stays live, as the 2.5.0 runtime reads it (docs/fidelity.md,
// "active-media-failed"). None of these codes is throttled.
// - Microphone: muted when captured → 105; `mute` later → 106. After a 106 the first click (and the first touch)
//   in the page before the track unmutes captures the same microphone again; an unmute first cancels that.
// - Camera: muted when captured → 207 at once; `mute` → 207 after 3 s without `unmute` (an unmute within the
//   3 s cancels it without a word). After a 207 the first click (and touch) before the track unmutes captures
//   the same camera again. 207 only while video is started.
// A capture again goes through the same checks, so a device still muted reports 105 (207) again.
import { stopTracks } from '../core/platform.js';
import { watchTracks } from './track-end.js';
import { startVideoHealthCheck } from './health-check.js';

export const VIDEO_MUTE_MS = 3000;

// Called after each microphone capture succeeds, before audio is reported joined.
export function watchMicrophoneMute(stream, media) {
  const [track] = media.getAudioTracks();
  if (!track) return;
  if (track.muted) stream.failures.report(105);
  track.addEventListener('mute', () => {
    if (stream.audio.stream !== media) return; // only the current microphone's track counts
    stream.failures.report(106);
    onNextClick(track, () => recaptureMicrophone(stream, media));
  });
}

// Called once a camera capture has started video.
export function watchCameraMute(stream, media) {
  const [track] = media.getVideoTracks();
  if (!track) return;
  const interrupted = () => {
    if (stream.video.stream !== media || stream.video.state !== 'started') return;
    stream.failures.report(207);
    onNextClick(track, () => recaptureCamera(stream, media));
  };
  let timer = 0;
  track.addEventListener('mute', () => {
    if (stream.video.stream !== media) return;
    timer = setTimeout(() => {
      timer = 0;
      interrupted();
    }, VIDEO_MUTE_MS);
  });
  track.addEventListener('unmute', () => {
    if (timer) clearTimeout(timer);
    timer = 0;
  });
  if (track.muted) interrupted();
}

// The runtime's "click anywhere to resume": the first click and the first touchend in the document each run
// `resume`, until the track unmutes.
function onNextClick(track, resume) {
  const page = globalThis.document;
  if (!page || typeof page.addEventListener !== 'function') return;
  const names = ['click', 'touchend'];
  const handlers = names.map((name) => {
    const handler = () => {
      page.removeEventListener(name, handler);
      resume();
    };
    page.addEventListener(name, handler);
    return [name, handler];
  });
  track.addEventListener('unmute', () => {
    for (const [name, handler] of handlers) page.removeEventListener(name, handler);
  });
}

// The same microphone again (the runtime's changeMicrophone with isSameDevice), keeping the mute state; no event.
async function recaptureMicrophone(stream, media) {
  if (stream.audio.stream !== media) return;
  const { deviceId } = stream.audio;
  const fresh = await capture({ audio: deviceId ? { deviceId: { exact: deviceId } } : true });
  if (!fresh) return;
  if (stream.audio.stream !== media) {
    stopTracks(fresh);
    return;
  }
  stopTracks(media);
  stream.audio.stream = fresh;
  for (const track of fresh.getTracks()) track.enabled = !stream.audio.muted;
  watchTracks(stream, fresh, 'audio');
  watchMicrophoneMute(stream, fresh);
}

// The same camera again (the runtime's changeCamera with isSameDevice); no event.
async function recaptureCamera(stream, media) {
  if (stream.video.stream !== media || stream.video.state !== 'started') return;
  const { deviceId } = stream.video;
  const fresh = await capture({ video: deviceId ? { deviceId: { exact: deviceId } } : true });
  if (!fresh) return;
  if (stream.video.stream !== media) {
    stopTracks(fresh);
    return;
  }
  stopTracks(media);
  stream.video.stream = fresh;
  if (stream.video.element) stream.video.element.srcObject = fresh;
  stream.client.feature('camera-control').publishCamera(fresh);
  watchTracks(stream, fresh, 'video');
  watchCameraMute(stream, fresh);
  startVideoHealthCheck(stream, fresh);
}

// A capture that fails leaves the muted one in place (what the runtime then does is not read).
async function capture(constraints) {
  try {
    return await navigator.mediaDevices.getUserMedia(constraints);
  } catch (failed) {
    return null;
  }
}
