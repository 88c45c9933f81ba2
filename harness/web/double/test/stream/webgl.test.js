// 204 where the media SDK meets a browser without WebGL: a video's canvas renderer, and the sharing encoder on
// the video-share path (cross-origin isolated Chrome above 100).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaFailures } from '../../src/core/media-failed.js';
import { checkRenderer, checkSharingEncoder, webglMissing } from '../../src/stream/webgl.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

function page({ webgl, isolated = false }) {
  const asked = [];
  const document = {
    createElement: () => ({
      getContext(name) {
        asked.push(name);
        return webgl ? {} : null;
      },
    }),
  };
  const scope = { document, navigator: { userAgent: CHROME, hardwareConcurrency: 8 } };
  if (isolated) scope.SharedArrayBuffer = function SharedArrayBuffer() {};
  return { scope, asked };
}

function reporter() {
  const heard = [];
  return { heard, stream: { failures: new MediaFailures((name, payload) => heard.push([name, payload])) } };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const WEBGL_INVALID = { message: 'Oops! Something went wrong. Please close all browsers and rejoin the meeting.', type: 'video', code: 204 };

test('the probe asks a fresh canvas for every WebGL context name the runtime tries', () => {
  const missing = page({ webgl: false });
  assert.equal(webglMissing(missing.scope), true);
  assert.deepEqual(missing.asked, ['webgl', 'moz-webgl', 'webkit-3d', 'experimental-webgl']);
  assert.equal(webglMissing(page({ webgl: true }).scope), false);
  assert.equal(webglMissing({}), false, 'no page to probe (node): not missing');
});

test('a canvas render without WebGL: 204 after the call, once per 5 s', async () => {
  const { heard, stream } = reporter();
  const { scope } = page({ webgl: false });
  checkRenderer(stream, scope);
  assert.deepEqual(heard, [], 'the render worker fails after renderVideo has answered');
  await settle();
  checkRenderer(stream, scope);
  await settle();
  assert.deepEqual(heard, [['active-media-failed', WEBGL_INVALID]]);
});

test('with WebGL: no 204 from either place', async () => {
  const { heard, stream } = reporter();
  const { scope } = page({ webgl: true, isolated: true });
  checkRenderer(stream, scope);
  checkSharingEncoder(stream, scope);
  await settle();
  assert.deepEqual(heard, []);
});

test('the sharing encoder reports it on the video-share path only (SharedArrayBuffer)', async () => {
  const plain = reporter();
  checkSharingEncoder(plain.stream, page({ webgl: false }).scope);
  await settle();
  assert.deepEqual(plain.heard, [], 'not cross-origin isolated: no video-share encoder');
  const isolated = reporter();
  checkSharingEncoder(isolated.stream, page({ webgl: false, isolated: true }).scope);
  await settle();
  assert.deepEqual(isolated.heard, [['active-media-failed', WEBGL_INVALID]]);
});
