// The shared screen's first frame, as the 2.5.0 runtime waits for it (docs/fidelity.md, "active-media-failed"):
// at share start the display stream plays in a <video> (the app's, when it passed one; else one of the SDK's
// own, never shown); no `loadedmetadata` within 10 s → 301, type 'sharing', throttled with 104/206. The share
// goes on: startShareScreen does not wait for the frame, and nothing is stopped.
import { isInstance } from '../core/platform.js';

export const FIRST_FRAME_MS = 10000;

export function watchFirstFrame(feature, failures, media, element) {
  if (!media.getVideoTracks().length) return;
  const video = isInstance(element, 'HTMLVideoElement') ? element : hiddenVideo();
  if (!video || typeof video.addEventListener !== 'function') return;
  const timer = setTimeout(() => {
    if (feature.own.stream === media) failures.report(301);
  }, FIRST_FRAME_MS);
  video.addEventListener('loadedmetadata', () => clearTimeout(timer), { once: true });
  // As the runtime: muted, inline, the stream as its source, and played.
  video.muted = true;
  if (typeof video.setAttribute === 'function') video.setAttribute('playsinline', '');
  if (video.srcObject !== media) video.srcObject = media;
  const playing = typeof video.play === 'function' ? video.play() : null;
  if (playing && typeof playing.catch === 'function') playing.catch(() => {}); // a refused play only delays the frame
}

function hiddenVideo() {
  const page = globalThis.document;
  return page && typeof page.createElement === 'function' ? page.createElement('video') : null;
}
