// A move between subsessions is the runtime's failover (src/client/reconnect.js) with the move's ReconnectReason:
// walked phase by phase, with what guarded calls get in each. The room stub puts the participant in the room
// its rejoin names, as the session service does; the 1 s before the rejoin is in the test's hands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubsessionStatus, SubsessionUserStatus } from '../../src/features/subsession/client.js';
import { MemberRoom, eventsNamed, turns } from '../support/room-stub.js';

const ACCOUNT = { subsessions: true, max_participants: 5000 };

class Service extends MemberRoom {
  constructor() {
    super(ACCOUNT);
  }

  equip(member) {
    member.subsession = member.client.getSubsessionClient();
  }
}

const outcome = (promise) => promise.then((value) => (value === '' ? 'resolved' : value), (error) => error.errorCode);

async function answers(client) {
  const stream = client.getMediaStream();
  return {
    guardOnly: await outcome(stream.switchSpeaker('no-such-speaker')), // 6000 once the guard passes
    ownRecord: await outcome(stream.subscribeAudioStatisticData()), // 6002 without the own record
    hostOrManagerFirst: await outcome(client.removeUser(424242)), // 5006 without the own record; 5011 unknown user
  };
}

const IN_SESSION = { guardOnly: 6000, ownRecord: 'resolved', hostOrManagerFirst: 5011 };
const RESET = { guardOnly: 5002, ownRecord: 5002, hostOrManagerFirst: 5006 };
const NO_OWN_RECORD = { guardOnly: 6000, ownRecord: 6002, hostOrManagerFirst: 5006 };

async function openRooms(service) {
  const host = await service.join('hana', 'host');
  const guest = await service.join('gus');
  const rooms = await host.subsession.createSubsessions(2);
  await host.subsession.openSubsessions(rooms);
  await service.settle();
  return { host, guest, rooms: host.subsession.getSubsessionList() };
}

// Holds the move's rejoin until the test runs it, and records what calls get in the Connected handler.
function standInTheMove(member) {
  const move = { rejoin: null, inConnected: null };
  member.client.afterRejoinDelay = (run) => (move.rejoin = run);
  member.client.on('connection-change', ({ state }) => {
    if (state === 'Connected' && !move.inConnected) move.inConnected = answers(member.client);
  });
  return move;
}

test('a move into a subsession, phase by phase: 5002 once the call has returned, 6002/5006 until the room\'s roster', async () => {
  const service = new Service();
  const { host, guest, rooms } = await openRooms(service);
  const move = standInTheMove(host);
  assert.deepEqual(await answers(host.client), IN_SESSION, 'in the main session');

  assert.equal(await host.subsession.joinSubsession(rooms[1].subsessionId), '');
  assert.deepEqual(eventsNamed(host, 'connection-change').at(-1), { state: 'Reconnecting', reason: 'join breakout room', subsessionName: 'Subsession 2' });
  assert.deepEqual([host.client.status, host.client.meetingReset], ['closed', true]);
  assert.equal(host.subsession.getUserStatus(), SubsessionUserStatus.Joining);
  assert.deepEqual(await answers(host.client), RESET, 'right after `await joinSubsession()`: the session is reset');

  move.rejoin();
  await turns(2);
  assert.deepEqual(eventsNamed(host, 'connection-change').at(-1), { state: 'Connected' });
  assert.deepEqual(await move.inConnected, NO_OWN_RECORD, 'in the Connected handler: the room\'s roster is still to come');

  await service.settle();
  assert.deepEqual(eventsNamed(host, 'user-added').at(-2), [host.user], 'the roster announces the own record first');
  assert.deepEqual(await answers(host.client), IN_SESSION, 'in the room');
  assert.equal(host.subsession.getCurrentSubsession().subsessionId, rooms[1].subsessionId);
  assert.equal(service.features.subsession[`where:${host.user.userId}`], rooms[1].subsessionId, 'the service put the host in the room it named');
  assert.equal(guest.subsession.whereIs(host.user.userId), rooms[1].subsessionId, 'and told the others');
});

test('back to the main session: the call resolves into the reset, then the main session\'s join response and roster', async () => {
  const service = new Service();
  const { host, rooms } = await openRooms(service);
  await host.subsession.joinSubsession(rooms[0].subsessionId);
  await service.settle();
  const move = standInTheMove(host);
  assert.equal(await host.subsession.leaveSubsession(), '');
  assert.deepEqual(eventsNamed(host, 'connection-change').at(-1), { state: 'Reconnecting', reason: 'back to main session' });
  assert.equal(host.subsession.getUserStatus(), SubsessionUserStatus.Leaving);
  assert.deepEqual(await answers(host.client), RESET);
  move.rejoin();
  await service.settle();
  assert.deepEqual(await move.inConnected, NO_OWN_RECORD);
  assert.deepEqual(await answers(host.client), IN_SESSION);
  assert.equal(host.subsession.isInSubsession(), false);
  assert.equal(service.features.subsession[`where:${host.user.userId}`], '');
});

test('a move the host makes happen reaches the participant as the same phases', async () => {
  const service = new Service();
  const { host, guest, rooms } = await openRooms(service);
  await guest.subsession.joinSubsession(rooms[0].subsessionId).catch(() => {}); // not their room: 7502
  const move = standInTheMove(guest);
  await host.subsession.assignUserToSubsession(guest.user.userId, rooms[0].subsessionId).catch(() => {});
  await host.subsession.moveUserToSubsession(guest.user.userId, rooms[1].subsessionId);
  await service.settle();
  assert.deepEqual(eventsNamed(guest, 'connection-change').at(-1), { state: 'Reconnecting', reason: 'move to breakout room', subsessionName: 'Subsession 2' });
  assert.equal(await outcome(guest.client.getMediaStream().switchSpeaker('default')), 5002);
  move.rejoin();
  await service.settle();
  assert.equal(guest.subsession.getCurrentSubsession().subsessionId, rooms[1].subsessionId);
  assert.equal(host.subsession.getSubsessionStatus(), SubsessionStatus.InProgress);
});
