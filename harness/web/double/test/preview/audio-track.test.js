// LocalAudioTrack: the microphone starts muted, the browser's exceptions pass through untouched, misuse is a
// plain Error named in its message, and stop() keeps the mute state (the runtime's quirk).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalAudioTrack } from '../../src/preview/audio-track.js';
import { absent, denied, installPreviewPage } from '../support/preview-page.js';

const message = async (promise) => promise.then(() => assert.fail('expected a rejection'), (error) => error.message);

test('start captures the microphone muted: mute rejects AudioAlreadyMutedError, unmute starts the meter', async () => {
  const world = installPreviewPage();
  const track = new LocalAudioTrack();
  assert.equal(await track.start(), undefined);
  assert.deepEqual(world.asked[0], { audio: true, video: false });
  assert.equal(await message(track.mute()), 'AudioAlreadyMutedError');
  assert.equal(track.getCurrentVolume(), 0);
  await track.unmute();
  assert.equal(await message(track.unmute()), 'AudioAlreadyUnmutedError');
  track.inputMicDetector.script.onaudioprocess({ inputBuffer: { getChannelData: () => [0.5, -0.5] } });
  assert.equal(track.getCurrentVolume(), 0.5);
  await track.mute();
  assert.equal(track.getCurrentVolume(), 0);
});

test('a named microphone is asked for exactly', async () => {
  const world = installPreviewPage();
  await new LocalAudioTrack('mic-2').start();
  assert.deepEqual(world.asked[0], { audio: { deviceId: { exact: 'mic-2' } }, video: false });
});

for (const [world, refusal, name] of [['denied', denied, 'NotAllowedError'], ['absent', absent, 'NotFoundError']]) {
  test(`microphone ${world}: start rejects the browser's ${name} (no 6010), then nothing is started`, async () => {
    const page = installPreviewPage();
    page.refuse.audio = refusal;
    const track = new LocalAudioTrack();
    const error = await track.start().catch((caught) => caught);
    assert.ok(error instanceof DOMException);
    assert.equal(error.name, name);
    assert.equal(error.errorCode, undefined);
    for (const method of ['mute', 'unmute', 'stop']) assert.equal(await message(track[method]()), 'AudioNotStartedError');
  });
}

test('before start: mute, unmute and stop reject AudioNotStartedError; start twice AudioAlreadyStartedError', async () => {
  installPreviewPage();
  const track = new LocalAudioTrack();
  for (const method of ['mute', 'unmute', 'stop']) assert.equal(await message(track[method]()), 'AudioNotStartedError');
  await track.start();
  assert.equal(await message(track.start()), 'AudioAlreadyStartedError');
});

test('stop releases the microphone but keeps it unmuted: after a new start, unmute is refused', async () => {
  const world = installPreviewPage();
  const track = new LocalAudioTrack();
  await track.start();
  await track.unmute();
  await track.stop();
  assert.equal(world.captured[0].getTracks()[0].readyState, 'ended');
  await track.start();
  assert.equal(await message(track.unmute()), 'AudioAlreadyUnmutedError');
});
