// The session service's back end as the node tests' room stand-in needs it: each request kind of
// harness/service/backend/ carried out as the service does when it accepts (the changed shared state to
// everyone, the answer to the asker, the back end's direct messages and later work), and the HTTP routes of
// harness/service/live.py. No authorisation here: what the service refuses is tested with the service alone
// (tests/test_service_backend.py), and tests/test_double_js.py checks that these kinds are the service's.
// `room.refusing` (a Set of kinds) makes the back end refuse them, for tests of what the double then does.
// Not a test file.

const uuid = () => globalThis.crypto.randomUUID();
const SUBSESSION = { NotStarted: 1, InProgress: 2, Closing: 3, Closed: 4 };

function roomsOf(room) {
  return (room.features.subsession && room.features.subsession.rooms) || [];
}

function userRecord(room, userId) {
  const member = room.members.get(userId);
  return member ? { userId, displayName: member.user.displayName } : { userId };
}

function withUser(rooms, user, subsessionId) {
  return rooms.map((entry) => {
    const userList = entry.userList.filter((other) => other.userId !== user.userId);
    if (entry.subsessionId === subsessionId) userList.push(user);
    return { ...entry, userList };
  });
}

const callIn = (room, entry, action) => (user) => ({ to: user.userId, feature: 'subsession', message: { action, subsessionId: entry.subsessionId, subsessionName: entry.subsessionName } });

// kind -> (room, sender, args) => { changes: {feature: state}, answer?, direct?: [{to, feature, message}], later?(publish) }
export const REQUESTS = {
  'recording.start': (room) => {
    const host = [...room.members.values()].find((member) => member.user.isHost);
    return { changes: { recording: { status: 'Recording', iso: !!host && Number((host.claims || {}).cloud_recording_option) === 1 } } };
  },
  'recording.pause': () => ({ changes: { recording: { status: 'Paused' } } }),
  'recording.stop': () => ({ changes: { recording: { status: 'Stopped' } } }),
  'recording.answer': (room, sender, args) => ({ changes: { recording: { [`accepted:${sender.userId}`]: !!args.accept } } }),
  'whiteboard.start': (room, sender, args) => ({ changes: { whiteboard: { presenterId: sender.userId, exportDisabled: args.exportDisabled === true } } }),
  'whiteboard.stop': () => ({ changes: { whiteboard: { presenterId: 0, exportDisabled: false } } }),
  'whiteboard.permission': (room, sender, args) => {
    const changes = {};
    for (const key of ['sharePermission', 'initiatePermission']) if (args[key] !== undefined) changes[key] = args[key];
    return { changes: { whiteboard: changes } };
  },
  'subsession.create': (room, sender, args) => {
    const state = room.features.subsession || {};
    const kept = state.status === SUBSESSION.Closed ? [] : roomsOf(room);
    const created = args.names.map((subsessionName, index) => ({
      subsessionId: uuid(),
      subsessionName,
      userList: ((args.assign || [])[index] || []).map((userId) => userRecord(room, userId)),
    }));
    return { changes: { subsession: { rooms: [...kept, ...created], status: SUBSESSION.NotStarted } }, answer: { ids: created.map((entry) => entry.subsessionId) } };
  },
  'subsession.open': (room, sender, args) => {
    const rooms = args.rooms.map((entry) => ({ ...entry, userList: entry.userList.map((user) => userRecord(room, user.userId)) }));
    const options = args.options || {};
    const opening = ((room.features.subsession || {}).opening || 0) + 1;
    const action = options.isAutoJoinSubsession ? 'join' : 'invite';
    const changes = { rooms, options, status: SUBSESSION.InProgress, openerId: sender.userId, closerId: 0, broadcastVoice: { status: false, userId: 0 }, opening };
    const later = options.isTimerEnabled && options.isTimerAutoEnabled ? endsOnTime(room, opening, options, sender) : undefined;
    return { changes: { subsession: changes }, direct: rooms.flatMap((entry) => entry.userList.map(callIn(room, entry, action))), later };
  },
  'subsession.close': (room, sender) => {
    const state = room.features.subsession || {};
    return { changes: { subsession: closing(sender) }, later: closes(room, state.opening, state.options || {}) };
  },
  'subsession.assign': (room, sender, args) => {
    const entry = roomsOf(room).find((candidate) => candidate.subsessionId === args.subsessionId);
    const user = userRecord(room, args.userId);
    const action = ((room.features.subsession || {}).options || {}).isAutoJoinSubsession ? 'join' : 'invite';
    return { changes: { subsession: { rooms: withUser(roomsOf(room), user, args.subsessionId) } }, direct: [callIn(room, entry, action)(user)] };
  },
  'subsession.move': (room, sender, args) => {
    const entry = roomsOf(room).find((candidate) => candidate.subsessionId === args.subsessionId);
    const user = userRecord(room, args.userId);
    return { changes: { subsession: { rooms: withUser(roomsOf(room), user, args.subsessionId) } }, direct: [callIn(room, entry, 'move')(user)] };
  },
  'subsession.back': (room, sender, args) => {
    const auto = ((room.features.subsession || {}).options || {}).isAutoMoveBackToMainSession;
    const message = auto ? { action: 'back' } : { action: 'invite-back', inviterId: sender.userId, inviterGuid: '', inviterName: sender.displayName };
    return { direct: [{ to: args.userId, feature: 'subsession', message }] };
  },
  'subsession.broadcast-voice': (room, sender, args) => ({ changes: { subsession: { broadcastVoice: { status: !!args.on, userId: args.on ? sender.userId : 0 } } } }),
  'subsession.broadcast': (room, sender, args) => ({
    direct: [...room.members.keys()].filter((userId) => userId !== sender.userId).map((to) => ({ to, feature: 'subsession', message: { action: 'broadcast', message: args.message, senderName: sender.displayName } })),
  }),
  'share.privilege': (room, sender, args) => ({ changes: { share: { privilege: args.privilege } } }),
  'chat.privilege': (room, sender, args) => ({ changes: { chat: { privilege: args.privilege } } }),
  'transcription.start': () => ({ changes: { transcription: { enabled: true } } }),
  'transcription.disable': (room, sender, args) => ({ changes: { transcription: { hostDisabled: args.disable } } }),
  'transcription.lock': (room, sender, args) => ({ changes: { transcription: { locked: args.lock } } }),
  'spotlight.add': (room, sender, args) => {
    const listed = (room.features['camera-control'] || {}).spotlight || [];
    return { changes: { 'camera-control': { spotlight: args.replace ? [args.userId] : [...listed, args.userId] } } };
  },
  'spotlight.remove': (room, sender, args) => {
    const listed = (room.features['camera-control'] || {}).spotlight || [];
    return { changes: { 'camera-control': { spotlight: listed.filter((userId) => userId !== args.userId) } } };
  },
  'spotlight.clear': () => ({ changes: { 'camera-control': { spotlight: [] } } }),
  'audio.attribute': (room, sender, args) => ({ changes: { 'camera-control': { [args.key]: args.value } } }),
  'rtms.change': (room, sender, args) => ({ changes: { rtms: { status: args.to } } }),
  // The back end's network here: a stream URL on `streaming.test` connects, anything else never does.
  'livestream.start': (room, sender, args) => ({
    changes: { livestream: { status: 2, liveStreamOn: false, viewerUrl: args.broadcastUrl } },
    later: (publish) => {
      if (/^rtmps?:\/\/streaming\.test[:/]/.test(args.streamUrl)) publish('livestream', { status: 1, liveStreamOn: true });
    },
  }),
  'livestream.stop': () => ({ changes: { livestream: { status: 0, liveStreamOn: false } } }),
};

function closing(sender) {
  return { status: SUBSESSION.Closing, closerId: sender.userId, broadcastVoice: { status: false, userId: 0 } };
}

// The back end's closing countdown, on the stub's clock (setTimeout, so mocked timers drive it).
function closes(room, opening, options) {
  return (publish) => {
    const seconds = Math.max(0, Number(options.waitSeconds ?? 60) || 0);
    setTimeout(() => {
      const state = room.features.subsession || {};
      if (state.status === SUBSESSION.Closing && (state.opening || 0) === (opening || 0)) publish('subsession', { status: SUBSESSION.Closed });
    }, seconds * 1000);
  };
}

function endsOnTime(room, opening, options, opener) {
  return (publish) => {
    setTimeout(() => {
      const state = room.features.subsession || {};
      if (state.status !== SUBSESSION.InProgress || state.opening !== opening) return;
      publish('subsession', closing(opener));
      closes(room, opening, options)(publish);
    }, Math.max(0, Number(options.timerDuration) || 0) * 1000);
  };
}

// harness/service/live.py's routes, answered for the member `sender`.
// `room.httpDown` makes every request fail (the participant's network, say): null, as core/backend.js answers.
export function answerHttp(room, sender, path, { body = {} } = {}) {
  if (room.httpDown) return null;
  const member = room.members.get(sender.userId);
  const ok = (result) => ({ status: true, errorCode: 0, errorMessage: '', result });
  const no = (errorCode, errorMessage) => ({ status: false, errorCode, errorMessage, result: false });
  if (!member) return no(3005, 'unknown user token');
  const route = path.split('?')[0];
  if (route === '/live/createAndStartStream') {
    if (room.broadcast && room.broadcast.status === 2) return no(3003, 'a broadcast is running');
    room.broadcast = { channelId: uuid().replace(/-/g, ''), status: 2 };
    room.features.broadcast = { ...(room.features.broadcast || {}), status: 2 };
    for (const other of room.members.values()) {
      if (other !== member) room.deliver(other, { evt: 'feature', feature: 'broadcast', state: { status: 2 }, from: sender });
    }
    return ok({ channelId: room.broadcast.channelId });
  }
  if (route === '/live/stopStream' || route === '/live/getStreamState') {
    if (!room.broadcast || body.channelId !== room.broadcast.channelId) return no(3004, 'channel not found');
    if (route === '/live/getStreamState') return ok({ state: room.broadcast.status });
    room.broadcast.status = 4;
    return ok(true);
  }
  if (route === '/rtmp/getRTMPIngestionForSDK') {
    const infos = room.ingest ? [{ rtmpConnect: room.ingest.connected ? 1 : 0, pushStatus: room.ingest.pushing ? 1 : 0, streamKeyId: room.ingest.key }] : [];
    return ok({ rtmpMeetingInfos: infos });
  }
  if (route === '/rtmp/bindStreamKeyForSDK') {
    room.ingest = { key: body.streamKeyId, connected: false, pushing: false, ...(room.ingestWorld || {}) };
    return ok(true);
  }
  if (route === '/rtmp/unBindStreamKeyForSDK') {
    room.ingest = null;
    return ok(true);
  }
  if (route === '/rtmp/sendLiveForSDK' || route === '/rtmp/stopSendingForSDK') {
    if (!room.ingest || !room.ingest.connected) return no(3004, 'no stream is connected');
    room.ingest.pushing = route === '/rtmp/sendLiveForSDK';
    return ok(true);
  }
  return no(404, 'no such route');
}
