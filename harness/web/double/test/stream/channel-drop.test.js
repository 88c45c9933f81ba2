// A media channel that had opened and drops mid-call: 201 for video, 101 for audio (which also leaves computer
// audio), throttled 5 s per media event; nothing for a channel that never opened or that the double closed itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installMediaDevices, mediaServer } from '../support/media-stub.js';
import { Room, eventsNamed, settle } from '../support/room-stub.js';
import { startFailover } from '../../src/client/reconnect.js';

const failures = (client) => eventsNamed(client, 'active-media-failed');

const VIDEO_BROKEN = { message: 'Connection to remote video has failed. Please refresh your browser to try again.', type: 'video', code: 201 };
const AUDIO_BROKEN = { message: 'Audio connection failed. Please refresh your browser to reconnect.', type: 'audio', code: 101 };

async function joined() {
  const world = installMediaDevices();
  const client = await new Room().join('ann', { host: true });
  return { world, client, stream: client.getMediaStream() };
}

test('the open video channel drops mid-call: 201 with the runtime payload; the camera stays as it was', async () => {
  const { client, stream } = await joined();
  await stream.startVideo();
  assert.equal(mediaServer.drop('video'), 1);
  assert.deepEqual(failures(client), [VIDEO_BROKEN]);
  assert.equal(stream.isCapturingVideo(), true);
});

test('a video channel that never opened is startVideo 6110, with no 201', async () => {
  const { client, stream } = await joined();
  mediaServer.refuse = true;
  await assert.rejects(stream.startVideo(), { errorCode: 6110 });
  assert.deepEqual(failures(client), []);
});

test('two drops within 5 s give one 201 (the runtime throttle)', async () => {
  const { client, stream } = await joined();
  await stream.startVideo();
  mediaServer.drop('video');
  await stream.stopVideo();
  await stream.startVideo(); // reopens the channel
  assert.equal(mediaServer.drop('video'), 1);
  assert.deepEqual(failures(client), [VIDEO_BROKEN]);
});

test('startAudio opens the audio channel; its drop mid-call gives 101 and leaves computer audio', async () => {
  const { world, client, stream } = await joined();
  assert.equal(await stream.startAudio(), '');
  assert.ok(mediaServer.opened.includes('ws://media.test/audio'));
  assert.equal(mediaServer.drop('audio'), 1);
  assert.deepEqual(failures(client), [AUDIO_BROKEN]);
  const audio = client.events.filter((event) => event.name === 'current-audio-change').map((event) => event.payload);
  assert.deepEqual(audio.at(-1), { action: 'leave', source: 'audio stream is ended by system' });
  assert.equal(stream.isAudioMuted(), true, 'computer audio is left');
  assert.ok(world.captured[0].getAudioTracks().every((track) => track.readyState === 'ended'));
});

test('an audio channel that cannot be established: startAudio still resolves, and no 101', async () => {
  const { client, stream } = await joined();
  mediaServer.refuse = true;
  assert.equal(await stream.startAudio(), '');
  assert.deepEqual(failures(client), []);
});

test('leaving, or a failover, closes the channels itself: no 201 or 101', async () => {
  const { client, stream } = await joined();
  await stream.startVideo();
  await stream.startAudio();
  const sockets = [...mediaServer.live];
  startFailover(client);
  for (const socket of sockets) if (socket.onclose) socket.onclose({ code: 1000 });
  await settle();
  assert.deepEqual(failures(client), []);
});
