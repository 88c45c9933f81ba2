// Subsessions: the order in which the 2.5.0 runtime checks each call (its decorators, then the method's own
// checks), walked through the combinations it tells apart, and what the double does when the back end refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubsessionStatus } from '../../src/features/subsession/client.js';
import { installMediaDevices } from '../support/media-stub.js';
import { MemberRoom, turns, timesOutAfter } from '../support/room-stub.js';

const ACCOUNT = { subsessions: true, subsession_broadcast: true, subsession_broadcast_voice: true, max_participants: 5000 };

class Service extends MemberRoom {
  constructor(account = ACCOUNT) {
    super(account);
  }

  equip(member) {
    member.subsession = member.client.getSubsessionClient();
  }
}

const code = (errorCode, reason) => (reason === undefined ? { errorCode } : { errorCode, reason });

test('createSubsessions: session, role, account, open rooms, then the count', async () => {
  const service = new Service({ ...ACCOUNT, subsessions: false });
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  await assert.rejects(guest.subsession.createSubsessions(0), code(5006), 'the role before the account and the count');
  await assert.rejects(host.subsession.createSubsessions(0), code(7500), 'the account before the count');
  service.setAccount({ subsessions: true });
  await host.subsession.openSubsessions([]);
  await assert.rejects(host.subsession.createSubsessions(0), code(7504, 'breakout room has started!'), 'open rooms before the count');
  service.leave(guest);
  await assert.rejects(guest.subsession.createSubsessions(0), code(5002), 'the session before the role');
});

test('openSubsessions: session, role, open rooms, unknown rooms, then unknown users', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  const stale = [{ subsessionId: 'stale', subsessionName: 'x', userList: [{ userId: 999 }] }];
  await assert.rejects(guest.subsession.openSubsessions(stale), code(5006));
  const [room] = await host.subsession.createSubsessions(1);
  await assert.rejects(host.subsession.openSubsessions(stale), code(7502, 'roomId is wrong'), 'rooms before users');
  await assert.rejects(host.subsession.openSubsessions([{ ...room, userList: [{ userId: 999 }] }]), code(7503, 'Invalid user'));
  await host.subsession.openSubsessions([room]);
  await assert.rejects(host.subsession.openSubsessions(stale), code(7504, 'breakout room has started!'), 'open rooms before the ids');
});

test('close, assign, move and the message broadcast check the role before the session', async () => {
  const service = new Service();
  await service.join('hana', 'host');
  const guest = await service.join('gus');
  service.leave(guest);
  for (const call of [
    () => guest.subsession.closeAllSubsessions(),
    () => guest.subsession.assignUserToSubsession(1, 'x'),
    () => guest.subsession.moveUserToSubsession(1, 'x'),
    () => guest.subsession.moveBackToMainSession(1),
    () => guest.subsession.broadcast(''),
  ]) {
    await assert.rejects(call(), code(5006));
  }
  for (const call of [() => guest.subsession.startBroadcastVoice(), () => guest.subsession.stopBroadcastVoice(), () => guest.subsession.postponeHelping(1)]) {
    await assert.rejects(call(), code(5007), 'host only, before the session');
  }
});

test('moveUserToSubsession: the user, then the user in a room, then already there, then the room', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  const late = await service.join('lou');
  const rooms = await host.subsession.createSubsessions(2);
  rooms[0].userList.push({ userId: guest.user.userId });
  await host.subsession.openSubsessions(rooms);
  const move = (userId, subsessionId) => host.subsession.moveUserToSubsession(userId, subsessionId);
  await assert.rejects(move(4242, 'nope'), { type: 'INVALID_PARAMETERS', ...code(7503, 'user id not correct') });
  await assert.rejects(move(late.user.userId, 'nope'), { type: 'INVALID_OPERATION', ...code(7503, 'user not in a room') });
  await assert.rejects(move(guest.user.userId, rooms[0].subsessionId), { type: 'INVALID_OPERATION', ...code(7504, 'user already in the target room') });
  await assert.rejects(move(guest.user.userId, 'nope'), { type: 'INVALID_PARAMETERS', ...code(7502, 'invalid room id') });
});

test('joinSubsession: session, open rooms, then by role: the room, no host, the room given', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const manager = await service.join('max', 'manager');
  const guest = await service.join('gus');
  await assert.rejects(guest.subsession.joinSubsession('nope'), code(7504, 'Breakout room is not started'), 'open rooms before the room');
  const rooms = await host.subsession.createSubsessions(2);
  rooms[0].userList.push({ userId: guest.user.userId });
  await host.subsession.openSubsessions(rooms, { isSubsessionSelectionEnabled: true });
  await service.settle();
  await assert.rejects(host.subsession.joinSubsession('nope'), code(7502, 'Room ID is not correct'));
  await assert.rejects(manager.subsession.joinSubsession('nope'), code(7502, 'Room ID is not correct'), 'the room before the host');
  await assert.rejects(guest.subsession.joinSubsession('nope'), code(7502, 'Room ID is not correct'));
  service.leave(host);
  await service.settle();
  await assert.rejects(manager.subsession.joinSubsession(rooms[1].subsessionId), code(7504, 'No host in the meeting, cannot join the room'));
  await assert.rejects(guest.subsession.joinSubsession(rooms[1].subsessionId), code(7504, 'No host in the meeting, cannot join the room'), 'another room, by choice');
  assert.equal(await guest.subsession.joinSubsession(rooms[0].subsessionId), '', 'the room given needs no host');
});

test('leaveSubsession, askForHelp: in a room first, then the permission or the role', async () => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  await assert.rejects(guest.subsession.askForHelp(), code(7504, 'you are not in breakout room'));
  const rooms = await host.subsession.createSubsessions(1);
  rooms[0].userList.push({ userId: guest.user.userId });
  await host.subsession.openSubsessions(rooms, { isAutoJoinSubsession: true, isBackToMainSessionEnabled: false });
  await service.settle();
  await assert.rejects(guest.subsession.leaveSubsession(), { type: 'INSUFFICIENT_PRIVILEGES', ...code(7505) });
  await host.subsession.joinSubsession(rooms[0].subsessionId);
  await service.settle();
  await assert.rejects(host.subsession.askForHelp(), code(7503, 'host or co-host can not ask for help'));
  await assert.rejects(guest.subsession.askForHelp(), code(7504, 'host is in room'));
  assert.equal(await host.subsession.leaveSubsession(), '', 'the host leaves whatever the option');
});

test('broadcast: account before content; voice: account, in a room, already on, then the audio', async () => {
  installMediaDevices();
  const service = new Service({ ...ACCOUNT, subsession_broadcast: false });
  const host = await service.join('hana', 'host');
  await assert.rejects(host.subsession.broadcast(''), code(7506), 'the account before the content');
  await assert.rejects(host.subsession.startBroadcastVoice(), code(7508), 'voice needs the message broadcast too');
  service.setAccount({ subsession_broadcast: true });
  const rooms = await host.subsession.createSubsessions(1);
  await host.subsession.openSubsessions(rooms);
  await host.subsession.joinSubsession(rooms[0].subsessionId);
  await service.settle();
  await assert.rejects(host.subsession.startBroadcastVoice(), code(7509), 'in a room before the audio');
  await host.subsession.leaveSubsession();
  await service.settle();
  await assert.rejects(host.subsession.startBroadcastVoice(), code(7510, 'Start audio and unmute to broadcast'));
  await host.client.getMediaStream().startAudio();
  await service.settle();
  assert.equal(await host.subsession.startBroadcastVoice(), '');
  await host.client.getMediaStream().muteAudio();
  await service.settle();
  assert.equal(await host.subsession.startBroadcastVoice(), '', 'already on: no audio check');
});

test('the back end makes the rooms: their IDs are its answer; without one, INTERNAL_ERROR after 10 s', async (t) => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const rooms = await host.subsession.createSubsessions(['Red']);
  assert.deepEqual(service.requests.at(-1), { kind: 'subsession.create', from: host.user.userId, names: ['Red'] });
  assert.deepEqual(rooms.map((room) => room.subsessionId), service.features.subsession.rooms.map((room) => room.subsessionId));
  const more = await host.subsession.createSubsessions('Blue');
  assert.deepEqual(more.map((room) => room.subsessionName), ['Blue'], 'only the new rooms');
  assert.equal(host.subsession.getSubsessionList().length, 2);
  service.refusing.add('subsession.create');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const refused = host.subsession.createSubsessions(1);
  await turns(40);
  t.mock.timers.tick(10000);
  t.mock.timers.reset();
  await assert.rejects(refused, (error) => {
    assert.deepEqual(error, { type: 'INTERNAL_ERROR', errorCode: 2 });
    return true;
  });
});

test('an assignment the back end refuses (the rooms are not open) times out after 10 s', async (t) => {
  const service = new Service();
  const host = await service.join('hana', 'host');
  const late = await service.join('lou');
  const rooms = await host.subsession.createSubsessions(1);
  service.refusing.add('subsession.assign');
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const assigned = host.subsession.assignUserToSubsession(late.user.userId, rooms[0].subsessionId);
  await timesOutAfter(t, assigned, 10000);
});

