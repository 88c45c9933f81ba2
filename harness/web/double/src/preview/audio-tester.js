// The speaker and microphone tests of a LocalAudioTrack (testSpeaker, testMicrophone), as the 2.5.0 runtime
// has them: each returns its handle at once and does its work in a promise chain nobody catches, so a
// refused microphone, a missing device or an unreachable sound reaches the page as an unhandled rejection
// (the browser's own exception), and the tester stays "running" until the handle's stop() or destroy().
// While it runs, a further test of the same track returns undefined. docs/fidelity.md, "Preview".

// The runtime's ring sound, on Zoom's CDN (not among the dependent assets).
export const SAMPLE_AUDIO_URL = 'https://st1.zoom.us/web_client/4qu8baa/audio/ring.mp3';
const BUSY = 'A tester is running,please stop it first';
const MAX_RECORDING_MS = 10_000;

const canPlay = () => typeof AudioContext === 'function' && typeof MediaStreamAudioDestinationNode === 'function';

export class AudioTester {
  constructor() {
    this.isRunning = false;
    this.audioCtx = undefined;
    this.sampleAudio = undefined;
    this.recorderChunks = [];
    this.shouldPlayAfterRecording = true;
  }

  testSpeaker(options) {
    if (!canPlay() || !AudioContext.prototype.decodeAudioData) return void console.warn('Cannot test the speaker due to the browser capability');
    const { speakerId, sampleAudioUrl = SAMPLE_AUDIO_URL, onAnalyseFrequency } = options || {};
    if (this.isRunning) return void console.warn(BUSY);
    this.isRunning = true;
    this.initAudioContext();
    const cached = this.sampleAudio && this.sampleAudio.url === sampleAudioUrl && this.sampleAudio.data;
    const sound = cached
      ? Promise.resolve(this.sampleAudio.data)
      : fetch(sampleAudioUrl)
          .then((response) => response.arrayBuffer())
          .then((bytes) => this.audioCtx.decodeAudioData(bytes))
          .then((data) => (this.sampleAudio = { url: sampleAudioUrl, data }).data);
    // No catch, as in the runtime: a failure is the page's unhandled rejection. setSinkId is not awaited.
    sound.then((data) => {
      this.sourceNode = this.audioCtx.createBufferSource();
      this.sourceNode.buffer = data;
      this.sourceNode.loop = true;
      if (speakerId && this.audioPlayer && this.audioPlayer.setSinkId) this.audioPlayer.setSinkId(speakerId);
      this.route(this.sourceNode, onAnalyseFrequency, true);
      this.sourceNode.start(0);
      this.resume();
      if (this.audioPlayer) {
        this.audioPlayer.muted = false;
        this.audioPlayer.currentTime = 0;
        this.audioPlayer.play();
      }
    });
    const stop = () => {
      this.isRunning = false;
      this.pausePlayer();
      this.stopAnalyser();
      if (this.sourceNode) {
        this.sourceNode.stop(0);
        this.sourceNode.disconnect();
        this.sourceNode.buffer = null;
        this.sourceNode = undefined;
      }
    };
    return { stop, destroy: () => this.destroy(stop) };
  }

  testMicrophone(options) {
    const media = globalThis.navigator && navigator.mediaDevices;
    if (!canPlay() || typeof AudioContext.prototype.createMediaStreamSource !== 'function' || typeof (media && media.getUserMedia) !== 'function') {
      return void console.warn('Cannot test the microphone due to the browser capability');
    }
    const { microphoneId, speakerId, recordAndPlay, maxRecordDuration, onAnalyseFrequency } = options || {};
    if (this.isRunning) return void console.warn(BUSY);
    this.isRunning = true;
    this.initAudioContext();
    const stopRecording = () => {
      if (recordAndPlay && this.mediaRecorder && this.isRecording) {
        this.shouldPlayAfterRecording = true;
        if (this.mediaRecorder.state !== 'inactive') this.mediaRecorder.stop();
      }
    };
    // No catch, as in the runtime: a refused or missing microphone is the page's unhandled rejection.
    navigator.mediaDevices.getUserMedia({ audio: !microphoneId || { deviceId: { exact: microphoneId } } }).then((stream) => {
      this.mAudioStream = stream;
      this.mSourceNode = this.audioCtx && this.audioCtx.createMediaStreamSource(stream);
      this.audioPlayer.muted = true;
      if (onAnalyseFrequency) this.route(this.mSourceNode, onAnalyseFrequency, false);
      else this.analyserCallback = undefined;
      if (recordAndPlay) this.record(options, speakerId, maxRecordDuration, stopRecording);
      this.resume();
      if (this.audioPlayer) {
        this.audioPlayer.currentTime = 0;
        this.audioPlayer.play();
      }
    });
    const stop = () => {
      this.isRunning = false;
      clearTimeout(this.maximumRecordingTimer);
      this.maximumRecordingTimer = undefined;
      this.pausePlayer();
      this.stopAnalyser();
      if (this.mSourceNode && onAnalyseFrequency && this.analyserNode) this.mSourceNode.disconnect(this.analyserNode);
      this.mSourceNode = undefined;
      if (this.mAudioStream) for (const track of this.mAudioStream.getAudioTracks()) track.stop();
      this.mAudioStream = undefined;
      if (this.mediaRecorder) {
        this.shouldPlayAfterRecording = false;
        this.mediaRecorder.ondataavailable = null;
        this.mediaRecorder.onstop = null;
        if (this.mediaRecorder.state !== 'inactive') this.mediaRecorder.stop();
        this.isRecording = false;
        this.mediaRecorder = undefined;
        this.recorderChunks = [];
      }
      if (this.recorderPlayer) {
        this.recorderPlayer.currentTime = 0;
        this.recorderPlayer.pause();
      }
    };
    return { stop, stopRecording, destroy: () => this.destroy(stop) };
  }

  // recordAndPlay: record for maxRecordDuration (10 s), then play the recording on `speakerId`.
  record(options, speakerId, maxRecordDuration, stopRecording) {
    if (typeof MediaRecorder !== 'function') return void console.warn('Cannot record the sound due to the browser capability');
    this.mediaRecorder = new MediaRecorder(this.mAudioStream);
    this.mediaRecorder.ondataavailable = (event) => event.data && this.recorderChunks.push(event.data);
    this.mediaRecorder.onstop = () => {
      this.isRecording = false;
      clearTimeout(this.maximumRecordingTimer);
      if (options.onStopRecording) options.onStopRecording();
      if (!this.recorderChunks.length) return;
      const url = URL.createObjectURL(new Blob(this.recorderChunks, { type: this.recorderChunks[0].type || 'audio/ogg; codecs=opus' }));
      if (this.shouldPlayAfterRecording) this.playRecording(url, speakerId, options).catch((error) => console.warn(error));
      this.recorderChunks = [];
      this.mediaRecorder = undefined;
    };
    this.mediaRecorder.start();
    this.isRecording = true;
    if (options.onStartRecording) options.onStartRecording();
    this.maximumRecordingTimer = setTimeout(stopRecording, maxRecordDuration || MAX_RECORDING_MS);
  }

  playRecording(url, speakerId, options) {
    const player = (this.recorderPlayer = new Audio());
    player.src = url;
    if (player.setSinkId && speakerId) player.setSinkId(speakerId); // not awaited, as in the runtime
    return new Promise((resolve, reject) => {
      player.onpause = player.onended = () => resolve(true);
      player.onerror = reject;
      if (options.onStartPlayRecording) options.onStartPlayRecording();
      player.play().catch(reject);
    }).finally(() => {
      URL.revokeObjectURL(url);
      if (options.onStopPlayRecording) options.onStopPlayRecording();
      this.recorderPlayer = undefined;
      this.isRunning = false;
    });
  }

  initAudioContext() {
    if (this.audioCtx && this.audioPlayer) return;
    this.audioCtx = new AudioContext();
    this.destinationNode = new MediaStreamAudioDestinationNode(this.audioCtx);
    this.audioPlayer = new Audio();
    this.audioPlayer.loop = true;
    this.audioPlayer.srcObject = this.destinationNode.stream;
  }

  // The sound goes through an analyser that reports the average frequency every 20 ms when asked to.
  route(source, onAnalyseFrequency, direct) {
    if (onAnalyseFrequency && typeof AudioContext.prototype.createAnalyser === 'function') {
      clearInterval(this.analyzserInterval);
      this.analyserCallback = onAnalyseFrequency;
      if (!this.analyserNode) {
        this.analyserNode = this.audioCtx.createAnalyser();
        this.analyserNode.connect(this.destinationNode);
        this.analyserNode.fftSize = 1024;
      }
      const bins = new Uint8Array(this.analyserNode.frequencyBinCount);
      this.analyzserInterval = setInterval(() => {
        this.analyserNode.getByteFrequencyData(bins);
        this.analyserCallback(bins.reduce((sum, value) => sum + value, 0) / bins.length);
      }, 20);
      if (source) source.connect(this.analyserNode);
    } else if (direct) {
      this.analyserCallback = undefined;
      source.connect(this.destinationNode);
    }
  }

  resume() {
    if (this.audioCtx && this.audioCtx.state !== 'running') this.audioCtx.resume();
  }

  pausePlayer() {
    if (!this.audioPlayer) return;
    this.audioPlayer.currentTime = 0;
    this.audioPlayer.pause();
  }

  stopAnalyser() {
    if (this.analyserNode && this.analyzserInterval) clearInterval(this.analyzserInterval);
    this.analyzserInterval = undefined;
  }

  destroy(stop) {
    stop();
    if (this.analyserNode && this.destinationNode) this.analyserNode.disconnect(this.destinationNode);
    this.analyserNode = undefined;
    if (this.audioCtx) this.audioCtx.close();
    this.audioCtx = undefined;
  }
}
