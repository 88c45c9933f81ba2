// The virtual-background preview behind LocalVideoTrack.start(<canvas> or <video-player>), as the 2.5.0
// runtime has it: it refuses before client.init ({type, reason}, no errorCode), refuses an image where the
// platform has no virtual background, then captures the camera and shows it in the element. A capture
// failure is sorted as the session's startVideo sorts it (capture.js), in the preview's shape. In a session
// the runtime hands the preview to the session's media engine and resolves at once.
// docs/fidelity.md, "Preview".
import { previewCaptureFailure } from '../stream/capture.js';
import { virtualBackgroundSupported } from '../stream/backgrounds.js';
import { isElementOf, stopTracks } from '../core/platform.js';

// The SDK's client, as index.js hands it over: what client.init set up (its options) and whether it is in a
// session are all the preview reads of it.
let clientOf = () => null;
export function usePreviewClient(getter) {
  clientOf = getter;
}

const initialised = (client) => !!(client && client.initOptions);
const inSession = (client) => !!client && client.status === 'joined';

const refusal = (reason) => ({ type: 'INVALID_OPERATION', reason });
const ELEMENT_ID = '__ZOOM_SDK_PREVIEW_VIRTUAL_BACKGROUND_CANVAS_@__';

export class CanvasPreview {
  constructor() {
    this.state = undefined;
    this.media = null;
    this.painter = null;
  }

  setup() {
    if (!initialised(clientOf())) return Promise.reject(refusal('Cannot preview video with virtual background before `client.init` method.'));
    return Promise.resolve('');
  }

  async startPreview(element, options) {
    if (inSession(clientOf())) {
      // The runtime does not wait for the session's engine here: a failure never reaches the caller.
      this.capture(element, options).catch((error) => console.error('USER_FORBIDDED_CAPTURE_VIDEO', error));
      return undefined;
    }
    if (options.imageUrl && !virtualBackgroundSupported()) {
      throw refusal('Virtual background is not supported on the current platform');
    }
    try {
      await this.capture(element, options);
    } catch (error) {
      throw previewCaptureFailure(error);
    }
    this.state = { element, vb: options };
    return undefined;
  }

  async capture(element, options) {
    markElement(element);
    const video = { width: { ideal: 1280 }, height: { ideal: 720 } };
    if (options.deviceId && options.deviceId !== 'default') video.deviceId = { exact: options.deviceId };
    const media = await navigator.mediaDevices.getUserMedia({ audio: false, video });
    this.stopPreview();
    this.media = media;
    this.painter = show(element, media);
  }

  async stopPreview() {
    if (this.painter) this.painter();
    this.painter = null;
    stopTracks(this.media);
    this.media = null;
  }

  async updatePreview(imageUrl, cropped) {
    if (this.state) this.state.vb = { ...this.state.vb, imageUrl, cropped };
  }
}

// The runtime names the element for its media engine: a canvas by its id (given one when it has none), a
// <video-player> by node-id and media-type attributes.
function markElement(element) {
  if (isElementOf(element, 'HTMLCanvasElement')) {
    if (!element.id) element.id = ELEMENT_ID;
  } else if (typeof element.setAttribute === 'function') {
    element.setAttribute('node-id', ELEMENT_ID);
    element.setAttribute('media-type', 'preview');
  }
}

// Shows the camera in the element (the double composites no background): a canvas is painted frame by
// frame from a hidden <video>, any other element gets a <video> inside it. Returns what undoes it.
function show(element, media) {
  const doc = globalThis.document;
  if (!doc || typeof doc.createElement !== 'function') return () => {};
  const video = doc.createElement('video');
  Object.assign(video, { autoplay: true, muted: true, playsInline: true, srcObject: media });
  if (!isElementOf(element, 'HTMLCanvasElement')) {
    if (typeof element.appendChild === 'function') element.appendChild(video);
    return () => video.remove();
  }
  video.play().catch(() => {});
  const context = element.getContext('2d');
  let frame = requestAnimationFrame(function paint() {
    if (context && video.videoWidth) context.drawImage(video, 0, 0, element.width, element.height);
    frame = requestAnimationFrame(paint);
  });
  return () => {
    cancelAnimationFrame(frame);
    video.srcObject = null;
  };
}
