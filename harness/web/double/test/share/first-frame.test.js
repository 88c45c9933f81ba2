// The shared screen's first frame: the share plays in a <video>; its `loadedmetadata` gives the size that
// startShareScreen waits for and reports. None within 10 s is 301 (type 'sharing'): the share goes on and the
// call stays pending. A frame in time, or a share stopped first, reports nothing.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_FRAME_MS, SHARING_VIDEO_ID } from '../../src/share/first-frame.js';
import { eventsNamed, turns } from '../support/room-stub.js';
import { HTMLVideoElement, HTMLCanvasElement, installBrowser, picker, shareRoom, startShare } from '../support/share-room.js';

const NO_FRAME = {
  message: 'Oops! Something went wrong. Please close all browsers and rejoin the meeting.',
  type: 'sharing',
  code: 301,
};

beforeEach(() => installBrowser());

// A <video> that hears events and records how it was asked to play.
function videoElement() {
  const element = new HTMLVideoElement();
  const events = new EventTarget();
  element.addEventListener = events.addEventListener.bind(events);
  element.dispatchEvent = events.dispatchEvent.bind(events);
  element.attributes = {};
  element.style = {};
  element.tagName = 'VIDEO';
  element.setAttribute = (name, value) => (element.attributes[name] = value);
  element.played = 0;
  element.play = async () => {
    element.played += 1;
  };
  return element;
}

// Starts a share onto `element`; the call's outcome, as far as it got: 'pending', 'resolved' or the error.
async function sharing(t, element) {
  const { service, members: [host] } = await shareRoom('host');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const outcome = { status: 'pending' };
  startShare(service, host, undefined, element).then(
    () => (outcome.status = 'resolved'),
    (error) => (outcome.status = error),
  );
  await service.settle();
  return { service, host, outcome };
}

test('a shared screen without a frame for 10 s: 301, the share goes on, startShareScreen stays pending', async (t) => {
  const element = videoElement();
  const { host, outcome } = await sharing(t, element);
  assert.equal(host.stream.getShareStatus(), 'sharing');
  assert.equal(element.srcObject, picker.shared[0]);
  assert.equal(element.muted, true);
  assert.equal(element.played, 1);
  t.mock.timers.tick(FIRST_FRAME_MS - 1);
  assert.deepEqual(eventsNamed(host, 'active-media-failed'), []);
  t.mock.timers.tick(1);
  assert.deepEqual(eventsNamed(host, 'active-media-failed'), [NO_FRAME]);
  await turns(20);
  assert.equal(host.stream.getShareStatus(), 'sharing');
  assert.equal(outcome.status, 'pending');
  assert.deepEqual(eventsNamed(host, 'share-content-dimension-change'), []);
});

test('the first frame resolves startShareScreen with the frame size as share-content-dimension-change', async (t) => {
  const element = videoElement();
  const { host, outcome } = await sharing(t, element);
  assert.equal(outcome.status, 'pending');
  Object.assign(element, { videoWidth: 1920, videoHeight: 1080 });
  element.dispatchEvent(new Event('loadedmetadata'));
  await turns(20);
  assert.equal(outcome.status, 'resolved');
  assert.deepEqual(eventsNamed(host, 'share-content-dimension-change'), [
    { type: 'sended', width: 1920, height: 1080, userId: host.client.getCurrentUserInfo().userId },
  ]);
});

test('a first frame within 10 s: nothing', async (t) => {
  const element = videoElement();
  const { host } = await sharing(t, element);
  t.mock.timers.tick(FIRST_FRAME_MS - 1);
  element.dispatchEvent(new Event('loadedmetadata'));
  t.mock.timers.tick(FIRST_FRAME_MS);
  assert.deepEqual(eventsNamed(host, 'active-media-failed'), []);
});

test('a share stopped before the 10 s: nothing', async (t) => {
  const { service, host } = await sharing(t, videoElement());
  const stopped = host.stream.stopShareScreen();
  await service.settle();
  await stopped;
  t.mock.timers.tick(FIRST_FRAME_MS);
  assert.deepEqual(eventsNamed(host, 'active-media-failed'), []);
});

test('shared onto a canvas (no WebCodecs): the SDK plays the screen in a hidden <video> of its own, kept for the next share', async (t) => {
  installBrowser({ webCodecs: false });
  const created = [];
  const body = [];
  globalThis.document = {
    // A canvas has WebGL here (the join probes it); a video is the hidden one under test.
    createElement: (tag) => created.push([tag, tag === 'canvas' ? { getContext: () => ({}) } : videoElement()]) && created.at(-1)[1],
    querySelector: (selector) => body.find((element) => `#${element.id}` === selector) || null,
    body: { appendChild: (element) => body.push(element) },
  };
  t.after(() => delete globalThis.document);
  const { host, outcome } = await sharing(t, new HTMLCanvasElement());
  const videos = created.filter(([tag]) => tag === 'video'); // the join's WebGL probe makes a canvas too
  assert.equal(videos.length, 1);
  const [[, hidden]] = videos;
  assert.equal(hidden.srcObject, picker.shared[0]);
  assert.equal(hidden.muted, true);
  assert.equal(hidden.attributes.playsinline, '');
  assert.equal(hidden.played, 1);
  assert.deepEqual([hidden.id, hidden.style.display, body], [SHARING_VIDEO_ID, 'none', [hidden]]);
  hidden.dispatchEvent(new Event('loadedmetadata'));
  await turns(20);
  assert.equal(outcome.status, 'resolved');
  t.mock.timers.tick(FIRST_FRAME_MS);
  assert.deepEqual(eventsNamed(host, 'active-media-failed'), []);
  await host.stream.stopShareScreen();
  host.stream.startShareScreen(new HTMLCanvasElement()).catch(() => {});
  await turns(20);
  assert.equal(created.filter(([tag]) => tag === 'video').length, 1, 'the hidden <video> is reused');
  assert.equal(hidden.srcObject, picker.shared[1]);
});
