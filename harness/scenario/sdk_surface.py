"""Public Video SDK Web methods a `call:` step may name (facts §4), per target object."""

from __future__ import annotations

TARGETS: dict[str, tuple[str, ...]] = {
    "client": (
        "init", "join", "leave", "getMediaStream", "getChatClient", "getCommandClient", "getRecordingClient",
        "getLiveTranscriptionClient", "getLiveStreamClient", "getSubsessionClient", "getWhiteboardClient",
        "getRealTimeMediaStreamsClient", "getBroadcastStreamingClient", "getCurrentUserInfo", "getAllUser",
        "getUser", "getSessionInfo", "isHost", "isManager", "isOriginalHost", "changeName", "removeUser",
        "makeHost", "makeManager", "revokeManager", "reclaimHost", "getSessionHost",
    ),
    "stream": (
        "startVideo", "stopVideo", "switchCamera", "attachVideo", "detachVideo", "renderVideo", "stopRenderVideo",
        "mirrorVideo", "previewVirtualBackground", "updateVirtualBackgroundImage", "stopPreviewVirtualBackground",
        "previewVideoMask", "stopPreviewVideoMask", "spotlightVideo", "removeSpotlightedVideo", "screenshotVideo",
        "startAudio", "stopAudio", "muteAudio", "unmuteAudio", "switchMicrophone", "switchSpeaker",
        "muteAllAudio", "unmuteAllAudio", "muteShareAudio", "unmuteShareAudio", "startSecondaryAudio",
        "stopSecondaryAudio", "inviteByPhone", "cancelInviteByPhone", "hangup", "callCRCDevice",
        "cancelCallCRCDevice", "createProcessor", "addProcessor", "removeProcessor", "startShareScreen",
        "stopShareScreen", "pauseShareScreen", "resumeShareScreen", "startShareView", "stopShareView",
        "attachShareView", "detachShareView", "lockShare", "setSharePrivilege", "shareToBreakoutRoom",
        "enableOptimizeForSharedVideo", "startAnnotation", "stopAnnotation", "controlCamera",
        "controlFarEndCamera", "requestFarEndCameraControl", "approveFarEndCameraControl",
        "declineFarEndCameraControl", "giveUpFarEndCameraControl", "getCameraList", "getMicList",
        "getSpeakerList", "isCapturingVideo", "isAudioMuted", "getActiveCamera", "getActiveMicrophone",
        "getActiveSpeaker", "isCameraTaken", "isCaptureForbidden",
    ),
    "chat": ("send", "sendToAll", "sendFile", "downloadFile", "deleteMessage", "setPrivilege", "getPrivilege",
             "getHistory", "getReceivers"),
    "cmd": ("send", "sendCommand"),
    "recording": ("startCloudRecording", "stopCloudRecording", "pauseCloudRecording", "resumeCloudRecording",
                  "acceptIndividualRecording", "declineIndividualRecording", "getCloudRecordingStatus"),
    "transcription": ("startLiveTranscription", "setSpeakingLanguage", "setTranslationLanguage",
                      "disableCaptions", "lockTranscriptionLanguage", "getLiveTranscriptionStatus"),
    "livestream": ("startLiveStream", "stopLiveStream", "getLiveStreamStatus"),
    "subsession": ("createSubsessions", "openSubsessions", "joinSubsession", "leaveSubsession",
                   "assignUserToSubsession", "moveUserToSubsession", "moveBackToMainSession",
                   "closeAllSubsessions", "broadcast", "startBroadcastVoice", "stopBroadcastVoice"),
    "whiteboard": ("startWhiteboardScreen", "stopWhiteboardScreen", "startWhiteboardView", "exportWhiteboard",
                   "setWhiteboardPermission"),
    "rtms": ("startRealTimeMediaStreams", "stopRealTimeMediaStreams", "getRealTimeMediaStreamsStatus"),
}
