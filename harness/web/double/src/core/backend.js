// What the runtime asks Zoom's web back end over HTTP rather than the session socket (broadcast streaming's
// `/live/*`, the incoming stream's `/rtmp/*`): a request to `<webEndpoint><path>` with the participant's token
// in the `utk` header, answered `{status, errorCode, errorMessage, result}`. Null when the request fails (the
// network, an HTTP error status), which the runtime treats like a refusal. Each request crosses this
// participant's own network, so a fault there fails it as it fails the runtime's.
export async function backEnd(client, path, { method = 'POST', body } = {}) {
  const session = client.session;
  if (!session) return null;
  if (typeof session.http === 'function') return session.http(path, { method, body }); // the node tests' stand-in
  const token = (session.media && session.media.joinToken) || '';
  try {
    const response = await fetch(`${session.endpoint}${path}`, {
      method,
      headers: method === 'POST' ? { utk: token, 'Content-Type': 'application/json' } : { utk: token },
      body: method === 'POST' ? JSON.stringify(body || {}) : undefined,
    });
    if (!response.ok) return null;
    return await response.json();
  } catch (error) {
    return null;
  }
}

// The runtime's verdict on an answer: `status` true and `errorCode` 0.
export const accepted = (answer) => !!answer && answer.status === true && answer.errorCode === 0;

// The browser's device id, as the runtime keeps it (localStorage `WEBCLIENT_DEVICE_ID`, made once) and names
// it on its session socket (`ZM-CID`): the back end remembers a removed participant by it when the token has
// no `user_identity`.
let fallbackDevice = '';
export function deviceId(storage = globalThis.localStorage) {
  const made = () => (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function' ? globalThis.crypto.randomUUID() : `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`);
  try {
    let id = storage.getItem('WEBCLIENT_DEVICE_ID');
    if (!id) {
      id = made();
      storage.setItem('WEBCLIENT_DEVICE_ID', id);
    }
    return id;
  } catch (error) {
    fallbackDevice = fallbackDevice || made(); // no storage (node, or a browser that refuses it)
    return fallbackDevice;
  }
}
