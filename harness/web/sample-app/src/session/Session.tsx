// The session page: the people in the session and the camera and microphone buttons, once joined.
import { useContext, useEffect, useState } from 'react';
import { ClientContext } from '../client-context';
import { describeFailure } from '../describe';

export default function Session({ joined }: { joined: boolean }) {
  const client = useContext(ClientContext);
  const [people, setPeople] = useState<string[]>([]);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    const refresh = () => setPeople(client.getAllUser().map((user) => user.displayName));
    refresh();
    client.on('user-added', refresh);
    client.on('user-removed', refresh);
    client.on('user-updated', refresh);
    return () => {
      client.off('user-added', refresh);
      client.off('user-removed', refresh);
      client.off('user-updated', refresh);
    };
  }, [client, joined]);

  const act = (what: string, action: () => Promise<unknown>) => () => {
    action().catch((error: unknown) => setProblem(describeFailure(what, error)));
  };
  const stream = () => client.getMediaStream();

  return (
    <section aria-label="Session">
      <h2>Session</h2>
      <p>
        <button id="start-video" disabled={!joined} onClick={act('start video', () => stream().startVideo())}>
          Start video
        </button>
        <button id="start-audio" disabled={!joined} onClick={act('start audio', () => stream().startAudio())}>
          Start audio
        </button>
        <button id="leave" disabled={!joined} onClick={act('leave', () => client.leave())}>
          Leave
        </button>
      </p>
      {problem && <p role="alert">{problem}</p>}
      <ul id="participants">
        {people.map((name, index) => (
          <li key={`${name}-${index}`}>{name}</li>
        ))}
      </ul>
    </section>
  );
}
