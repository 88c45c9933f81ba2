// The app's shell, shaped like Zoom's web sample: init the client with the SDK's assets at `${origin}/lib`, join
// with the arguments of the URL, follow the connection, and show the preview page at /preview and the session
// page anywhere else (Zoom's sample uses react-router for this; one switch on the path does here).
import { useContext, useEffect, useRef, useState } from 'react';
import { ConnectionState, type event_connection_change } from '@zoom/videosdk';
import type { SessionArgs } from './args';
import { ClientContext, type Client } from './client-context';
import { describeFailure } from './describe';
import Preview from './preview/Preview';
import Session from './session/Session';

type ConnectionPayload = Parameters<typeof event_connection_change>[0];

declare global {
  interface Window {
    zmClient?: Client;
  }
}

export default function App({ args }: { args: SessionArgs }) {
  const client = useContext(ClientContext);
  const [status, setStatus] = useState('closed');
  const [problem, setProblem] = useState('');
  const [joined, setJoined] = useState(false);
  const started = useRef(false);

  useEffect(() => {
    const onConnection = (payload: ConnectionPayload) => {
      if (payload.state === ConnectionState.Connected) {
        setStatus('connected');
        window.zmClient = client; // as Zoom's sample does, for a person at the console
      } else if (payload.state === ConnectionState.Reconnecting) {
        setStatus('reconnecting');
      } else {
        setStatus(payload.reason ? `closed: ${payload.reason}` : 'closed');
        setJoined(false);
      }
    };
    client.on('connection-change', onConnection);
    return () => client.off('connection-change', onConnection);
  }, [client]);

  useEffect(() => {
    if (started.current) return; // once per page, also under StrictMode's double effects
    started.current = true;
    const start = async () => {
      try {
        await client.init('en-US', `${window.location.origin}/lib`, {
          ...(args.webEndpoint ? { webEndpoint: args.webEndpoint } : {}),
          patchJsMedia: true,
          stayAwake: true,
          leaveOnPageUnload: false,
        });
      } catch (error) {
        setProblem(describeFailure('init', error));
        return;
      }
      if (!args.topic && !args.signature) return; // nothing to join: the preview alone
      try {
        await client.join(args.topic, args.signature ?? '', args.name, args.password);
        setJoined(true);
      } catch (error) {
        setProblem(describeFailure('join', error));
      }
    };
    start();
  }, [client, args]);

  const page = window.location.pathname.replace(/\/+$/, '').endsWith('/preview') ? 'preview' : 'session';
  return (
    <main>
      <header>
        <h1>Video SDK sample-style app</h1>
        <p>
          <span data-status={status}>{status}</span> · topic <strong>{args.topic || '(none)'}</strong> as{' '}
          <strong>{args.name || '(nobody)'}</strong>
        </p>
        {problem && <p role="alert">{problem}</p>}
      </header>
      {page === 'preview' ? <Preview /> : <Session joined={joined} />}
    </main>
  );
}
