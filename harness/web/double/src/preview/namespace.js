// The functions of the `ZoomVideo` namespace that need no client (zoomvideo.d.ts), as the 2.5.0 runtime has
// them: the device list, the preview's local tracks and the preloading of the dependent assets.
// checkFeatureRequirements is in feature-requirements.js. docs/fidelity.md, "Preview".
import { LocalAudioTrack } from './audio-track.js';
import { LocalVideoTrack } from './video-track.js';
import { browserInfo } from './feature-requirements.js';

// Without skipPermissionCheck it asks for camera and microphone together (so the list has labels), stops
// what it got, then lists. Every refusal is swallowed (a console warning) and the list given anyway: before
// any permission that is one blank entry per kind. Where navigator.mediaDevices is missing (an insecure
// origin) it throws the platform's TypeError synchronously.
export function getDevices(skipPermissionCheck) {
  if (skipPermissionCheck) return navigator.mediaDevices.enumerateDevices();
  return navigator.mediaDevices
    .getUserMedia({ audio: true, video: true })
    .then((media) => {
      for (const track of media.getTracks()) track.stop();
      return navigator.mediaDevices.enumerateDevices();
    })
    .catch((error) => {
      console.warn(error);
      return navigator.mediaDevices.enumerateDevices();
    });
}

// No check at all: a new track each call, whatever the device id, before init or in a session.
export function createLocalAudioTrack(deviceId = '') {
  return new LocalAudioTrack(deviceId);
}

export function createLocalVideoTrack(deviceId = '') {
  return new LocalVideoTrack(deviceId);
}

// The SIMD and threads probes of the runtime (tiny WebAssembly modules it validates).
const SIMD = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 9, 1, 7, 0, 65, 0, 253, 15, 26, 11]);
const THREADS = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);
const WEB_CLIENT_ASSETS = 'https://source.zoom.us/6.2.0/lib/av'; // the runtime's fallback for an empty path

function validates(bytes) {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
  } catch (error) {
    return false;
  }
}

function threads() {
  try {
    if (typeof MessageChannel !== 'undefined') new MessageChannel().port1.postMessage(new SharedArrayBuffer(1));
    return validates(THREADS);
  } catch (error) {
    return false;
  }
}

// The runtime's table of the media engine's workers and wasm files (category, tags), and its choice of them:
// audio by SIMD; video and sharing by SIMD and threads (the video-share build on Chrome over 100 with
// SharedArrayBuffer); the network thread always. Workers first, then wasm files, as the runtime lists them.
const ENGINE_FILES = [
  ['audio_simd.min.js', 'audio', 'simd'], ['audio.simd.wasm', 'audio', 'simd'],
  ['js_audio_process.min.js', 'audio', ''], ['audio.encode.wasm', 'audio', ''],
  ['video_mtsimd.min.js', 'video', 'simd,thread'], ['video.mtsimd.wasm', 'video', 'simd,thread,videoShare'],
  ['video_m.min.js', 'video', 'thread'], ['video.mt.wasm', 'video', 'thread'],
  ['video_simd.min.js', 'video', 'simd'], ['video.simd.wasm', 'video', 'simd'],
  ['video_s.min.js', 'video', ''], ['video.decode.wasm', 'video', ''],
  ['video_share_mtsimd.min.js', 'video', 'videoShare'],
  ['sharing_mtsimd.min.js', 'sharing', 'simd,thread'], ['sharing_m.min.js', 'sharing', 'thread'],
  ['sharing_simd.min.js', 'sharing', 'simd'], ['sharing_s.min.js', 'sharing', ''],
  ['net_thread.min.js', 'common', 'thread'],
];

function filesTagged(categories, tag) {
  return ENGINE_FILES.filter(([, category, tags]) => categories.includes(category) && (tags === tag || tags.split(',').includes(tag))).map(([name]) => name);
}

function engineFiles() {
  const simd = validates(SIMD);
  const mt = threads();
  const { browser, browserVersion, isAndroidBrowser } = browserInfo();
  const videoShare = simd && !isAndroidBrowser && browser.toLowerCase() === 'chrome' && Number.parseInt(browserVersion, 10) > 100 && typeof SharedArrayBuffer === 'function';
  let videoTag = '';
  if (videoShare) videoTag = 'videoShare';
  else if (simd && mt) videoTag = 'simd,thread';
  else if (mt) videoTag = 'thread';
  else if (simd) videoTag = 'simd';
  const files = [...filesTagged(['audio'], simd ? 'simd' : ''), ...filesTagged(['video', 'sharing'], videoTag), ...filesTagged(['common'], 'thread')];
  const workers = files.filter((name) => name.endsWith('.js'));
  return [...workers, ...files.filter((name) => !name.endsWith('.js'))];
}

function preloadLink(doc, href, as) {
  const link = doc.createElement('link');
  Object.assign(link, { rel: 'preload', href, as, crossOrigin: 'anonymous' });
  return link;
}

// `<link rel=preload>` tags in the page's head for js_media.min.js and the engine's files. Nothing is
// awaited, returned or thrown: a wrong folder shows only as the browser's failed requests. `hosted` gives
// the folder of a named place (Global, CN, CDN), as client.init resolves it; anything else is used as is.
export function preloadDependentAssets(path = 'Global', hosted = (name) => name) {
  const named = ['Global', 'CN', 'CDN'].includes(path);
  const folder = (named ? hosted(path) : path) || WEB_CLIENT_ASSETS;
  try {
    const doc = globalThis.document;
    const links = [preloadLink(doc, `${folder}/js_media.min.js`, 'script')];
    for (const file of engineFiles()) links.push(preloadLink(doc, `${folder}/${file}`, 'fetch'));
    doc.head.append(...links);
  } catch (error) {
    /* the runtime ignores a page it cannot add to */
  }
}
