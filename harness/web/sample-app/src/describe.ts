// What the page shows for an SDK rejection: its code and reason, or a browser error's message.
export function describeFailure(action: string, error: unknown): string {
  const failure = (error ?? {}) as { errorCode?: number; reason?: string; message?: string };
  const detail = failure.reason ?? failure.message ?? String(error);
  return `${action} failed${failure.errorCode === undefined ? '' : ` (${failure.errorCode})`}: ${detail}`;
}
