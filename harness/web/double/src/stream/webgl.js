// active-media-failed 204 (WebglContextInvalid) where the 2.5.0 media SDK meets a browser without WebGL
// (docs/fidelity.md, "active-media-failed"). Its probe (getGpuInfo) asks a fresh canvas for a "webgl" context
// (then "moz-webgl", "webkit-3d", "experimental-webgl"); none → isWebGLContextInvalid. Two places report it:
// - the sharing encoder, once its socket is ready after the join, on the video-share path (Chrome above 100
//   with SharedArrayBuffer: a cross-origin isolated page): `isWebGLContextInvalid` → 204;
// - a video render worker that cannot get a WebGL context on the canvas it renders to ("InitWebGLFail"): the
//   renderer is WebGL unless WebGL 2 or WebGPU is found, so without WebGL a video drawn on a canvas fails.
// Both go through the throttled notification (one 204 per 5 s).
import { isSupportVideoShareSend } from '../share/platform.js';

const CONTEXT_NAMES = ['webgl', 'moz-webgl', 'webkit-3d', 'experimental-webgl'];

export function webglMissing(scope = globalThis) {
  const doc = scope.document;
  if (!doc || typeof doc.createElement !== 'function') return false; // no page (node): nothing to probe
  try {
    const canvas = doc.createElement('canvas');
    return !CONTEXT_NAMES.some((name) => canvas.getContext(name));
  } catch (error) {
    return true;
  }
}

// After the join: the sharing encoder's check, on the video-share path only (inferred: that its socket is
// ready at every join, not only once a share starts).
export function checkSharingEncoder(stream, scope = globalThis) {
  if (!isSupportVideoShareSend(scope) || !webglMissing(scope)) return;
  Promise.resolve().then(() => stream.failures.report(204));
}

// A video rendered on a canvas: its render worker's WebGL set-up, which fails after renderVideo has answered.
export function checkRenderer(stream, scope = globalThis) {
  if (!webglMissing(scope)) return;
  Promise.resolve().then(() => stream.failures.report(204));
}
