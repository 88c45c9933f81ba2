// 107: the playback AudioContext made when computer audio is joined is not running 1 s later (the browser's
// autoplay policy); a click on the page resumes it; a running context reports nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaFailures } from '../../src/core/media-failed.js';
import { PLAYBACK_CHECK_MS, startPlayback, stopPlayback } from '../../src/stream/playback.js';

function browser(initialState) {
  const made = [];
  const listeners = new Map();
  class FakeAudioContext {
    constructor() {
      this.state = initialState;
      made.push(this);
    }

    async resume() {
      this.state = 'running';
    }

    async close() {
      this.state = 'closed';
    }
  }
  const body = {
    addEventListener: (name, listener) => listeners.set(name, listener),
    removeEventListener: (name) => listeners.delete(name),
  };
  return { scope: { AudioContext: FakeAudioContext, document: { body } }, made, listeners };
}

function joinedStream() {
  const heard = [];
  return { heard, stream: { failures: new MediaFailures((name, payload) => heard.push(payload)) } };
}

const PLAYBACK_INTERRUPTED = { message: 'Audio playback was interrupted. Please click anywhere to resume playback.', type: 'audio', code: 107 };

test('a playback context the browser keeps suspended: 107 one second after joining', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { scope } = browser('suspended');
  const { heard, stream } = joinedStream();
  startPlayback(stream, scope);
  t.mock.timers.tick(PLAYBACK_CHECK_MS - 1);
  assert.deepEqual(heard, []);
  t.mock.timers.tick(1);
  assert.deepEqual(heard, [PLAYBACK_INTERRUPTED]);
});

test('a running playback context: no 107', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { scope } = browser('running');
  const { heard, stream } = joinedStream();
  startPlayback(stream, scope);
  t.mock.timers.tick(PLAYBACK_CHECK_MS * 2);
  assert.deepEqual(heard, []);
});

test('a click within the second resumes the context, and no 107 comes', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { scope, made, listeners } = browser('suspended');
  const { heard, stream } = joinedStream();
  startPlayback(stream, scope);
  listeners.get('click')();
  await Promise.resolve();
  assert.equal(made[0].state, 'running');
  t.mock.timers.tick(PLAYBACK_CHECK_MS);
  assert.deepEqual(heard, []);
});

test('leaving computer audio closes the context and cancels the check', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { scope, made, listeners } = browser('suspended');
  const { heard, stream } = joinedStream();
  startPlayback(stream, scope);
  stopPlayback(stream);
  t.mock.timers.tick(PLAYBACK_CHECK_MS);
  assert.deepEqual(heard, []);
  assert.equal(made[0].state, 'closed');
  assert.equal(listeners.has('click'), false);
});

test('no Web Audio (node, an old browser): nothing is made or reported', () => {
  const { heard, stream } = joinedStream();
  startPlayback(stream, {});
  assert.equal(stream.playback, undefined);
  assert.deepEqual(heard, []);
});
