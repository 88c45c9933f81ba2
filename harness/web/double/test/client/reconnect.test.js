// A failover walked phase by phase (src/client/reconnect.js), with what guarded calls get in each, as the 2.5.0
// runtime answers them (read in dist/index.esm.js, measured against a scripted back end):
//   P0 in session                      → calls pass
//   P1 reset → rejoin's join response  → 5002 'closed' (role-first methods 5006 / 5007, join 5012)
//   P2 join response → roster          → the guard passes; own-record readers 6002, role checks 5006 / 5007
//   P3 roster                          → everything works again
//   P4 the single rejoin failed        → Fail 200, then 5002 'closed'; join() allowed again
// 5003 'reconnecting' is in none of them: the rejoin's join response makes the status joined and clears the
// reset flag in one step.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { VideoClient } from '../../src/client/client.js';
import { REJOIN_DELAY_MS } from '../../src/client/reconnect.js';
import { connectionError, joinFailureFromAnswer } from '../../src/client/join-rules.js';
import { installMediaDevices } from '../support/media-stub.js';
import { turns } from '../support/room-stub.js';

const ALICE = { userId: 16778240, displayName: 'alice', isHost: true, isManager: false, audio: '', muted: false };
const BOB = { userId: 16779264, displayName: 'bob', isHost: false, isManager: false, audio: '', muted: false };
const JOINED = {
  evt: 'joined',
  user: ALICE,
  session: { topic: 'standup', sessionId: 'abc', password: '' },
  accountSettings: { live_stream: true, max_participants: 5000 },
  features: {},
};
const CLOSED = 5002;

// A client whose connections are scripted: each open() waits until the test answers it (`answer()`) or fails it
// (`refuse(error)`); the rejoin's 1 s runs on node's mocked setTimeout.
function scripted() {
  installMediaDevices();
  const client = new VideoClient();
  const opens = [];
  client.newConnection = () => {
    const connection = {
      stage: 'idle',
      sent: [],
      dropped: false,
      admittedUserId: ALICE.userId,
      open(request, options = {}) {
        connection.stage = 'posting';
        return new Promise((resolve, reject) => {
          opens.push({
            request,
            options,
            connection,
            answer: () => {
              connection.stage = 'joined';
              resolve(structuredClone(JOINED));
            },
            refuse: reject,
          });
        });
      },
      send(message) {
        connection.sent.push(message);
      },
      drop() {
        connection.stage = 'dropped';
        connection.dropped = true;
      },
      mediaUrl: (kind) => `ws://media.test/${kind}`,
    };
    return connection;
  };
  const events = [];
  for (const name of ['connection-change', 'user-added', 'video-capturing-change']) {
    client.on(name, (payload) => events.push({ name, payload }));
  }
  const roster = () => client.onServerMessage({ evt: 'roster', participants: structuredClone([ALICE, BOB]) });
  return { client, opens, events, roster };
}

async function inSession() {
  const setup = scripted();
  const joining = setup.client.join('standup', 'token', 'alice');
  await turns(3);
  setup.opens[0].answer();
  await turns(3);
  setup.roster();
  await joining;
  setup.events.length = 0;
  return setup;
}

const outcome = (promise) => promise.then((value) => (value === '' ? 'resolved' : value), (error) => error.errorCode ?? error.name);

// One call of each kind the runtime guards differently.
async function answers(client) {
  const stream = client.getMediaStream();
  return {
    guardOnly: await outcome(stream.switchSpeaker('no-such-speaker')), // [cm]: 6000 once the guard passes
    ownRecord: await outcome(stream.subscribeAudioStatisticData()), // [cm], then reads the own record (6002)
    hostOrManagerFirst: await outcome(client.removeUser(424242)), // [pm, cm]: 5006, 5002, then 5011 unknown user
    hostOnly: await outcome(client.getLiveStreamClient().startLiveStream()), // [hm]: 5007, then 7401 no parameters
  };
}

const IN_SESSION = { guardOnly: 6000, ownRecord: 'resolved', hostOrManagerFirst: 5011, hostOnly: 7401 };
const RESET = { guardOnly: CLOSED, ownRecord: CLOSED, hostOrManagerFirst: 5006, hostOnly: 5007 };
const NO_OWN_RECORD = { guardOnly: 6000, ownRecord: 6002, hostOrManagerFirst: 5006, hostOnly: 5007 };

test('a failover, phase by phase: what a guarded call gets in each, and never 5003', async () => {
  const { client, opens, events, roster } = await inSession();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    assert.deepEqual(await answers(client), IN_SESSION, 'P0: in session');

    client.onConnectionLost();
    assert.deepEqual(events, [{ name: 'connection-change', payload: { state: 'Reconnecting', reason: 'failover' } }]);
    assert.deepEqual([client.status, client.meetingReset], ['closed', true]);
    assert.deepEqual(await answers(client), RESET, 'P1: reset, before the rejoin');
    await assert.rejects(client.join('standup', 'token', 'alice'), { type: 'INVALID_OPERATION', errorCode: 5012, reason: 'duplicated operation' });
    assert.deepEqual([client.getAllUser(), client.getCurrentUserInfo(), client.getSessionInfo().isInMeeting, client.isHost()], [[], null, false, false]);

    mock.timers.tick(REJOIN_DELAY_MS - 1);
    assert.equal(opens.length, 1, 'no rejoin before 1 s');
    mock.timers.tick(1);
    assert.equal(opens.length, 2, 'one rejoin, 1 s after the reset');
    assert.equal(opens[1].request.rejoinUserId, ALICE.userId);
    assert.deepEqual(opens[1].options, { rejoin: true });
    assert.deepEqual(await answers(client), RESET, 'P1: the rejoin under way');

    opens[1].answer();
    await turns(3);
    assert.deepEqual(events.at(-1), { name: 'connection-change', payload: { state: 'Connected' } });
    assert.deepEqual([client.status, client.meetingReset], ['joined', false]);
    assert.deepEqual(await answers(client), NO_OWN_RECORD, 'P2: joined again, the roster still to come');
    assert.deepEqual([client.getAllUser(), client.getSessionInfo().isInMeeting], [[], true]);

    roster();
    assert.deepEqual(events.slice(-2), [
      { name: 'user-added', payload: [ALICE] },
      { name: 'user-added', payload: [BOB] },
    ]);
    assert.deepEqual(await answers(client), IN_SESSION, 'P3: back');
    assert.equal(events.filter((event) => event.payload.state === 'Reconnecting').length, 1);
  } finally {
    mock.timers.reset();
  }
});

test('a call from the Reconnecting handler already meets the reset: 5002 closed', async () => {
  const { client } = await inSession();
  let answer;
  client.on('connection-change', ({ state }) => {
    if (state === 'Reconnecting') answer = client.getMediaStream().startVideo().catch((error) => error);
  });
  client.afterRejoinDelay = () => {};
  client.onConnectionLost();
  assert.deepEqual(await answer, { type: 'IMPROPER_MEETING_STATE', reason: 'closed', errorCode: 5002 });
});

test('a call from the rejoin\'s Connected handler passes the guard, and own-record readers get 6002', async () => {
  const { client, opens } = await inSession();
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  client.onConnectionLost();
  const seen = [];
  client.on('connection-change', ({ state }) => {
    if (state !== 'Connected') return;
    const stream = client.getMediaStream();
    seen.push(stream.startAudio().catch((error) => error), stream.switchSpeaker('default'));
  });
  rejoin();
  opens[1].answer();
  await turns(3);
  assert.deepEqual(await Promise.all(seen), [
    { type: 'INVALID_OPERATION', reason: 'Please call `startAudio` method after the `join` has been resolved', errorCode: 6002 },
    '',
  ]);
});

test('the guard reads as the runtime\'s, 5002 before 5003; the second branch needs joined and reset together', () => {
  const client = new VideoClient();
  assert.throws(() => client.assertInSession(), { errorCode: 5002, reason: 'closed' });
  client.meetingReset = true;
  assert.throws(() => client.assertInSession(), { errorCode: 5002, reason: 'closed' }, 'reset and closed: 5002 first');
  client.status = 'joined';
  assert.throws(() => client.assertInSession(), { type: 'IMPROPER_MEETING_STATE', errorCode: 5003, reason: 'reconnecting' });
});

test('5003 is never what an app meets: every event and timer of a failover sees 5002 or passes', async () => {
  const { client, opens, roster } = await inSession();
  const codes = new Set();
  const look = () => {
    try {
      client.assertInSession();
      codes.add('passes');
    } catch (error) {
      codes.add(error.errorCode);
    }
  };
  for (const name of ['connection-change', 'user-added', 'video-capturing-change']) client.on(name, look);
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  client.onConnectionLost();
  look();
  rejoin();
  look();
  opens[1].answer();
  await turns(3);
  look();
  roster();
  assert.deepEqual([...codes].sort(), [5002, 'passes']);
});

test('the rejoin fails: Fail 200 connection error, then 5002 closed and join() allowed again; no second attempt', async () => {
  const { client, opens, events } = await inSession();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    client.onConnectionLost();
    mock.timers.tick(REJOIN_DELAY_MS);
    const waiting = assert.rejects(client.operations.guard(new Promise(() => {})), { type: 'OPERATION_CANCELLED', reason: 'JOIN_MEETING_FAILED', errorCode: 3 });
    opens[1].refuse(connectionError());
    await turns(3);
    await waiting;
    assert.deepEqual(events.map((event) => event.payload), [
      { state: 'Reconnecting', reason: 'failover' },
      { state: 'Fail', errorCode: 200, reason: 'connection error' },
    ]);
    assert.deepEqual([client.status, client.meetingReset], ['closed', false]);
    assert.deepEqual(await answers(client), RESET, 'P4: given up');
    mock.timers.tick(120000);
    assert.equal(opens.length, 2, 'one attempt only');
    const again = client.join('standup', 'token', 'alice');
    await turns(3);
    assert.equal(opens.length, 3, 'join() is accepted after the give-up');
    opens[2].answer();
    await turns(3);
    client.onServerMessage({ evt: 'roster', participants: [ALICE] });
    assert.equal(await again, '');
  } finally {
    mock.timers.reset();
  }
});

test('a rejoin refused by the back end ends with its own code, e.g. the token expired meanwhile', async () => {
  const { client, opens, events } = await inSession();
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  client.onConnectionLost();
  rejoin();
  const expired = 'The token has expired, is over 2 days old, or is ineffective.';
  opens[1].refuse(joinFailureFromAnswer({ status: false, errorCode: 124, errorMessage: expired }));
  await turns(3);
  assert.deepEqual(events.at(-1).payload, { state: 'Fail', errorCode: 200, reason: expired });
  assert.throws(() => client.assertInSession(), { errorCode: 5002 });
});

test('pending waits are cancelled RECONNECTING_MEETING before the reset; the camera stops after Reconnecting', async () => {
  const { client, events } = await inSession();
  client.afterRejoinDelay = () => {};
  await client.getMediaStream().startVideo();
  events.length = 0;
  let statusWhenCancelled;
  const waiting = client.operations.guard(new Promise(() => {}));
  waiting.catch(() => {});
  client.operations.waiting.values().next().value.reject = (error) => {
    statusWhenCancelled = [client.status, client.meetingReset, error.reason];
  };
  client.onConnectionLost();
  assert.deepEqual(statusWhenCancelled, ['joined', false, 'RECONNECTING_MEETING']);
  assert.deepEqual(events.map((event) => [event.name, event.payload.state]), [
    ['connection-change', 'Reconnecting'],
    ['video-capturing-change', 'Stopped'],
  ]);
  assert.equal(client.getMediaStream().isCapturingVideo(), false);
});

test('after the rejoin\'s roster the camera it had is started again', async () => {
  const { client, opens, events, roster } = await inSession();
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  await client.getMediaStream().startVideo();
  client.onConnectionLost();
  rejoin();
  opens[1].answer();
  await turns(3);
  assert.equal(client.getMediaStream().isCapturingVideo(), false, 'not before the roster');
  roster();
  await turns(10);
  assert.equal(client.getMediaStream().isCapturingVideo(), true);
  assert.deepEqual(events.filter((event) => event.name === 'video-capturing-change').map((event) => event.payload.state), ['Started', 'Stopped', 'Started']);
});

test('leave() before the rejoin has sent its request does nothing: it resolves after 500 ms and the rejoin goes on', async () => {
  const { client, opens, events } = await inSession();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    client.onConnectionLost();
    let left = false;
    const leaving = client.leave().then((value) => (left = value === ''));
    await turns(3);
    assert.equal(left, false);
    mock.timers.tick(500);
    await leaving;
    assert.equal(left, true);
    mock.timers.tick(REJOIN_DELAY_MS);
    assert.equal(opens.length, 2, 'the rejoin went ahead');
    assert.deepEqual(events.map((event) => event.payload.state), ['Reconnecting']);
  } finally {
    mock.timers.reset();
  }
});

test('leave() while the rejoin request is in flight ends the session: Closed, no reason, 5002', async () => {
  const { client, opens, events } = await inSession();
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  client.onConnectionLost();
  rejoin();
  assert.equal(await client.leave(), '');
  assert.equal(opens[1].connection.dropped, true, 'the request is aborted');
  assert.deepEqual(events.map((event) => event.payload), [{ state: 'Reconnecting', reason: 'failover' }, { state: 'Closed' }]);
  opens[1].answer();
  await turns(3);
  assert.deepEqual([client.status, client.meetingReset], ['closed', false], 'a late answer does not bring the session back');
});

test('a socket lost during the first join: join() rejects 3 RECONNECTING_MEETING, and the SDK rejoins by itself', async () => {
  const { client, opens, events, roster } = scripted();
  let rejoin;
  client.afterRejoinDelay = (run) => (rejoin = run);
  const joining = client.join('standup', 'token', 'alice');
  await turns(3);
  client.onConnectionLost(); // the connection reports a socket that opened and closed before the join response
  await assert.rejects(joining, { type: 'OPERATION_CANCELLED', reason: 'RECONNECTING_MEETING', errorCode: 3 });
  assert.throws(() => client.assertInSession(), { errorCode: 5002, reason: 'closed' });
  rejoin();
  assert.equal(opens[1].request.rejoinUserId, ALICE.userId, 'the participant the join answer admitted');
  opens[1].answer();
  await turns(3);
  roster();
  assert.deepEqual(events.map((event) => event.payload.state || event.name), ['Reconnecting', 'Connected', 'user-added', 'user-added']);
  assert.equal(client.getCurrentUserInfo().userId, ALICE.userId);
});

test('a first join refused before any socket is a Fail, not a failover', async () => {
  const { client, opens, events } = scripted();
  const joining = client.join('standup', 'token', 'alice');
  await turns(3);
  opens[0].refuse(connectionError());
  await assert.rejects(joining, { type: 'JOIN_MEETING_FAILED', errorCode: 200, reason: 'connection error' });
  assert.deepEqual(events.map((event) => event.payload), [{ state: 'Fail', errorCode: 200, reason: 'connection error' }]);
});
