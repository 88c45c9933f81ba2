// active-media-failed 205 (WasmOutOfMemory) where the 2.5.0 media SDK meets a browser that cannot reserve its
// WebAssembly memory (docs/fidelity.md, "active-media-failed"). With the session's media (after the join) the
// SDK starts its video encode and decode workers; on its multi-threaded path (SharedArrayBuffer and WebAssembly
// threads: a cross-origin isolated page) each worker asks the page for its memory ("WFMO"), which the page
// allocates as `new WebAssembly.Memory({initial: 1024, maximum, shared: true})`: maximum 32000 pages for the
// encoder and 16384 for the decoder on the video-share path (isSupportVideoShareSend), else 8192. A throw is
// logged "E:H Allocate WasmMemory Failed" and reported through the throttled notification (one 205 per 5 s,
// so the two workers give one event). The double makes the same allocations with the same numbers, lets the
// browser decide, and drops the memory at once (it runs no codec), so a page keeps nothing.
import { isSupportVideoShareSend } from '../share/platform.js';
import { usesWebRTCVideo } from './render.js';

export const INITIAL_PAGES = 1024;

// The worker memories the runtime allocates at media start: [worker, maximum pages].
export function workerMemories(scope = globalThis) {
  const videoShare = isSupportVideoShareSend(scope);
  return [
    ['VIDEO_ENCODE', videoShare ? 32000 : 8192],
    ['VIDEO_DECODE', videoShare ? 16384 : 8192],
  ];
}

// The multi-threaded path: SharedArrayBuffer in a cross-origin isolated page, and WebAssembly to allocate with.
export function multiThreaded(scope = globalThis) {
  return (
    !!scope.crossOriginIsolated &&
    typeof scope.SharedArrayBuffer === 'function' &&
    !!scope.WebAssembly &&
    typeof scope.WebAssembly.Memory === 'function'
  );
}

// Whether the browser refused one allocation (the names of the workers it refused, in order).
export function allocateWorkerMemories(scope = globalThis) {
  const refused = [];
  for (const [worker, maximum] of workerMemories(scope)) {
    try {
      new scope.WebAssembly.Memory({ initial: INITIAL_PAGES, maximum, shared: true });
    } catch (error) {
      refused.push(worker);
    }
  }
  return refused;
}

// After the join: the media SDK's video workers get their memory (WebAssembly video only: WebRTC video, the
// token's `video_webrtc_mode: 1`, is inferred not to start them).
export function checkWasmMemory(client, scope = globalThis) {
  if (!multiThreaded(scope) || usesWebRTCVideo(client)) return;
  if (allocateWorkerMemories(scope).length === 0) return;
  Promise.resolve().then(() => client.stream.failures.report(205));
}
