// The namespace functions that need no client: getDevices swallows refusals, the local tracks are made
// without any check, preloadDependentAssets adds preload links and never fails; and the default export has
// them all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ZoomVideo from '../../index.js';
import { LocalAudioTrack } from '../../src/preview/audio-track.js';
import { LocalVideoTrack } from '../../src/preview/video-track.js';
import { createLocalVideoTrack, getDevices, preloadDependentAssets } from '../../src/preview/namespace.js';
import { denied, installPreviewPage } from '../support/preview-page.js';

const BLANK = [
  { deviceId: '', kind: 'audioinput', label: '', groupId: '' },
  { deviceId: '', kind: 'videoinput', label: '', groupId: '' },
  { deviceId: '', kind: 'audiooutput', label: '', groupId: '' },
];

test('getDevices asks for camera and microphone together, releases them, then lists', async () => {
  const world = installPreviewPage();
  const list = await getDevices();
  assert.deepEqual(world.asked, [{ audio: true, video: true }]);
  assert.ok(world.captured[0].getTracks().every((track) => track.readyState === 'ended'));
  assert.deepEqual(list, world.devices);
});

test('getDevices swallows a refusal and still lists (blank entries before any permission)', async () => {
  const world = installPreviewPage({ devices: BLANK });
  world.refuse.video = denied;
  const warnings = [];
  const original = console.warn;
  console.warn = (error) => warnings.push(error);
  try {
    assert.deepEqual(await getDevices(), BLANK);
  } finally {
    console.warn = original;
  }
  assert.equal(warnings[0].name, 'NotAllowedError');
});

test('getDevices(true) only lists', async () => {
  const world = installPreviewPage();
  await getDevices(true);
  assert.deepEqual(world.asked, []);
});

test('without navigator.mediaDevices getDevices throws synchronously, as the runtime does', () => {
  installPreviewPage();
  Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  assert.throws(() => getDevices(), { name: 'TypeError', message: "Cannot read properties of undefined (reading 'getUserMedia')" });
  assert.throws(() => getDevices(true), { name: 'TypeError', message: "Cannot read properties of undefined (reading 'enumerateDevices')" });
});

test('createLocal*Track: a new track on every call, whatever the id, with no check', () => {
  installPreviewPage();
  const first = ZoomVideo.createLocalVideoTrack();
  assert.ok(first instanceof LocalVideoTrack);
  assert.notEqual(first, ZoomVideo.createLocalVideoTrack());
  assert.equal(createLocalVideoTrack('no-such-camera').deviceId, 'no-such-camera');
  const audio = ZoomVideo.createLocalAudioTrack();
  assert.ok(audio instanceof LocalAudioTrack);
  assert.equal(audio.deviceId, '');
  assert.notEqual(audio.tester, ZoomVideo.createLocalAudioTrack().tester, 'each audio track has its own tester');
});

test('preloadDependentAssets adds preload links for js_media and the engine files, and returns nothing', () => {
  installPreviewPage();
  assert.equal(ZoomVideo.preloadDependentAssets('https://example.test/lib'), undefined);
  const links = document.head.children;
  assert.equal(links[0].href, 'https://example.test/lib/js_media.min.js');
  assert.equal(links[0].as, 'script');
  assert.ok(links.slice(1).every((link) => link.rel === 'preload' && link.as === 'fetch' && link.crossOrigin === 'anonymous'));
  assert.ok(links.some((link) => link.href.endsWith('/net_thread.min.js')));
  const firstWasm = links.findIndex((link) => link.href.endsWith('.wasm'));
  assert.ok(links.slice(firstWasm).every((link) => link.href.endsWith('.wasm')), 'workers first, then wasm files');
});

test('preloadDependentAssets: named places, the default, and the empty path', () => {
  installPreviewPage();
  ZoomVideo.preloadDependentAssets();
  ZoomVideo.preloadDependentAssets('CDN');
  preloadDependentAssets('');
  const scripts = document.head.children.filter((link) => link.as === 'script').map((link) => link.href);
  assert.deepEqual(scripts, [
    'https://source.zoom.us/videosdk/2.5.0/lib/js_media.min.js',
    'https://dmogdx0jrul3u.cloudfront.net/videosdk/2.5.0/lib/js_media.min.js',
    'https://source.zoom.us/6.2.0/lib/av/js_media.min.js',
  ]);
});

test('preloadDependentAssets never throws, even without a page', () => {
  delete globalThis.document;
  assert.doesNotThrow(() => ZoomVideo.preloadDependentAssets('x'));
});
