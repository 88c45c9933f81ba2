// A live capture track that ends: 203/103 without the permission, 202/102 while the device stays listed,
// nothing when it has left the list (unplugged), with the runtime's payloads and throttle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMediaDevices } from '../support/media-stub.js';
import { Room, eventsNamed, until } from '../support/room-stub.js'; // until: the track end awaits the Permissions API and the device list

const failures = (client) => eventsNamed(client, 'active-media-failed');

const audioEvents = (client) =>
  client.events.filter((event) => event.name === 'current-audio-change').map((event) => event.payload);

function permissions(states) {
  navigator.permissions = { query: async ({ name }) => ({ state: states[name] || 'granted' }) };
}

async function joined() {
  const world = installMediaDevices();
  const client = await new Room().join('ann', { host: true });
  return { world, client, stream: client.getMediaStream() };
}

test('camera permission revoked: 203 with the runtime message, video stopped', async () => {
  const { world, client, stream } = await joined();
  await stream.startVideo();
  permissions({ camera: 'denied' });
  world.captured[0].getVideoTracks()[0].end();
  await until(() => failures(client).length, 'active-media-failed');
  assert.deepEqual(failures(client), [
    { message: 'Your browser is preventing access to your camera.Please grant the permission.', type: 'video', code: 203 },
  ]);
  assert.equal(stream.isCapturingVideo(), false);
});

test('camera stops while listed and allowed: 202', async () => {
  const { world, client, stream } = await joined();
  await stream.startVideo();
  permissions({});
  world.captured[0].getVideoTracks()[0].end();
  await until(() => failures(client).length, 'active-media-failed');
  assert.deepEqual(failures(client), [
    { message: "Can't access your camera. Please refresh your browser to try again.", type: 'video', code: 202 },
  ]);
});

test('camera unplugged (gone from the list): no active-media-failed, video stopped', async () => {
  const { world, client, stream } = await joined();
  await stream.startVideo();
  permissions({});
  world.devices.splice(world.devices.findIndex((device) => device.kind === 'videoinput'), 1);
  world.captured[0].getVideoTracks()[0].end();
  await until(() => !stream.isCapturingVideo(), 'video stopped');
  await until(() => client.events.some((event) => event.name === 'video-capturing-change' && event.payload.state === 'Stopped'), 'Stopped');
  assert.deepEqual(failures(client), []);
  assert.equal(stream.isCapturingVideo(), false);
  const capturing = client.events.filter((event) => event.name === 'video-capturing-change');
  assert.deepEqual(capturing.at(-1).payload, { state: 'Stopped' });
});

test('a second camera end within 5 s is not reported again', async () => {
  const { world, client, stream } = await joined();
  permissions({});
  await stream.startVideo();
  world.captured[0].getVideoTracks()[0].end();
  await until(() => failures(client).length === 1, 'the first 202');
  await stream.startVideo();
  world.captured[1].getVideoTracks()[0].end();
  await until(() => !stream.isCapturingVideo(), 'the second capture stopped');
  assert.deepEqual(failures(client).map((payload) => payload.code), [202]);
});

test('microphone permission revoked: 103, audio left and not joined again', async () => {
  const { world, client, stream } = await joined();
  await stream.startAudio();
  permissions({ microphone: 'denied' });
  world.captured[0].getAudioTracks()[0].end();
  await until(() => failures(client).length, 'active-media-failed');
  assert.deepEqual(failures(client), [
    { message: 'Your browser is preventing access to your microphone.Please grant the permission.', type: 'audio', code: 103 },
  ]);
  assert.equal(world.captured.length, 1);
  assert.deepEqual(audioEvents(client).at(-1), { action: 'leave', source: 'audio stream is ended by system' });
});

test('microphone stops while listed and allowed: 102, then computer audio again on the same microphone', async () => {
  const { world, client, stream } = await joined();
  await stream.startAudio({ microphoneId: 'mic-2' });
  permissions({});
  world.captured[0].getAudioTracks()[0].end();
  await until(() => audioEvents(client).at(-1).action === 'join' && failures(client).length, 'audio joined again');
  assert.deepEqual(failures(client), [
    { message: "Can't access your microphone. Please refresh your browser to try again.", type: 'audio', code: 102 },
  ]);
  assert.equal(world.captured.length, 2);
  assert.equal(stream.getActiveMicrophone(), 'mic-2');
});

test('microphone unplugged: no active-media-failed, audio moves to the default microphone', async () => {
  const { world, client, stream } = await joined();
  await stream.startAudio({ microphoneId: 'mic-2' });
  permissions({});
  world.devices.splice(world.devices.findIndex((device) => device.deviceId === 'mic-2'), 1);
  world.captured[0].getAudioTracks()[0].end();
  await until(() => world.captured.length === 2 && stream.getActiveMicrophone() === 'mic-1', 'the default microphone');
  assert.deepEqual(failures(client), []);
  assert.equal(stream.getActiveMicrophone(), 'mic-1');
});
