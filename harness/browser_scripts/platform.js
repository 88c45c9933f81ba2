// Installed before the page's own scripts (classic script, no export): removes platform capabilities
// the way an old or locked-down browser lacks them.
(function (config) {
  'use strict';
  if (window.__harnessPlatform) return;
  window.__harnessPlatform = true;
  if (config.webassembly === false) delete window.WebAssembly;
  // On an insecure origin the [SecureContext] attribute is not exposed at all.
  if (config.media_devices === false) delete Navigator.prototype.mediaDevices;
})(__CONFIG__);
