// A page for the preview's tests in node: <video> and <canvas> classes, a document, media devices whose
// refusals a test sets per kind (the DOMExceptions a browser gives), audio nodes that record what they were
// asked, and a collector of unhandled rejections. Not a test file.
import { FakeMedia, FakeTrack } from './media-stub.js';

export const denied = () => new DOMException('Permission denied', 'NotAllowedError');
export const absent = () => new DOMException('Requested device not found', 'NotFoundError');
export const busy = () => new DOMException('Device in use', 'NotReadableError');
export const overconstrained = () => Object.assign(new DOMException('', 'OverconstrainedError'), { constraint: 'deviceId' });

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.ownerDocument = globalThis.document;
    this.attributes = new Map();
    this.children = [];
    this.id = '';
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  appendChild(child) {
    this.children.push(child);
    child.parentNode = this;
  }

  remove() {
    if (this.parentNode) this.parentNode.children = this.parentNode.children.filter((child) => child !== this);
  }
}

export class FakeVideo extends FakeElement {
  constructor() {
    super('video');
    this.played = 0;
    this.playFailure = null; // an exception the next play() rejects with
  }

  async play() {
    this.played += 1;
    const failure = this.playFailure;
    this.playFailure = null;
    if (failure) throw failure;
  }
}

export class FakeCanvas extends FakeElement {
  constructor() {
    super('canvas');
    this.width = 320;
    this.height = 180;
  }

  getContext() {
    return { drawImage() {} };
  }
}

export class FakeAudioNode {
  constructor() {
    this.connected = [];
  }

  connect(node) {
    this.connected.push(node);
  }

  disconnect() {
    this.connected = [];
  }
}

class FakeAudioContext {
  constructor() {
    this.state = 'running';
    this.destination = new FakeAudioNode();
    FakeAudioContext.made.push(this);
  }

  createScriptProcessor() {
    return new FakeAudioNode();
  }

  createMediaStreamSource(media) {
    return Object.assign(new FakeAudioNode(), { media });
  }

  createAnalyser() {
    return Object.assign(new FakeAudioNode(), { frequencyBinCount: 4, getByteFrequencyData: (bins) => bins.fill(10) });
  }

  createBufferSource() {
    return Object.assign(new FakeAudioNode(), { start() {}, stop() {} });
  }

  async decodeAudioData(bytes) {
    if (!bytes || !bytes.byteLength) throw new DOMException('Unable to decode audio data', 'EncodingError');
    return { duration: 1 };
  }

  close() {
    this.state = 'closed';
  }
}
FakeAudioContext.made = [];

// The world a test changes: a refusal per kind (a function making the exception), the devices listed, and
// every constraint getUserMedia was asked with.
export function installPreviewPage({ devices } = {}) {
  const world = {
    refuse: { video: null, audio: null },
    asked: [],
    captured: [],
    devices: devices || [
      { kind: 'audioinput', deviceId: 'default', label: 'Microphone 1', groupId: 'g1' },
      { kind: 'videoinput', deviceId: 'camera-1', label: 'Camera 1', groupId: 'g2' },
      { kind: 'audiooutput', deviceId: 'default', label: 'Speaker 1', groupId: 'g1' },
    ],
    sound: new ArrayBuffer(8), // what fetch answers; null makes fetch fail as offline
    fetched: [],
    unhandled: [],
  };
  const document = { head: { children: [], append: (...nodes) => document.head.children.push(...nodes) } };
  document.createElement = (tag) => (tag === 'video' ? new FakeVideo() : tag === 'canvas' ? new FakeCanvas() : new FakeElement(tag));
  globalThis.document = document;
  globalThis.HTMLVideoElement = FakeVideo;
  globalThis.HTMLCanvasElement = FakeCanvas;
  globalThis.AudioContext = FakeAudioContext;
  globalThis.MediaStreamAudioDestinationNode = class extends FakeAudioNode {
    constructor() {
      super();
      this.stream = new FakeMedia([]);
    }
  };
  globalThis.Audio = class {
    play() {
      return Promise.resolve();
    }

    pause() {}
  };
  globalThis.requestAnimationFrame = () => 0;
  globalThis.cancelAnimationFrame = () => {};
  globalThis.fetch = async (url) => {
    world.fetched.push(url);
    if (!world.sound) throw new TypeError('Failed to fetch');
    return { arrayBuffer: async () => world.sound };
  };
  const mediaDevices = {
    async getUserMedia(constraints) {
      world.asked.push(structuredClone(constraints));
      for (const kind of ['video', 'audio']) {
        if (constraints[kind] && world.refuse[kind]) throw world.refuse[kind]();
      }
      const tracks = [];
      if (constraints.video) tracks.push(new FakeTrack('video', 'camera-1'));
      if (constraints.audio) tracks.push(new FakeTrack('audio', 'default'));
      const media = new FakeMedia(tracks);
      world.captured.push(media);
      return media;
    },
    async enumerateDevices() {
      return world.devices.map((device) => ({ ...device }));
    },
  };
  Object.defineProperty(globalThis, 'navigator', { value: { mediaDevices }, configurable: true, writable: true });
  return world;
}

// Collects the rejections nobody handles while `run` and a few turns after it go by (the test runner's own
// listener, which fails the test on one, is set aside meanwhile).
export async function unhandledDuring(run) {
  const seen = [];
  const runners = process.listeners('unhandledRejection');
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', (reason) => seen.push(reason));
  try {
    const value = await run();
    await new Promise((resolve) => setTimeout(resolve, 10));
    return { value, unhandled: seen };
  } finally {
    process.removeAllListeners('unhandledRejection');
    for (const listener of runners) process.on('unhandledRejection', listener);
  }
}

export const video = () => new FakeVideo();
export const canvas = () => new FakeCanvas();
