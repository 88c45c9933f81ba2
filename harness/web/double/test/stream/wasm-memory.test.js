// 205 where the media SDK's video workers cannot get their shared WebAssembly memory: the runtime's sizes, its
// multi-threaded path only, and the throw coming from the memory constructor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MediaFailures } from '../../src/core/media-failed.js';
import { allocateWorkerMemories, checkWasmMemory, multiThreaded, workerMemories } from '../../src/stream/wasm-memory.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const LOW_MEMORY = {
  message: 'Uh-oh! You\u2019re running low on memory. Please close all browsers and rejoin the meeting.',
  type: 'video',
  code: 205,
};

// A page whose WebAssembly.Memory refuses more than `limit` initial pages, as V8 with a page limit does.
function page({ limit = Infinity, isolated = true, cores = 8 } = {}) {
  const asked = [];
  class Memory {
    constructor(descriptor) {
      asked.push(descriptor);
      if (descriptor.initial > limit) throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    }
  }
  const scope = {
    crossOriginIsolated: isolated,
    WebAssembly: { Memory },
    navigator: { userAgent: CHROME, hardwareConcurrency: cores },
  };
  if (isolated) scope.SharedArrayBuffer = function SharedArrayBuffer() {};
  return { scope, asked };
}

function client() {
  const heard = [];
  const failures = new MediaFailures((name, payload) => heard.push([name, payload]));
  return { heard, client: { joinRequest: null, stream: { failures } } };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test("the runtime's sizes: 1024 pages to start, the encoder's and decoder's maximum by the video-share path", () => {
  assert.deepEqual(workerMemories(page().scope), [
    ['VIDEO_ENCODE', 32000],
    ['VIDEO_DECODE', 16384],
  ]);
  assert.deepEqual(workerMemories(page({ cores: 2 }).scope), [
    ['VIDEO_ENCODE', 8192],
    ['VIDEO_DECODE', 8192],
  ]);
  const { scope, asked } = page();
  assert.deepEqual(allocateWorkerMemories(scope), []);
  assert.deepEqual(asked, [
    { initial: 1024, maximum: 32000, shared: true },
    { initial: 1024, maximum: 16384, shared: true },
  ]);
});

test('a browser that refuses the memory: one 205 after the join, the two workers share the throttle', async () => {
  const { heard, client: joined } = client();
  const { scope } = page({ limit: 1023 });
  checkWasmMemory(joined, scope);
  assert.deepEqual(heard, [], 'reported after the join has answered');
  await settle();
  assert.deepEqual(heard, [['active-media-failed', LOW_MEMORY]]);
  assert.deepEqual(Object.keys(heard[0][1]), ['message', 'type', 'code']);
});

test('a browser that gives the memory: no 205', async () => {
  const { heard, client: joined } = client();
  checkWasmMemory(joined, page({ limit: 1024 }).scope);
  await settle();
  assert.deepEqual(heard, []);
});

test('a page that is not cross-origin isolated never allocates (single-threaded workers)', async () => {
  const { heard, client: joined } = client();
  const { scope, asked } = page({ limit: 0, isolated: false });
  assert.equal(multiThreaded(scope), false);
  checkWasmMemory(joined, scope);
  await settle();
  assert.deepEqual(asked, []);
  assert.deepEqual(heard, []);
});
