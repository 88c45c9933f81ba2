// The preview page: camera and microphone before any session. Like Zoom's sample, the local tracks are created
// when this module loads (so on every page of the app), and the devices are listed when the page shows.
import { useEffect, useRef, useState } from 'react';
import ZoomVideo, { type TestMicrophoneReturn } from '@zoom/videosdk';
import { describeFailure } from '../describe';

const localAudio = ZoomVideo.createLocalAudioTrack();
const localVideo = ZoomVideo.createLocalVideoTrack();

export default function Preview() {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const tester = useRef<TestMicrophoneReturn | undefined>(undefined);
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [camera, setCamera] = useState(false);
  const [microphone, setMicrophone] = useState(false);
  const [problem, setProblem] = useState('');

  useEffect(() => {
    ZoomVideo.getDevices()
      .then(setDevices)
      .catch((error: unknown) => setProblem(describeFailure('getDevices', error)));
    return () => {
      tester.current?.destroy();
    };
  }, []);

  const toggleCamera = async () => {
    try {
      if (camera) await localVideo.stop();
      else if (videoRef.current) await localVideo.start(videoRef.current);
      setCamera(!camera);
    } catch (error) {
      setProblem(describeFailure(camera ? 'stop camera' : 'start camera', error));
    }
  };

  const toggleMicrophone = async () => {
    try {
      if (microphone) await localAudio.stop();
      else await localAudio.start();
      setMicrophone(!microphone);
    } catch (error) {
      setProblem(describeFailure(microphone ? 'stop microphone' : 'start microphone', error));
    }
  };

  const testMicrophone = () => {
    tester.current?.destroy();
    tester.current = localAudio.testMicrophone({ recordAndPlay: true, maxRecordDuration: 3 });
  };

  return (
    <section aria-label="Preview">
      <h2>Preview</h2>
      <video ref={videoRef} muted playsInline width={320} height={180} />
      <p>
        <button id="preview-camera" onClick={toggleCamera}>{camera ? 'Stop camera' : 'Start camera'}</button>
        <button id="preview-microphone" onClick={toggleMicrophone}>
          {microphone ? 'Stop microphone' : 'Start microphone'}
        </button>
        <button id="preview-test-microphone" onClick={testMicrophone}>Test microphone</button>
      </p>
      {problem && <p role="alert">{problem}</p>}
      <ul id="preview-devices">
        {devices.map((device, index) => (
          <li key={`${device.kind}-${device.deviceId}-${index}`}>
            {device.kind}: {device.label || '(no label: no permission yet)'}
          </li>
        ))}
      </ul>
    </section>
  );
}
