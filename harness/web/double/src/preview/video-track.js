// LocalVideoTrack (ZoomVideo.createLocalVideoTrack, preview.d.ts) as the 2.5.0 runtime has it: two paths.
// A <video> element is a plain getUserMedia + play(): what the browser throws passes through untouched
// (a DOMException, no Zoom code), with one retry on an unsatisfiable constraint. Any other element (a
// canvas, a <video-player>) is the virtual-background preview (canvas-preview.js), which needs client.init
// and reports {type, reason} without errorCode. The runtime's errors here are plain Error objects whose
// message names the problem ("VideoNotStartedError"). docs/fidelity.md, "Preview".
import { CanvasPreview } from './canvas-preview.js';
import { isElementOf } from '../core/platform.js';

export const FACING_MODES = Object.freeze(['user', 'environment', 'left', 'right']);

// The runtime's constraints, one object for every track: a device id asked for is written into it and
// stays there for later tracks (the runtime's quirk, kept: a later track without an id asks for that camera
// first and falls back to {video: true} when it is gone).
const CONSTRAINTS = { width: { min: 1024, ideal: 1280, max: 1920 }, height: { min: 576, ideal: 720, max: 1080 }, aspectRatio: { ideal: 1.777777778 } };

const UNSATISFIABLE = ['OverconstrainedError', 'ConstraintNotSatisfiedError'];

export class LocalVideoTrack {
  constructor(deviceId = '') {
    this.isVideoStarted = false;
    this.videoStream = null;
    this.vbPreviewInProgress = false;
    this.deviceId = deviceId;
    this.localPreview = new CanvasPreview();
    this.videoParams = undefined;
  }

  async start(element, virtualBackground) {
    if (!element) throw new Error('VideoPlayer DOM element is falsy');
    if (this.isVideoStarted || this.videoStream) throw new Error('VideoAlreadyStartedError');
    this.videoParams = { element, virtualBackground };
    // One retry when the camera cannot satisfy the 16:9 constraints; any other failure is the browser's own.
    const fallback = async (error) => {
      if (!error || !UNSATISFIABLE.includes(error.name)) throw error;
      console.log(`Warning: detected ${error.name} -- trying to fall back to lower aspect ratio`);
      const media = await navigator.mediaDevices.getUserMedia(this.getVideoConstraints(true));
      return this.tryPlayVideo(element, media);
    };
    if (isElementOf(element, 'HTMLVideoElement')) {
      if (virtualBackground !== undefined) throw new Error('Cannot start video with virtual background');
      let media;
      try {
        media = await navigator.mediaDevices.getUserMedia(this.getVideoConstraints());
      } catch (error) {
        return fallback(error);
      }
      return this.tryPlayVideo(element, media);
    }
    if (isElementOf(element, 'HTMLCanvasElement') && virtualBackground !== undefined) {
      console.warn('The canvas element will be deprecated. Please use the Videoplayer element to preview the virtual background.');
    }
    await this.localPreview.setup();
    await this.localPreview.startPreview(element, { ...virtualBackground, deviceId: this.deviceId });
    this.vbPreviewInProgress = true;
    this.isVideoStarted = true;
    return undefined;
  }

  async stop() {
    if (this.vbPreviewInProgress) {
      await this.localPreview.stopPreview();
      this.vbPreviewInProgress = false;
      this.isVideoStarted = false;
      return;
    }
    if (!this.videoStream || !this.isVideoStarted) throw new Error('VideoNotStartedError');
    for (const track of this.videoStream.getVideoTracks()) track.stop();
    this.videoStream = null;
    this.isVideoStarted = false;
  }

  // Not started: only the id is kept. Started: stop, then start again on the same element; a failure of the
  // new start leaves the preview stopped.
  async switchCamera(deviceId) {
    if (deviceId === this.deviceId) return;
    this.deviceId = deviceId;
    if (!this.videoStream && !this.isVideoStarted) return;
    await this.stop();
    if (this.videoParams) await this.start(this.videoParams.element, this.videoParams.virtualBackground);
  }

  // Does nothing (and resolves) unless a virtual-background preview is running.
  async updateVirtualBackground(imageUrl, cropped) {
    if (!this.vbPreviewInProgress) return;
    await this.localPreview.updatePreview(imageUrl, cropped);
    this.videoParams.virtualBackground = { imageUrl, cropped };
  }

  getVideoConstraints(fallback = false) {
    if (FACING_MODES.includes(this.deviceId)) return { audio: false, video: { facingMode: this.deviceId } };
    let video = CONSTRAINTS;
    if (fallback) video = this.deviceId === '' || { deviceId: { exact: this.deviceId } };
    else if (this.deviceId !== '') video.deviceId = { exact: this.deviceId };
    return { audio: false, video };
  }

  async tryPlayVideo(element, media) {
    if (!element) throw new Error('Video DOM element is falsy');
    this.videoStream = media;
    element.muted = true;
    element.playsInline = true;
    element.srcObject = this.videoStream;
    await element.play();
    this.isVideoStarted = true;
  }
}
