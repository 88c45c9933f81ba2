// A Video SDK JWT signed in the browser with the SDK secret, as Zoom's web sample does for development (a real
// app signs on its back end: the secret must never reach a browser). HS256 through Web Crypto, no library.
const LIFETIME_S = 2 * 60 * 60;

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function encodeJson(value: object): string {
  return base64url(new TextEncoder().encode(JSON.stringify(value)));
}

export async function signVideoToken(sdkKey: string, sdkSecret: string, topic: string, role: number): Promise<string> {
  const iat = Math.round(Date.now() / 1000) - 30; // a little in the past, for clocks that disagree
  const payload = { app_key: sdkKey, tpc: topic, role_type: role, version: 1, iat, exp: iat + LIFETIME_S };
  const unsigned = `${encodeJson({ alg: 'HS256', typ: 'JWT' })}.${encodeJson(payload)}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(sdkSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const signature = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(unsigned));
  return `${unsigned}.${base64url(new Uint8Array(signature))}`;
}
