// A live capture track that ends, as the 2.5.0 runtime's media SDK reads it (docs/fidelity.md,
// "active-media-failed"): first the permission (not granted → 203/103), then a fresh device list. Still
// listed (the camera by the track's own deviceId, the microphone by the selected id or label) → 202/102; gone
// from the list (unplugged) → no event: the device-change path takes over.

// Called once per captured stream: each of its tracks reports its end.
export function watchTracks(stream, media, type) {
  for (const track of media.getTracks()) {
    track.addEventListener('ended', () => trackEnded(stream, media, type, track));
  }
}

async function trackEnded(stream, media, type, track) {
  const video = type === 'video';
  if ((video ? stream.video.stream : stream.audio.stream) !== media) return;
  const revoked = (await permissionState(video ? 'camera' : 'microphone')) !== 'granted';
  const listed = !revoked && (await stillListed(stream, type, track));
  if (video) {
    stream.releaseVideo();
    stream.client.emit('video-capturing-change', { state: 'Stopped' });
    if (revoked || listed) stream.failures.report(revoked ? 203 : 202);
    return;
  }
  const { deviceId, muted } = stream.audio;
  stream.releaseAudio();
  stream.client.emit('current-audio-change', { action: 'leave', source: 'audio stream is ended by system' });
  stream.reportComputerAudio();
  if (revoked || listed) stream.failures.report(revoked ? 103 : 102);
  // 102 on a desktop browser: the runtime joins computer audio again (the same microphone); an unplugged
  // microphone: it changes to the default one.
  if (!revoked) {
    const microphoneId = listed && deviceId ? deviceId : undefined;
    try {
      await stream.startAudio({ microphoneId, mute: muted });
    } catch (failed) {
      // No microphone to come back to: audio stays left.
    }
  }
}

async function stillListed(stream, type, track) {
  let list;
  try {
    list = await navigator.mediaDevices.enumerateDevices();
  } catch (error) {
    return false;
  }
  if (type === 'video') {
    const settings = typeof track.getSettings === 'function' ? track.getSettings() : {};
    return list.some((device) => device.kind === 'videoinput' && device.deviceId === settings.deviceId);
  }
  const selected = stream.audio.deviceId;
  const label = track.label;
  return list.some(
    (device) => device.kind === 'audioinput' && (device.deviceId === selected || (!!label && device.label === label)),
  );
}

async function permissionState(name) {
  try {
    return (await navigator.permissions.query({ name })).state;
  } catch (error) {
    return 'granted'; // no Permissions API answer: treat the end as a device loss
  }
}
