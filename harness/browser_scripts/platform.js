// Installed before the page's own scripts (classic script, no export): removes platform capabilities
// the way an old, locked-down or insecure-origin browser lacks them. Each removal deletes the binding
// itself, so feature checks (`'x' in window`, `typeof X`) see it missing, as on such a browser.
(function (config) {
  'use strict';
  if (window.__harnessPlatform) return;
  window.__harnessPlatform = true;
  const removals = {
    webassembly: () => delete window.WebAssembly,
    // On an insecure origin the [SecureContext] attribute is not exposed at all.
    media_devices: () => delete Navigator.prototype.mediaDevices,
    get_display_media: () => window.MediaDevices && delete MediaDevices.prototype.getDisplayMedia,
    worker: () => delete window.Worker,
    audio_worklet: () => {
      delete window.AudioWorklet;
      delete window.AudioWorkletNode;
      if (window.BaseAudioContext) delete BaseAudioContext.prototype.audioWorklet;
    },
    media_capabilities: () => {
      delete Navigator.prototype.mediaCapabilities;
      delete window.MediaCapabilities;
    },
    offscreen_canvas: () => {
      delete window.OffscreenCanvas;
      if (window.HTMLCanvasElement) delete HTMLCanvasElement.prototype.transferControlToOffscreen;
    },
  };
  for (const [name, present] of Object.entries(config)) {
    if (present === false && removals[name]) removals[name]();
  }
})(__CONFIG__);
