// LocalAudioTrack (ZoomVideo.createLocalAudioTrack, preview.d.ts) as the 2.5.0 runtime has it: start()
// captures the microphone muted; what getUserMedia throws passes through untouched (a DOMException, no
// 6010 classification). unmute() starts a level meter, mute() stops it; the misuses reject plain Errors
// named in their message. stop() keeps the mute state and the meter (the runtime's quirk, kept: after stop
// and start, unmute rejects AudioAlreadyUnmutedError). docs/fidelity.md, "Preview".
import { AudioTester } from './audio-tester.js';

const NOT_STARTED = 'AudioNotStartedError';

// The runtime's meter: the RMS of the last 2048 samples of the microphone (0 to 1).
class InputMicDetector {
  constructor(context) {
    this.instant = 0;
    this.context = context;
    this.mic = null;
    this.script = context.createScriptProcessor(2048, 1, 1);
    this.script.onaudioprocess = (event) => {
      const samples = event.inputBuffer.getChannelData(0);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      this.instant = Math.sqrt(sum / samples.length);
    };
  }

  connectToSource(media) {
    try {
      this.mic = this.context.createMediaStreamSource(media);
      this.mic.connect(this.script);
      this.script.connect(this.context.destination);
    } catch (error) {
      console.error(error);
    }
  }

  stop() {
    if (this.mic) this.mic.disconnect();
    this.mic = null;
    if (this.script) this.script.disconnect();
    this.script = null;
  }

  getMicVolume() {
    return this.instant;
  }
}

export class LocalAudioTrack {
  constructor(deviceId = '') {
    this.audioContext = null;
    this.inputMicDetector = null;
    this.isMicUnmuted = false;
    this.isAudioStarted = false;
    this.audioStream = null;
    this.deviceId = deviceId;
    this.tester = new AudioTester(); // one per track: its microphone and speaker tests share "a tester is running"
  }

  async start() {
    if (this.audioStream || this.isAudioStarted) throw new Error('AudioAlreadyStartedError');
    this.audioStream = await navigator.mediaDevices.getUserMedia(this.getAudioConstraints());
    this.isAudioStarted = true;
  }

  async unmute() {
    if (!this.audioStream || !this.isAudioStarted) throw new Error(NOT_STARTED);
    if (this.isMicUnmuted) throw new Error('AudioAlreadyUnmutedError');
    return this.toggleMicIsMuted(true);
  }

  async mute() {
    if (!this.audioStream || !this.isAudioStarted) throw new Error(NOT_STARTED);
    if (!this.isMicUnmuted) throw new Error('AudioAlreadyMutedError');
    return this.toggleMicIsMuted(false);
  }

  getCurrentVolume() {
    return this.inputMicDetector ? this.inputMicDetector.getMicVolume() : 0;
  }

  async stop() {
    if (!this.audioStream || !this.isAudioStarted) throw new Error(NOT_STARTED);
    for (const track of this.audioStream.getAudioTracks()) track.stop();
    this.audioStream = null;
    this.isAudioStarted = false;
  }

  async toggleMicIsMuted(unmuted) {
    if (unmuted) {
      if (!this.audioContext) {
        const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
        this.audioContext = new Context();
      }
      this.inputMicDetector = new InputMicDetector(this.audioContext);
      this.inputMicDetector.connectToSource(this.audioStream);
    } else {
      if (this.inputMicDetector) this.inputMicDetector.stop();
      this.inputMicDetector = null;
    }
    this.isMicUnmuted = unmuted;
  }

  getAudioConstraints() {
    return { audio: this.deviceId === '' || { deviceId: { exact: this.deviceId } }, video: false };
  }

  testSpeaker(options) {
    return this.tester.testSpeaker(options);
  }

  testMicrophone(options) {
    return this.tester.testMicrophone(options);
  }
}
