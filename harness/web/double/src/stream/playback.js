// active-media-failed 107 (AudioPlaybackInterrupted): the browser does not let the page play audio. The 2.5.0
// media SDK plays the others' audio through its AudioContext (and an <audio> element); when computer audio is
// joined it checks them (`resumeAudioContextandPlayAudioTag`): the element paused or the context not `running`
// → 1 s later RecoverWebrtcAudio(false) → 107, and a click on the page's body resumes the context. A context
// stays `suspended` under the browser's autoplay policy until the person has interacted with the page
// (docs/fidelity.md, "active-media-failed").
export const PLAYBACK_CHECK_MS = 1000;

// Computer audio joined: the playback context, and the runtime's check of it.
export function startPlayback(stream, scope = globalThis) {
  stopPlayback(stream);
  const Context = scope.AudioContext || scope.webkitAudioContext;
  if (typeof Context !== 'function') return;
  let context;
  try {
    context = new Context();
  } catch (error) {
    return;
  }
  const body = scope.document && scope.document.body;
  const playback = { context, timer: null, body, onClick: null };
  stream.playback = playback;
  if (context.state === 'running') return;
  // Checked again when the second is up (the runtime does not): a context that has started meanwhile is not
  // reported.
  playback.timer = setTimeout(() => {
    playback.timer = null;
    if (stream.playback === playback && context.state !== 'running') stream.failures.report(107);
  }, PLAYBACK_CHECK_MS);
  playback.onClick = () => {
    if (playback.timer) clearTimeout(playback.timer);
    playback.timer = null;
    Promise.resolve(context.resume()).catch(() => {});
  };
  if (body) body.addEventListener('click', playback.onClick);
}

// Computer audio left (or the session over): the context goes with it.
export function stopPlayback(stream) {
  const playback = stream.playback;
  if (!playback) return;
  stream.playback = null;
  if (playback.timer) clearTimeout(playback.timer);
  if (playback.body && playback.onClick) playback.body.removeEventListener('click', playback.onClick);
  Promise.resolve(playback.context.close()).catch(() => {});
}
