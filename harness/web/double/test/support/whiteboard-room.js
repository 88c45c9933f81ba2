// The room for the whiteboard tests: each participant with its whiteboard client at hand, in a desktop browser
// with more than two cores (the runtime's whiteboard needs both) unless a test installs another.
// Not a test file.
import { MemberRoom } from './room-stub.js';

const ACCOUNT = { whiteboard: true, max_participants: 5000 };
export const DESKTOP = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', hardwareConcurrency: 8 };

export function installBrowser(nav = DESKTOP) {
  Object.defineProperty(globalThis, 'navigator', { value: { ...nav }, configurable: true, writable: true });
}

export class Service extends MemberRoom {
  constructor(account = ACCOUNT) {
    super(account);
    installBrowser();
  }

  equip(member) {
    member.board = member.client.getWhiteboardClient();
  }
}
