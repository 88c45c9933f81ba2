// The speaker and microphone tests: a handle at once, failures only as unhandled rejections of the
// browser's exception, and "a tester is running" until the handle stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalAudioTrack } from '../../src/preview/audio-track.js';
import { SAMPLE_AUDIO_URL } from '../../src/preview/audio-tester.js';
import { absent, denied, installPreviewPage, unhandledDuring } from '../support/preview-page.js';

const keys = (handle) => Object.keys(handle).sort();

test('testMicrophone hands back {stop, stopRecording, destroy} and captures the microphone', async () => {
  const world = installPreviewPage();
  const track = new LocalAudioTrack();
  const { value, unhandled } = await unhandledDuring(() => track.testMicrophone({ microphoneId: 'mic-2' }));
  assert.deepEqual(keys(value), ['destroy', 'stop', 'stopRecording']);
  assert.deepEqual(world.asked[0], { audio: { deviceId: { exact: 'mic-2' } } });
  assert.deepEqual(unhandled, []);
  value.stop();
  assert.equal(world.captured[0].getTracks()[0].readyState, 'ended');
});

for (const [world, refusal, name] of [['without a microphone', absent, 'NotFoundError'], ['with the microphone denied', denied, 'NotAllowedError']]) {
  test(`testMicrophone ${world}: the handle at once, then an unhandled ${name}; busy until stopped`, async () => {
    const page = installPreviewPage();
    page.refuse.audio = refusal;
    const track = new LocalAudioTrack();
    const { value: handle, unhandled } = await unhandledDuring(() => track.testMicrophone({}));
    assert.deepEqual(keys(handle), ['destroy', 'stop', 'stopRecording']);
    assert.equal(unhandled.length, 1);
    assert.equal(unhandled[0].name, name);
    assert.equal(track.testMicrophone({}), undefined, 'a tester is running');
    assert.equal(track.testSpeaker({}), undefined, 'the speaker test shares the tester');
    handle.stop();
    const again = await unhandledDuring(() => track.testMicrophone({}));
    assert.ok(again.value, 'after stop a new test starts');
    assert.equal(again.unhandled.length, 1);
  });
}

test("testSpeaker fetches Zoom's ring sound by default; offline it fails only as an unhandled TypeError", async () => {
  const world = installPreviewPage();
  world.sound = null;
  const track = new LocalAudioTrack();
  const { value, unhandled } = await unhandledDuring(() => track.testSpeaker());
  assert.deepEqual(keys(value), ['destroy', 'stop']);
  assert.deepEqual(world.fetched, [SAMPLE_AUDIO_URL]);
  assert.equal(unhandled.length, 1);
  assert.equal(unhandled[0].message, 'Failed to fetch');
  assert.equal(track.testSpeaker(), undefined);
});

test('testSpeaker with a file that is not sound: an unhandled EncodingError', async () => {
  const world = installPreviewPage();
  world.sound = new ArrayBuffer(0);
  const { unhandled } = await unhandledDuring(() => new LocalAudioTrack().testSpeaker({ sampleAudioUrl: '/missing.mp3' }));
  assert.equal(unhandled.length, 1);
  assert.equal(unhandled[0].name, 'EncodingError');
});

test('testSpeaker plays and reports the average frequency when asked; destroy closes the audio context', async () => {
  installPreviewPage();
  const track = new LocalAudioTrack();
  const heard = [];
  const { value, unhandled } = await unhandledDuring(() => track.testSpeaker({ onAnalyseFrequency: (average) => heard.push(average) }));
  assert.deepEqual(unhandled, []);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.ok(heard.length > 0 && heard.every((average) => average === 10), `heard ${heard}`);
  const context = track.tester.audioCtx;
  value.destroy();
  assert.equal(context.state, 'closed');
  assert.equal(track.tester.isRunning, false);
});

test('without the browser capability the tests return undefined', () => {
  installPreviewPage();
  delete globalThis.AudioContext;
  const track = new LocalAudioTrack();
  assert.equal(track.testSpeaker(), undefined);
  assert.equal(track.testMicrophone(), undefined);
});
