// The session's arguments come from the page's query string, as in Zoom's web sample:
// ?topic=…&name=…&password=…&role=1&sdkKey=…&sdkSecret=…&webEndpoint=host:port (or &signature=… from a back end).
export interface SessionArgs {
  topic: string;
  name: string;
  password?: string;
  role: number; // 1 host, 0 attendee
  signature?: string;
  sdkKey?: string;
  sdkSecret?: string;
  webEndpoint?: string;
}

export function readSessionArgs(search: string): SessionArgs {
  const query = Object.fromEntries(new URLSearchParams(search));
  return {
    topic: query.topic ?? '',
    name: query.name ?? '',
    password: query.password || undefined,
    role: query.role === undefined ? 1 : Number(query.role),
    signature: query.signature || undefined,
    sdkKey: query.sdkKey || undefined,
    sdkSecret: query.sdkSecret || undefined,
    webEndpoint: query.webEndpoint || undefined,
  };
}
