// The shared screen's first frame, as the 2.5.0 runtime waits for it (docs/fidelity.md, "active-media-failed"):
// at share start the display stream plays in a <video> (the app's, when it passed one; else one of the SDK's
// own, hidden). Its `loadedmetadata` gives the share's size, which startShareScreen waits for (with the
// back end's answer) and reports as share-content-dimension-change. No `loadedmetadata` within 10 s → 301, type
// 'sharing', throttled with 104/206; the share is not stopped and startShareScreen stays pending.
import { isInstance } from '../core/platform.js';

export const FIRST_FRAME_MS = 10000;

// The first frame's {width, height}: a promise that never settles when no frame comes. Without a <video> that
// can be listened to (a page without a DOM), at once from the track's settings.
export function firstFrame(feature, failures, media, element) {
  const [track] = media.getVideoTracks();
  const settings = track && typeof track.getSettings === 'function' ? track.getSettings() : {};
  const fromSettings = { width: settings.width || 0, height: settings.height || 0 };
  const video = track && (isInstance(element, 'HTMLVideoElement') ? element : hiddenVideo());
  if (!video || typeof video.addEventListener !== 'function') return Promise.resolve(fromSettings);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (feature.own.stream === media) failures.report(301);
    }, FIRST_FRAME_MS);
    video.addEventListener(
      'loadedmetadata',
      () => {
        clearTimeout(timer);
        resolve({ width: video.videoWidth || fromSettings.width, height: video.videoHeight || fromSettings.height });
      },
      { once: true },
    );
    play(video, media);
  });
}

// As the runtime: muted, inline, the stream as its source, and played.
function play(video, media) {
  video.muted = true;
  if (typeof video.setAttribute === 'function') video.setAttribute('playsinline', '');
  if (video.srcObject !== media) video.srcObject = media;
  const playing = typeof video.play === 'function' ? video.play() : null;
  if (playing && typeof playing.catch === 'function') playing.catch(() => {}); // a refused play only delays the frame
}

// The runtime's own: one `display: none` <video> with this id at the end of the body, reused by later shares.
export const SHARING_VIDEO_ID = '__ZOOM_SDK_SHARING_VIDEO__';

function hiddenVideo() {
  const page = globalThis.document;
  if (!page || typeof page.createElement !== 'function') return null;
  const found = typeof page.querySelector === 'function' ? page.querySelector(`#${SHARING_VIDEO_ID}`) : null;
  if (found && found.tagName === 'VIDEO') return found;
  const video = page.createElement('video');
  video.id = SHARING_VIDEO_ID;
  if (video.style) video.style.display = 'none';
  if (page.body) page.body.appendChild(video);
  return video;
}
