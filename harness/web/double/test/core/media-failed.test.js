// The runtime's active-media-failed payloads and its 5-second throttle per media event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ACTIVE_MEDIA_FAILED_CODES, MediaFailures, mediaFailedPayload } from '../../src/core/media-failed.js';

// Generated from the 2.5.0 package (typings' enum, the runtime's messages).
const SDK_DOCS = JSON.parse(readFileSync(new URL('../../../../catalog/sdk-docs.json', import.meta.url), 'utf-8'));

test('every code of the typings, with the runtime message and type, keys in the runtime order', () => {
  const documented = SDK_DOCS.active_media_failed;
  assert.deepEqual(ACTIVE_MEDIA_FAILED_CODES, Object.keys(documented).map(Number));
  for (const code of ACTIVE_MEDIA_FAILED_CODES) {
    const payload = mediaFailedPayload(code);
    assert.deepEqual(Object.keys(payload), ['message', 'type', 'code']);
    assert.deepEqual(payload, { message: documented[code].message, type: documented[code].type, code });
  }
});

test('the 203 message has no space after its full stop, as the runtime writes it', () => {
  assert.equal(mediaFailedPayload(203).message, 'Your browser is preventing access to your camera.Please grant the permission.');
  assert.equal(mediaFailedPayload(301).type, 'sharing');
  assert.throws(() => mediaFailedPayload(208));
});

function reporter() {
  const clock = { at: 1000 };
  const emitted = [];
  const failures = new MediaFailures((name, payload) => emitted.push([name, payload.code]), () => clock.at);
  return { clock, emitted, failures };
}

test('one media event within 5 s is dropped: 202 then 203 gives only 202', () => {
  const { clock, emitted, failures } = reporter();
  assert.equal(failures.report(202), true);
  clock.at += 4999;
  assert.equal(failures.report(203), false);
  clock.at += 1;
  assert.equal(failures.report(202), false, 'exactly 5 s is still within the window');
  clock.at += 1;
  assert.equal(failures.report(203), true, 'a dropped report does not restart the wait');
  assert.deepEqual(emitted, [['active-media-failed', 202], ['active-media-failed', 203]]);
});

test('102 and 103 share a window; audio and video do not; 104, 206 and 301 share one', () => {
  const { emitted, failures } = reporter();
  for (const code of [103, 102, 202, 104, 206, 301, 201, 101]) failures.report(code);
  assert.deepEqual(emitted.map(([, code]) => code), [103, 202, 104, 201, 101]);
});

test('105, 106, 107 and 207 are not throttled', () => {
  const { emitted, failures } = reporter();
  for (const code of [105, 105, 106, 106, 107, 107, 207, 207]) assert.equal(failures.report(code), true);
  assert.equal(emitted.length, 8);
});
