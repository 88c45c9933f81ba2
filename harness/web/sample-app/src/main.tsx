import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import ZoomVideo from '@zoom/videosdk';
import App from './App';
import { readSessionArgs } from './args';
import { ClientContext } from './client-context';
import { signVideoToken } from './jwt';

const args = readSessionArgs(window.location.search);
const client = ZoomVideo.createClient();

async function main() {
  if (!args.signature && args.sdkKey && args.sdkSecret) {
    args.signature = await signVideoToken(args.sdkKey, args.sdkSecret, args.topic, args.role);
  }
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <ClientContext.Provider value={client}>
        <App args={args} />
      </ClientContext.Provider>
    </StrictMode>,
  );
}

main();
