// A media channel that had opened and then dropped mid-call (stream/media-channel.js), as the 2.5.0 runtime's
// media workers report it: a worker's socket that fails after `isSocketInitSuccess()` sends the media SDK's
// "websocket broken" (VideoWebsocketBroken for the video and sharing sockets, AudioWebsocketBroken for the
// audio ones), which the SDK turns into active-media-failed 201 / 101 (5-s throttle; docs/fidelity.md,
// "active-media-failed"). A socket that never opened sends nothing of the kind.

// The runtime hears the dropped channel only while the session stands: at the session's end (or a failover's
// reset) the double closes its channels itself (MediaChannels.closeAll), which is not a drop.
export function channelDropped(stream, kind) {
  if (!stream.client.session || stream.client.status !== 'joined') return;
  if (kind === 'video') {
    stream.failures.report(201);
    return;
  }
  if (kind !== 'audio' || stream.audio.state !== 'started') return;
  stream.failures.report(101);
  // Inferred: computer audio is left, as the runtime's audio-bridge failure path does (leaveComputerAudio,
  // "ended by system"); the audio socket's own path was not read that far.
  stream.releaseAudio();
  stream.client.emit('current-audio-change', { action: 'leave', source: 'audio stream is ended by system' });
  stream.reportComputerAudio();
}

// Joining computer audio opens the audio channel. Whether the runtime's startAudio fails on an audio socket
// that never opens was not read: the double lets startAudio resolve either way (no 101 then: it never opened),
// and only a leave or a failover meanwhile (OPERATION_CANCELLED) is passed on.
export async function openAudioChannel(stream) {
  try {
    await stream.client.operations.guard(stream.channels.open(stream.client.session, 'audio'));
  } catch (failed) {
    if (failed && failed.type === 'OPERATION_CANCELLED') throw failed;
  }
}
