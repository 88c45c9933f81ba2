// startWhiteboardScreen walks the 2.5.0 runtime's guard in its order: not enabled (8001 on a phone or tablet
// browser, 8000 otherwise), a subsession, a screen share, a whiteboard loading, already presenting, the share
// permission, the initiate permission; each step is shown to come before every later one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { turns } from '../support/room-stub.js';
import { DESKTOP, Service, installBrowser } from '../support/whiteboard-room.js';

const ANDROID = { userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36', hardwareConcurrency: 8 };
const reasons = {
  mobile: { errorCode: 8001, reason: 'Whiteboard feature is not supported on mobile platforms.' },
  account: { errorCode: 8000, reason: 'Whiteboard feature is not enabled for this account.' },
  subsession: { errorCode: 8003, reason: 'Cannot start whiteboard while in a subsession.' },
  share: { errorCode: 8002, reason: 'Cannot start whiteboard while screen sharing is in progress.' },
  loading: { errorCode: 8003, reason: 'Cannot start whiteboard while another whiteboard is loading.' },
  presenting: { errorCode: 8003, reason: 'Cannot start a new whiteboard while you are already presenting.' },
  locked: { type: 'INSUFFICIENT_PRIVILEGES', errorCode: 8004, reason: 'Only the host or manager can start whiteboard when sharing is locked.' },
  grab: { type: 'INSUFFICIENT_PRIVILEGES', errorCode: 8004, reason: 'Only the host, manager, or current presenter can take control of the whiteboard.' },
  initiate: { type: 'INSUFFICIENT_PRIVILEGES', errorCode: 8004, reason: 'Only the host or manager can initiate a new whiteboard.' },
};

// Everything that could refuse at once: an attendee in a subsession, someone sharing, a whiteboard loading.
function everythingWrong(member) {
  member.client.feature('subsession').isInSubsession = () => true;
  member.client.stream.getActiveShareUserId = () => 1;
}

test('not enabled comes first: 8001 on a phone, 8000 on a desktop (the account, or two cores)', async () => {
  const service = new Service({ whiteboard: false });
  const guest = await service.join('gus');
  everythingWrong(guest);
  installBrowser(ANDROID);
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.mobile, 'a phone, whatever the account');
  installBrowser(DESKTOP);
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.account);
  service.setAccount({ whiteboard: true });
  installBrowser({ ...DESKTOP, hardwareConcurrency: 2 });
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.account, 'two cores read as the account');
  installBrowser({ ...DESKTOP, hardwareConcurrency: 3 });
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.subsession, 'three cores are enough');
});

test('then the subsession, then the screen share, before the role', async () => {
  const service = new Service();
  const guest = await service.join('gus');
  everythingWrong(guest);
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.subsession);
  guest.client.feature('subsession').isInSubsession = () => false;
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.share, 'an attendee while someone shares gets 8002');
});

test('then loading, then presenting, before the permissions', async (t) => {
  const service = new Service();
  await service.join('hana', 'host');
  const guest = await service.join('gus');
  const other = await service.join('olga');
  service.refusing.add('whiteboard.start');
  service.features.whiteboard = { initiatePermission: 2, sharePermission: 1 };
  guest.client.featureState.whiteboard = { ...service.features.whiteboard };
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const loading = guest.board.startWhiteboardScreen(null);
  loading.catch(() => {});
  guest.client.featureState.whiteboard = { sharePermission: 0, initiatePermission: 0 };
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.loading, 'loading before the permissions');
  await turns(10);
  t.mock.timers.tick(15000);
  t.mock.timers.reset();
  other.client.featureState.whiteboard = { presenterId: other.user.userId, sharePermission: 0, initiatePermission: 0 };
  await assert.rejects(other.board.startWhiteboardScreen(null), reasons.presenting, 'presenting before the permissions');
});

test('then the share permission (LockShare, then HostGrab over a presenter), then the initiate permission', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  const setState = (state) => {
    guest.client.featureState.whiteboard = state;
  };
  setState({ sharePermission: 0, initiatePermission: 2 });
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.locked, 'locked even when everyone may initiate');
  setState({ sharePermission: 1, initiatePermission: 2, presenterId: host.user.userId });
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.grab, 'HostGrab: someone else presents');
  setState({ sharePermission: 1, initiatePermission: 0 });
  await assert.rejects(guest.board.startWhiteboardScreen(null), reasons.initiate);
  await assert.rejects(guest.board.startWhiteboardScreen(null, { docId: 'doc' }), { errorCode: 8005 }, 'a document passes HostOnly');
  guest.board.pending = null; // the runtime stays Pending after that: set it aside for the next start
  setState({ sharePermission: 3, initiatePermission: 2, presenterId: host.user.userId });
  service.features.whiteboard = { sharePermission: 3, initiatePermission: 2, presenterId: host.user.userId };
  assert.equal(await guest.board.startWhiteboardScreen(null), '', 'AnyoneGrab: an attendee takes over');
});

test('the host and managers pass every permission step', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const manager = await service.join('max', 'manager');
  const guest = await service.join('gus');
  service.features.whiteboard = { sharePermission: 0, initiatePermission: 0, presenterId: guest.user.userId };
  for (const member of [host, manager]) member.client.featureState.whiteboard = { ...service.features.whiteboard };
  assert.equal(await manager.board.startWhiteboardScreen(null), '');
  await service.settle();
  host.client.featureState.whiteboard = { ...service.features.whiteboard };
  assert.equal(await host.board.startWhiteboardScreen(null), '');
});
