// The failover of the 2.5.0 runtime, in its order (read in dist/index.esm.js; measured against a scripted back
// end; docs/fidelity.md, "Connection and reconnect"). One path serves a lost session socket, a heartbeat that
// hears nothing, a socket lost during a first join, and a move between subsessions:
//
// 1. the runtime's internal "reconnecting" event cancels the pending waits (OPERATION_CANCELLED 3
//    'RECONNECTING_MEETING'), then the session is reset in the same synchronous run: the socket is dropped,
//    media torn down (video-capturing-change Stopped if the camera was on), the participant list emptied, the
//    status 'closed' with the reset flag set. Only then does the app hear connection-change Reconnecting (the
//    runtime delivers events in a microtask; the double finishes every change before it emits), so a call from
//    that handler, or any call until the rejoin's join response, is 5002 'closed';
// 2. one rejoin 1 s later: the whole join again (POST /wc/lsdk, a new socket with the same participant);
// 3. its join response sets the status joined and clears the reset flag in one step, then Connected: no app
//    code can run between the two, so 5003 'reconnecting' is never an app's answer. The participant list stays
//    empty until the roster, so the first join's window (6002, 5006, 5007) opens again;
// 4. any failure of that single rejoin ends it: connection-change Fail (200 'connection error', or the refusal's
//    code), the session closed (5002), join() allowed again. There is no second attempt.
import { RECONNECTING } from '../core/pending.js';
import { Stream } from '../stream/stream.js';

export const REJOIN_DELAY_MS = 1000; // `vr(gh(o)).pipe(ao(1e3))`: the rejoin, 1 s after the reset
export const LEAVE_IGNORED_MS = 500; // leave() before the rejoin's request: `Ir(qr(500).pipe(no("")))`

// Starts a failover. `reason` and `subsessionName` are connection-change's; `subsessionId` is where the
// rejoin goes ('' = the main session), for a move between subsessions only.
export function startFailover(client, { reason = 'failover', subsessionName, subsessionId } = {}) {
  client.operations.cancel(RECONNECTING);
  const state = {
    userId: client.currentUserId() || (client.session && client.session.admittedUserId) || null,
    subsessionId,
    media: rememberMedia(client.stream),
  };
  client.failover = state;
  const videoWasOn = client.stream.video.state === 'started';
  if (client.session) client.session.drop();
  client.session = null;
  client.stream.releaseAll();
  client.users = new Map();
  client.currentUser = null; // the runtime's userId is gone with the reset (getSessionInfo().userId)
  client.handshake.reset();
  client.status = 'closed';
  client.meetingReset = true;
  const payload = { state: 'Reconnecting', reason };
  if (subsessionName !== undefined) payload.subsessionName = subsessionName;
  client.emit('connection-change', payload);
  if (videoWasOn) client.emit('video-capturing-change', { state: 'Stopped' });
  client.afterRejoinDelay(() => rejoin(client, state));
}

// The single rejoin attempt of `state` (skipped when the failover has ended meanwhile: left, or replaced).
export async function rejoin(client, state) {
  if (client.failover !== state) return;
  const request = { ...client.joinRequest };
  if (state.userId) request.rejoinUserId = state.userId;
  if (state.subsessionId) request.subsessionId = state.subsessionId;
  const connection = client.newConnection();
  client.session = connection;
  let joined;
  try {
    joined = await connection.open(request, { rejoin: true });
  } catch (error) {
    if (client.failover === state) client.failSession(error);
    return;
  }
  if (client.failover !== state) {
    connection.drop();
    return;
  }
  client.failover = null;
  client.restoreAfterRoster = state.media;
  client.enterSession(joined);
}

// leave() while the session is reset: before the rejoin has sent its request the runtime has nothing to leave
// (socket, join request and token are gone) and resolves '' after 500 ms without stopping the rejoin; from the
// request on it is the ordinary leave (measured on 2.5.0).
export function leaveIgnored(client) {
  const stage = client.session ? client.session.stage : 'idle';
  if (client.failover === null || stage !== 'idle') return null;
  return new Promise((resolve) => setTimeout(() => resolve(''), LEAVE_IGNORED_MS));
}

// What the runtime restores once the rejoin's roster has come (the audio and video it had "before reset").
function rememberMedia(stream) {
  const { video, audio } = stream;
  return {
    video: video.state === 'started' ? { cameraId: video.deviceId || undefined, videoElement: video.element || undefined } : null,
    audio: audio.state === 'started' ? { mute: !!audio.muted, speakerOnly: !audio.stream } : null,
  };
}

// After the rejoin's roster: computer audio rejoined (muted as before) and the camera restarted if it was on
// (read: `currentUserAudioBeforeReset`, `bVideoOn`; what the app hears then is inferred). Called on the
// class, not the instance, so the harness's probe does not count the SDK's own restart as the app's call;
// a restart that fails is the runtime's problem, not the app's rejection.
export function restoreMedia(client, media) {
  if (!media) return;
  if (media.audio) Stream.prototype.startAudio.call(client.stream, media.audio).catch(() => {});
  if (media.video) Stream.prototype.startVideo.call(client.stream, media.video).catch(() => {});
}
