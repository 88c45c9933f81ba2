// The video encoder's health check: 206 when, at a 30-s check, someone watches this participant's video, no
// frame came from the camera since the previous check (and none for a while in real time), and the watching
// started more than 20 s before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIO_HEALTH_CODE,
  HEALTH_CHECK_MS,
  HealthCheck,
  STALL_REAL_MS,
  SUBSCRIPTION_SETTLE_MS,
  VideoWatchClient,
  stopAudioHealthCheck,
  syncAudioHealthCheck,
  watchFrames,
} from '../../src/stream/health-check.js';
import { Room, settle } from '../support/room-stub.js';
import { installMediaDevices } from '../support/media-stub.js';

// Hand-driven clocks for a HealthCheck: `page` is the page's (virtual) clock, `real` the browser's own; `options`
// are the check's clock options, and `advance` moves both clocks and runs the check when a whole interval passed.
function handClocks() {
  const clocks = { page: 0, real: 0 };
  let tick = null;
  const options = {
    now: () => clocks.page,
    real: () => clocks.real,
    every: (fn, ms) => {
      assert.equal(ms, HEALTH_CHECK_MS);
      tick = fn;
      return 1;
    },
    clear: () => {
      tick = null;
    },
  };
  const advance = (ms, realMs = 0) => {
    clocks.page += ms;
    clocks.real += realMs;
    if (ms >= HEALTH_CHECK_MS && tick) tick();
  };
  return { clocks, options, advance, running: () => tick !== null };
}

// A check on hand-driven clocks; each report is the page time it came at.
function checked() {
  const { clocks, options, advance, running } = handClocks();
  const reports = [];
  const check = new HealthCheck(() => reports.push(clocks.page), options);
  return { check, clocks, reports, advance, running };
}

test('watched, and no frame for a whole check window: the check reports', () => {
  const { check, reports, advance } = checked();
  check.start();
  check.frame();
  check.setSubscribed(true);
  advance(HEALTH_CHECK_MS, STALL_REAL_MS); // the frame before counts for this window
  assert.deepEqual(reports, []);
  advance(HEALTH_CHECK_MS, STALL_REAL_MS);
  assert.deepEqual(reports, [2 * HEALTH_CHECK_MS]);
});

test('frames flowing: no report, even when the page clock runs two checks back to back', () => {
  const { check, reports, advance } = checked();
  check.start();
  check.setSubscribed(true);
  check.frame();
  advance(HEALTH_CHECK_MS, 5);
  advance(HEALTH_CHECK_MS, 5); // no frame in between, but the last one is 10 ms old in real time
  assert.deepEqual(reports, []);
});

test('nobody watching: no report however long the camera is silent', () => {
  const { check, reports, advance } = checked();
  check.start();
  for (let i = 0; i < 4; i += 1) advance(HEALTH_CHECK_MS, STALL_REAL_MS);
  assert.deepEqual(reports, []);
});

test('a watching that began 20 s or less before the check: not yet, at the next check', () => {
  const { check, clocks, reports, advance } = checked();
  check.start();
  clocks.page += HEALTH_CHECK_MS - SUBSCRIPTION_SETTLE_MS; // 10 s into the window
  check.setSubscribed(true);
  advance(SUBSCRIPTION_SETTLE_MS, STALL_REAL_MS); // this check comes exactly 20 s after: not more than 20 s
  assert.deepEqual(reports, []);
  advance(HEALTH_CHECK_MS, STALL_REAL_MS);
  assert.deepEqual(reports, [2 * HEALTH_CHECK_MS]);
});

test('stopped: no more checks', () => {
  const { check, running } = checked();
  check.start();
  assert.ok(running());
  check.stop();
  assert.ok(!running());
});

test('watchFrames reads a clone of the track and counts its frames; without a processor it judges nothing', async () => {
  const chunks = [{ done: false, value: { close() {} } }, { done: false, value: { close() {} } }];
  let stopped = 0;
  const original = { clone: () => ({ stop: () => (stopped += 1) }) };
  class Processor {
    constructor({ track }) {
      assert.notEqual(track, original);
      this.readable = {
        getReader: () => ({
          read: () => (chunks.length ? Promise.resolve(chunks.shift()) : new Promise(() => {})),
        }),
      };
    }
  }
  let frames = 0;
  const watch = watchFrames(original, () => (frames += 1), { MediaStreamTrackProcessor: Processor });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(frames, 2);
  watch.stop();
  assert.equal(stopped, 1);
  assert.equal(watchFrames(original, () => {}, {}), null);
});

// Just enough of a <video-player> for attachVideo.
function player() {
  const attributes = new Map();
  return {
    tagName: 'VIDEO-PLAYER',
    setAttribute: (name, value) => attributes.set(name, String(value)),
    getAttribute: (name) => (attributes.has(name) ? attributes.get(name) : null),
  };
}

test("attaching someone's video tells them they are watched; detaching tells them it ended", async () => {
  installMediaDevices();
  delete globalThis.SharedArrayBuffer;
  const room = new Room();
  const ann = await room.join('ann', { host: true });
  const bob = await room.join('bob');
  const watch = ann.feature('video-watch');
  assert.ok(watch instanceof VideoWatchClient);
  await ann.getMediaStream().startVideo();
  await settle();
  const element = player();
  await bob.getMediaStream().attachVideo(ann.currentUserId(), 2, element);
  await settle();
  assert.deepEqual([...watch.watchers], [bob.currentUserId()]);
  await bob.getMediaStream().detachVideo(ann.currentUserId());
  await settle();
  assert.deepEqual([...watch.watchers], []);
});

// 104: the audio encoder's check. It runs while computer audio has a captured microphone, unmuted; a packet
// is "the AudioContext was rendering". No subscriber is needed.
function audioStream(state) {
  const listeners = new Map();
  const context = {
    state,
    addEventListener: (name, fn) => listeners.set(name, fn),
    removeEventListener: (name) => listeners.delete(name),
    become(next) {
      this.state = next;
      const fn = listeners.get('statechange');
      if (fn) fn();
    },
  };
  const heard = [];
  const stream = {
    audio: { state: 'started', stream: {}, muted: false },
    playback: { context },
    failures: { report: (code) => heard.push(code) },
  };
  const { options, advance, running } = handClocks();
  return { stream, context, heard, options, advance, listeners, running };
}

test('audio: a context that never renders for a whole check window: 104 at the first check, and again', () => {
  const { stream, heard, options, advance } = audioStream('suspended');
  syncAudioHealthCheck(stream, options);
  advance(HEALTH_CHECK_MS); // the first check, 30 s in: more than 20 s after the start of the page clock
  assert.deepEqual(heard, [AUDIO_HEALTH_CODE]);
  advance(HEALTH_CHECK_MS);
  assert.deepEqual(heard, [AUDIO_HEALTH_CODE, AUDIO_HEALTH_CODE]); // the throttle is the reporter's, not the check's
});

test('audio: a rendering context counts as packets sent, also back to back on a virtual clock', () => {
  const { stream, heard, options, advance } = audioStream('running');
  syncAudioHealthCheck(stream, options);
  for (let i = 0; i < 3; i += 1) advance(HEALTH_CHECK_MS);
  assert.deepEqual(heard, []);
});

test('audio: a context that starts rendering within the window saves that window, not the later ones it misses', () => {
  const { stream, context, heard, options, advance } = audioStream('suspended');
  syncAudioHealthCheck(stream, options);
  context.become('running');
  context.become('suspended');
  advance(HEALTH_CHECK_MS, STALL_REAL_MS);
  assert.deepEqual(heard, []);
  advance(HEALTH_CHECK_MS, STALL_REAL_MS);
  assert.deepEqual(heard, [AUDIO_HEALTH_CODE]);
});

test('audio: muted, speaker only, or left: no check; unmuting starts a fresh one', () => {
  const { stream, heard, options, advance, listeners, running } = audioStream('suspended');
  stream.audio.muted = true;
  syncAudioHealthCheck(stream, options);
  assert.equal(running(), false);
  stream.audio.muted = false;
  syncAudioHealthCheck(stream, options);
  assert.equal(running(), true);
  stream.audio.muted = true;
  syncAudioHealthCheck(stream, options);
  assert.equal(running(), false);
  assert.equal(listeners.size, 0, 'the context is no longer listened to');
  stream.audio = { state: 'started', stream: null, muted: false }; // speaker only: no capture
  syncAudioHealthCheck(stream, options);
  assert.equal(running(), false);
  for (let i = 0; i < 3; i += 1) advance(HEALTH_CHECK_MS);
  assert.deepEqual(heard, []);
  stream.audio = { state: 'started', stream: {}, muted: false };
  syncAudioHealthCheck(stream, options);
  stopAudioHealthCheck(stream);
  assert.equal(running(), false);
});
