// LocalVideoTrack on a canvas or a <video-player>: the virtual-background preview. Refused before
// client.init; capture failures sorted into the session's two buckets, in the preview's {type, reason} shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalVideoTrack } from '../../src/preview/video-track.js';
import { usePreviewClient } from '../../src/preview/canvas-preview.js';
import { previewCaptureFailure, videoCaptureFailure } from '../../src/stream/capture.js';
import { absent, busy, canvas, denied, installPreviewPage } from '../support/preview-page.js';

const rejection = async (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);
const initialised = { initOptions: {}, status: 'idle' };

test('before client.init the canvas preview is refused with {type, reason} and no errorCode', async () => {
  installPreviewPage();
  usePreviewClient(() => null);
  const track = new LocalVideoTrack();
  const error = await rejection(track.start(canvas()));
  assert.deepEqual(error, { type: 'INVALID_OPERATION', reason: 'Cannot preview video with virtual background before `client.init` method.' });
  assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
});

test('after init a granted camera previews on the canvas; stop releases it', async () => {
  const world = installPreviewPage();
  usePreviewClient(() => initialised);
  const track = new LocalVideoTrack();
  const element = canvas();
  assert.equal(await track.start(element), undefined);
  assert.ok(element.id, 'the canvas is named for the media engine');
  assert.equal(track.vbPreviewInProgress, true);
  assert.equal(await track.updateVirtualBackground('blur', true), undefined);
  assert.deepEqual(track.videoParams.virtualBackground, { imageUrl: 'blur', cropped: true });
  await track.stop();
  assert.equal(world.captured[0].getTracks()[0].readyState, 'ended');
  assert.equal(track.isVideoStarted, false);
});

const CASES = [
  ['denied', denied, 'VIDEO_USER_FORBIDDEN_CAPTURE', 6100],
  ['absent', absent, 'VIDEO_USER_FORBIDDEN_CAPTURE', 6100],
  ['busy', busy, 'VIDEO_CAMERA_IS_TAKEN', 6103],
];
for (const [world, refusal, type, code] of CASES) {
  test(`camera ${world}: the canvas preview rejects ${type}, the bucket startVideo gives ${code}`, async () => {
    const page = installPreviewPage();
    usePreviewClient(() => initialised);
    page.refuse.video = refusal;
    const track = new LocalVideoTrack();
    const error = await rejection(track.start(canvas()));
    assert.equal(error.type, type);
    assert.equal(error.errorCode, undefined);
    assert.equal(videoCaptureFailure(refusal()).type, type, 'the session sorts the same exception the same way');
    assert.equal(videoCaptureFailure(refusal()).errorCode, code);
    if (type === 'VIDEO_CAMERA_IS_TAKEN') assert.deepEqual(error.reason, { reason: 'User camera is taken by other programs.' });
    else assert.equal(error.reason.name, refusal().name, 'the browser exception itself is the reason');
    assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
  });
}

test('an image where the platform has no virtual background is refused', async () => {
  installPreviewPage();
  usePreviewClient(() => initialised);
  const saved = globalThis.OffscreenCanvas;
  delete globalThis.OffscreenCanvas;
  try {
    const error = await rejection(new LocalVideoTrack().start(canvas(), { imageUrl: 'blur' }));
    assert.deepEqual(error, { type: 'INVALID_OPERATION', reason: 'Virtual background is not supported on the current platform' });
  } finally {
    if (saved) globalThis.OffscreenCanvas = saved;
  }
});

test('in a session the preview resolves at once, whatever the camera says', async () => {
  const page = installPreviewPage();
  usePreviewClient(() => ({ initOptions: {}, status: 'joined' }));
  page.refuse.video = denied;
  const errors = [];
  const original = console.error;
  console.error = (...args) => errors.push(args);
  try {
    assert.equal(await new LocalVideoTrack().start(canvas()), undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    console.error = original;
  }
  assert.equal(errors.length, 1);
});

test('previewCaptureFailure keeps the DOMException as the reason of a forbidden capture', () => {
  const exception = denied();
  assert.equal(previewCaptureFailure(exception).reason, exception);
  assert.equal(previewCaptureFailure({ name: 'CameraOccupiedError' }).type, 'VIDEO_CAMERA_IS_TAKEN');
});
