// LocalVideoTrack on a <video>: the browser's exceptions pass through untouched, the runtime's own misuse
// errors are plain Errors, one retry on an unsatisfiable constraint, switchCamera restarts and can leave
// the preview stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalVideoTrack } from '../../src/preview/video-track.js';
import { absent, busy, denied, installPreviewPage, overconstrained, video } from '../support/preview-page.js';

const rejection = async (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error);

test('a granted camera plays in the <video>, muted and inline, 16:9 asked for', async () => {
  const world = installPreviewPage();
  const track = new LocalVideoTrack();
  const element = video();
  assert.equal(await track.start(element), undefined);
  assert.equal(element.srcObject, world.captured[0]);
  assert.equal(element.muted, true);
  assert.equal(element.playsInline, true);
  assert.deepEqual(world.asked[0].video.width, { min: 1024, ideal: 1280, max: 1920 });
  assert.equal(world.asked[0].audio, false);
  assert.equal(track.isVideoStarted, true);
});

for (const [world, refusal, name] of [['denied', denied, 'NotAllowedError'], ['absent', absent, 'NotFoundError'], ['busy', busy, 'NotReadableError']]) {
  test(`camera ${world}: start rejects the browser's own ${name}, not a Zoom code`, async () => {
    const page = installPreviewPage();
    page.refuse.video = refusal;
    const track = new LocalVideoTrack();
    const error = await rejection(track.start(video()));
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, name);
    assert.equal(error.errorCode, undefined);
    assert.equal(page.asked.length, 1, 'no retry for anything but an unsatisfiable constraint');
    // Nothing was started: a second start tries again, stop says it never started.
    assert.equal((await rejection(track.start(video()))).name, name);
    assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
  });
}

test('misuse is a plain Error named in its message', async () => {
  installPreviewPage();
  const track = new LocalVideoTrack();
  assert.equal((await rejection(track.start(null))).message, 'VideoPlayer DOM element is falsy');
  assert.equal((await rejection(track.start(video(), { imageUrl: 'blur' }))).message, 'Cannot start video with virtual background');
  assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
  await track.start(video());
  const again = await rejection(track.start(video()));
  assert.ok(again instanceof Error && again.name === 'Error');
  assert.equal(again.message, 'VideoAlreadyStartedError');
  await track.stop();
  assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
});

test('an unsatisfiable constraint is retried once, asking for any camera', async () => {
  const world = installPreviewPage();
  const original = navigator.mediaDevices.getUserMedia;
  let calls = 0;
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    calls += 1;
    if (calls === 1) throw overconstrained();
    return original(constraints);
  };
  const track = new LocalVideoTrack();
  await track.start(video());
  assert.equal(calls, 2);
  assert.deepEqual(world.asked, [{ audio: false, video: true }]);
  assert.equal(track.isVideoStarted, true);
});

test('the retry of a named camera keeps its id and its failure is thrown as is', async () => {
  installPreviewPage();
  const asked = [];
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    asked.push(constraints.video);
    throw overconstrained();
  };
  const track = new LocalVideoTrack('gone-camera');
  const error = await rejection(track.start(video()));
  assert.equal(error.name, 'OverconstrainedError');
  assert.equal(error.constraint, 'deviceId');
  assert.deepEqual(asked[1], { deviceId: { exact: 'gone-camera' } });
});

test('a camera id once asked for stays in the constraints of later tracks (the runtime shares them)', async () => {
  const world = installPreviewPage();
  await new LocalVideoTrack('camera-2').start(video());
  await new LocalVideoTrack().start(video());
  assert.deepEqual(world.asked[1].video.deviceId, { exact: 'camera-2' });
});

test('a facing mode is asked for as such', () => {
  const track = new LocalVideoTrack('environment');
  assert.deepEqual(track.getVideoConstraints(), { audio: false, video: { facingMode: 'environment' } });
});

test('two starts at once: the second load interrupts the first play, whose camera is never released', async () => {
  const world = installPreviewPage();
  const track = new LocalVideoTrack();
  const element = video();
  const interrupted = new DOMException('The play() request was interrupted by a new load request.', 'AbortError');
  let plays = 0;
  element.play = async () => {
    plays += 1;
    if (plays === 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw interrupted;
    }
  };
  const [first, second] = await Promise.allSettled([track.start(element), track.start(element)]);
  assert.equal(first.status, 'rejected');
  assert.equal(first.reason.name, 'AbortError');
  assert.equal(second.status, 'fulfilled');
  await track.stop();
  assert.deepEqual(world.captured.map((media) => media.getTracks()[0].readyState), ['live', 'ended']);
});

test('switchCamera: same id does nothing, before start it only keeps the id', async () => {
  const world = installPreviewPage();
  const track = new LocalVideoTrack();
  await track.switchCamera('');
  await track.switchCamera('camera-2');
  assert.equal(track.deviceId, 'camera-2');
  assert.equal(world.asked.length, 0);
});

test('switchCamera to a missing camera rejects the browser error and leaves the preview stopped', async () => {
  const world = installPreviewPage();
  const track = new LocalVideoTrack();
  const element = video();
  await track.start(element);
  world.refuse.video = overconstrained;
  const error = await rejection(track.switchCamera('no-such-camera'));
  assert.equal(error.name, 'OverconstrainedError');
  assert.equal(world.captured[0].getTracks()[0].readyState, 'ended', 'the old camera was stopped first');
  assert.equal((await rejection(track.stop())).message, 'VideoNotStartedError');
});

test('updateVirtualBackground does nothing on a <video> preview or before start', async () => {
  installPreviewPage();
  const track = new LocalVideoTrack();
  assert.equal(await track.updateVirtualBackground('blur'), undefined);
  await track.start(video());
  assert.equal(await track.updateVirtualBackground('blur'), undefined);
  assert.equal(track.videoParams.virtualBackground, undefined);
});
