// A capture track the system mutes: 105 when the microphone is muted at capture, 106 when it turns muted
// mid-call, 207 when the camera stays muted 3 s (or is muted at capture); the next click captures the same
// device again unless the track unmuted first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMediaDevices } from '../support/media-stub.js';
import { Room, eventsNamed, turns } from '../support/room-stub.js';
import { VIDEO_MUTE_MS } from '../../src/stream/track-mute.js';

const failures = (client) => eventsNamed(client, 'active-media-failed');

const MIC_MUTED = {
  message: 'Your mic is muted in system or browser settings. Please open your settings to unmute and adjust the level.',
  type: 'audio',
  code: 105,
};
const MIC_INTERRUPTED = { message: 'Audio was interrupted by the system. Please click anywhere to resume playback.', type: 'audio', code: 106 };
const CAMERA_INTERRUPTED = { message: 'Video was interrupted by the system. Please click anywhere to resume.', type: 'video', code: 207 };

// The page the runtime listens on for "click anywhere".
function installPage() {
  globalThis.document = new EventTarget();
  return { click: () => globalThis.document.dispatchEvent(new Event('click')) };
}

async function joined() {
  const world = installMediaDevices();
  const page = installPage();
  const client = await new Room().join('ann', { host: true });
  return { world, page, client, stream: client.getMediaStream() };
}

const track = (media, kind) => (kind === 'video' ? media.getVideoTracks()[0] : media.getAudioTracks()[0]);

test('a microphone muted when captured: 105 before audio is joined, and audio joins', async () => {
  const { world, client, stream } = await joined();
  world.onCapture = (media) => (track(media, 'audio').muted = true);
  await stream.startAudio();
  assert.deepEqual(failures(client), [MIC_MUTED]);
  const names = client.events.map((event) => event.name);
  assert.ok(names.indexOf('active-media-failed') < names.indexOf('current-audio-change'));
  assert.equal(stream.isAudioMuted(), false);
});

test('a microphone that turns muted mid-call: 106, not throttled; an unmuted microphone is not reported', async () => {
  const { world, client, stream } = await joined();
  await stream.startAudio();
  assert.deepEqual(failures(client), []);
  const mic = track(world.captured[0], 'audio');
  mic.mute();
  mic.unmute();
  mic.mute();
  assert.deepEqual(failures(client), [MIC_INTERRUPTED, MIC_INTERRUPTED]);
});

test('after 106 a click captures the same microphone again, keeping the mute state, without an event', async () => {
  const { world, page, client, stream } = await joined();
  await stream.startAudio({ microphoneId: 'mic-2' });
  await stream.muteAudio();
  const before = client.events.length;
  track(world.captured[0], 'audio').mute();
  page.click();
  await turns(10);
  assert.equal(world.captured.length, 2);
  const fresh = track(world.captured[1], 'audio');
  assert.equal(fresh.deviceId, 'mic-2');
  assert.equal(fresh.enabled, false);
  assert.equal(track(world.captured[0], 'audio').readyState, 'ended');
  assert.equal(stream.getActiveMicrophone(), 'mic-2');
  const audioNews = client.events.slice(before).filter((event) => ['active-media-failed', 'current-audio-change'].includes(event.name));
  assert.deepEqual(audioNews.map((event) => event.name), ['active-media-failed']);
  page.click(); // the click was used up
  await turns(10);
  assert.equal(world.captured.length, 2);
  // The fresh track is watched in its turn.
  fresh.mute();
  assert.equal(failures(client).length, 2);
});

test('after 106 an unmute before any click leaves the capture alone', async () => {
  const { world, page, stream } = await joined();
  await stream.startAudio();
  const mic = track(world.captured[0], 'audio');
  mic.mute();
  mic.unmute();
  page.click();
  await turns(10);
  assert.equal(world.captured.length, 1);
  assert.equal(stream.audio.stream, world.captured[0]);
});

test('a camera muted for 3 s while video is on: 207; an unmute within 3 s: nothing', async (t) => {
  const { world, client, stream } = await joined();
  await stream.startVideo();
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const camera = track(world.captured[0], 'video');
  camera.mute();
  t.mock.timers.tick(VIDEO_MUTE_MS - 1);
  camera.unmute();
  t.mock.timers.tick(VIDEO_MUTE_MS);
  assert.deepEqual(failures(client), []);
  camera.mute();
  t.mock.timers.tick(VIDEO_MUTE_MS - 1);
  assert.deepEqual(failures(client), []);
  t.mock.timers.tick(1);
  assert.deepEqual(failures(client), [CAMERA_INTERRUPTED]);
  assert.equal(stream.isCapturingVideo(), true);
});

test('a camera muted after video stopped is not reported', async (t) => {
  const { world, client, stream } = await joined();
  await stream.startVideo();
  t.mock.timers.enable({ apis: ['setTimeout'] });
  track(world.captured[0], 'video').mute();
  await stream.stopVideo();
  t.mock.timers.tick(VIDEO_MUTE_MS);
  assert.deepEqual(failures(client), []);
});

test('a camera muted when captured: 207 at once; a click captures the same camera again', async () => {
  const { world, page, client, stream } = await joined();
  world.onCapture = (media) => {
    if (media.getVideoTracks().length) track(media, 'video').muted = world.captured.length === 1;
  };
  await stream.startVideo();
  assert.deepEqual(failures(client), [CAMERA_INTERRUPTED]);
  page.click();
  await turns(10);
  assert.equal(world.captured.length, 2);
  assert.equal(stream.video.stream, world.captured[1]);
  assert.equal(track(world.captured[1], 'video').deviceId, 'camera-1');
  assert.equal(track(world.captured[0], 'video').readyState, 'ended');
  assert.equal(stream.isCapturingVideo(), true);
  assert.deepEqual(failures(client), [CAMERA_INTERRUPTED]); // the fresh capture delivers
});
