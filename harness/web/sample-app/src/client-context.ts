import { createContext } from 'react';
import ZoomVideo from '@zoom/videosdk';

export type Client = ReturnType<typeof ZoomVideo.createClient>;

// The one client of the page (the SDK's singleton), handed down as Zoom's sample hands down its zmClient.
export const ClientContext = createContext<Client>(ZoomVideo.createClient());
