"""Fake capture media files: their formats byte by byte, then what Chromium makes of them as camera and microphone."""

from __future__ import annotations

import math
import struct
import wave
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from harness.errors import HarnessError
from harness.faults.media_files import (
    BAR_COLOURS,
    COUNTER_CELLS,
    audio_file,
    counter_band_height,
    rgb_to_yuv,
    video_file,
)
from harness.pool import BrowserPool
from harness.service.server import SessionService

FAKE_DEVICES = "--use-fake-device-for-media-stream"


# --- reading the files back ----------------------------------------------------------------------


def y4m_frames(path: Path) -> tuple[str, list[bytes]]:
    """The header line and each frame's payload, split the way a Y4M reader would."""
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n")
    fields = dict((token[:1].decode(), token[1:].decode()) for token in header.split()[1:])
    size = int(fields["W"]) * int(fields["H"]) * 3 // 2
    frames: list[bytes] = []
    while rest:
        assert rest.startswith(b"FRAME\n"), f"frame {len(frames)} does not start with FRAME"
        frames.append(rest[6 : 6 + size])
        assert len(frames[-1]) == size, f"frame {len(frames) - 1} is short"
        rest = rest[6 + size :]
    return header.decode(), frames


def luma(frame: bytes, width: int, x: int, y: int) -> int:
    return frame[y * width + x]


def chroma(frame: bytes, width: int, height: int, x: int, y: int) -> tuple[int, int]:
    quarter = (width // 2) * (height // 2)
    at = width * height + (y // 2) * (width // 2) + x // 2
    return frame[at], frame[at + quarter]


def counter_value(frame: bytes, width: int, height: int) -> int:
    row = height - counter_band_height(height) // 2
    bits = [luma(frame, width, (2 * cell + 1) * width // (2 * COUNTER_CELLS), row) > 128 for cell in range(8)]
    return sum(bit << (COUNTER_CELLS - 1 - i) for i, bit in enumerate(bits))


# --- video file format ---------------------------------------------------------------------------


def test_y4m_header_and_frames(tmp_path: Path) -> None:
    path = video_file(tmp_path, width=64, height=48, fps=5, seconds=3)
    header, frames = y4m_frames(path)
    assert header == "YUV4MPEG2 W64 H48 F5:1 Ip A1:1 C420jpeg"
    assert len(frames) == 15
    assert path.stat().st_size == len(header) + 1 + 15 * (6 + 64 * 48 * 3 // 2)


def test_bars_are_the_test_card_colours_left_to_right(tmp_path: Path) -> None:
    width, height = 320, 240
    _, frames = y4m_frames(video_file(tmp_path, width=width, height=height, seconds=0.1))
    for bar, colour in enumerate(BAR_COLOURS):
        x = (2 * bar + 1) * width // 16
        y, u, v = rgb_to_yuv(colour)
        assert luma(frames[0], width, x, 10) == y, f"bar {bar}"
        assert chroma(frames[0], width, height, x, 10) == (u, v), f"bar {bar}"


def test_bars_carry_the_frame_number_in_binary(tmp_path: Path) -> None:
    _, frames = y4m_frames(video_file(tmp_path, width=160, height=120, fps=10, seconds=2))
    assert [counter_value(frame, 160, 120) for frame in frames] == list(range(20))


def test_black_is_black_everywhere(tmp_path: Path) -> None:
    _, frames = y4m_frames(video_file(tmp_path, width=32, height=16, fps=2, seconds=1, pattern="black"))
    assert len(frames) == 2
    assert frames[0] == frames[1] == bytes([16]) * (32 * 16) + bytes([128]) * (2 * 16 * 8)


def test_rgb_to_yuv_is_bt601_limited_range() -> None:
    assert rgb_to_yuv((255, 255, 255)) == (235, 128, 128)
    assert rgb_to_yuv((0, 0, 0)) == (16, 128, 128)
    assert rgb_to_yuv((255, 0, 0)) == (81, 90, 240)


# --- audio file format ---------------------------------------------------------------------------


def wav_samples(path: Path) -> tuple[wave.Wave_read, list[int]]:
    with wave.open(str(path), "rb") as reader:
        raw = reader.readframes(reader.getnframes())
    return reader, list(struct.unpack(f"<{len(raw) // 2}h", raw))


def test_wav_header_and_length(tmp_path: Path) -> None:
    path = audio_file(tmp_path, seconds=1.5, frequency=440.0, rate=16000)
    reader, samples = wav_samples(path)
    assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (1, 2, 16000)
    assert len(samples) == 24000
    assert path.stat().st_size == 44 + 2 * 24000
    assert path.read_bytes()[:4] + path.read_bytes()[8:16] == b"RIFFWAVEfmt "


def test_wav_tone_has_the_frequency_and_half_scale(tmp_path: Path) -> None:
    _, samples = wav_samples(audio_file(tmp_path, seconds=1, frequency=1000.0, rate=48000))
    rising = sum(1 for a, b in pairwise(samples) if a < 0 <= b)
    assert rising in (999, 1000, 1001)
    assert max(samples) == round(0.5 * 32767)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32767
    assert rms == pytest.approx(0.5 / math.sqrt(2), rel=0.01)


def test_frequency_zero_is_silence(tmp_path: Path) -> None:
    path = audio_file(tmp_path, seconds=0.5, frequency=0)
    _, samples = wav_samples(path)
    assert path.name.startswith("silence-")
    assert len(samples) == 24000 and not any(samples)


# --- caching and atomic writes -------------------------------------------------------------------


def test_same_parameters_reuse_the_file(tmp_path: Path) -> None:
    first = video_file(tmp_path, seconds=0.5)
    stamp = first.stat().st_mtime_ns
    assert video_file(tmp_path, seconds=0.5) == first
    assert first.stat().st_mtime_ns == stamp
    assert audio_file(tmp_path) == audio_file(tmp_path)


def test_different_content_gets_a_different_name(tmp_path: Path) -> None:
    names = {
        video_file(tmp_path, seconds=0.5).name,
        video_file(tmp_path, seconds=0.5, pattern="black").name,
        video_file(tmp_path, seconds=0.5, width=160, height=120).name,
        video_file(tmp_path, seconds=1).name,
        audio_file(tmp_path).name,
        audio_file(tmp_path, frequency=1000).name,
        audio_file(tmp_path, rate=44100).name,
    }
    assert len(names) == 7


def test_parallel_writers_leave_one_whole_file(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=6) as workers:
        paths = set(workers.map(lambda _: video_file(tmp_path, width=160, height=120, seconds=1), range(6)))
    assert len(paths) == 1
    _, frames = y4m_frames(paths.pop())
    assert len(frames) == 10
    assert [p.name for p in tmp_path.iterdir()] == ["bars-160x120-10fps-10f-v1.y4m"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: video_file(d, width=321), "video size must be even and at least 2x2 (4:2:0 chroma), got 321x240"),
        (lambda d: video_file(d, pattern="stripes"), "unknown video pattern 'stripes'; choose from bars, black"),
        (lambda d: video_file(d, fps=0), "video needs fps >= 1 and seconds > 0, got fps=0 seconds=2"),
        (
            lambda d: audio_file(d, frequency=24000),
            "tone frequency must be 0 (silence) or below rate/2 = 24000 Hz, got 24000",
        ),
    ],
)
def test_bad_parameters_are_harness_errors(tmp_path: Path, call: Any, message: str) -> None:
    with pytest.raises(HarnessError) as raised:
        call(tmp_path)
    assert str(raised.value) == message
    assert list(tmp_path.iterdir()) == []


# --- in Chromium ---------------------------------------------------------------------------------

CAMERA = """async () => {
    const stream = await navigator.mediaDevices.getUserMedia({video: true});
    const track = stream.getVideoTracks()[0];
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = stream;
    await video.play();
    await new Promise(ok => video.requestVideoFrameCallback(ok));
    window.camera = {track, video};
    const {width, height, frameRate} = track.getSettings();
    return {label: track.label, width, height, frameRate};
}"""
# RGB of the current camera frame at each [x, y].
PIXELS = """points => {
    const {video} = window.camera;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const draw = canvas.getContext('2d', {willReadFrequently: true});
    draw.drawImage(video, 0, 0);
    return points.map(([x, y]) => Array.from(draw.getImageData(x, y, 1, 1).data.slice(0, 3)));
}"""
# Strongest frequency and RMS level the microphone delivers, with Chromium's audio processing off.
MICROPHONE = """async deviceId => {
    const audio = {echoCancellation: false, noiseSuppression: false, autoGainControl: false};
    if (deviceId) audio.deviceId = {exact: deviceId};
    const stream = await navigator.mediaDevices.getUserMedia({audio});
    const track = stream.getAudioTracks()[0];
    const context = new AudioContext({sampleRate: 48000});
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 8192;
    context.createMediaStreamSource(stream).connect(analyser);
    await new Promise(ok => setTimeout(ok, 700));
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(spectrum);
    let peak = 0;
    spectrum.forEach((level, bin) => { if (level > spectrum[peak]) peak = bin; });
    const wave = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(wave);
    const rms = Math.sqrt(wave.reduce((sum, x) => sum + x * x, 0) / wave.length);
    const result = {label: track.label, readyState: track.readyState, peakHz: peak * 48000 / 8192, rms};
    track.stop();
    await context.close();
    return result;
}"""
INPUTS = """() => navigator.mediaDevices.enumerateDevices().then(
    list => list.filter(d => d.kind.endsWith('input')).map(d => [d.kind, d.label]))"""
BIN_HZ = 48000 / 8192


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


class Capture:
    """Pages on a loopback origin in a Chromium launched with the given fake-media flags."""

    def __init__(self, pool: BrowserPool, service: SessionService) -> None:
        self.pool, self.service = pool, service
        self.contexts: list[BrowserContext] = []

    def page(self, *args: str) -> Page:
        context = self.pool.get("chromium", args).new_context(permissions=["camera", "microphone"])
        self.contexts.append(context)
        page = context.new_page()
        page.goto(f"{self.service.base_url}/pages/blank.html")
        return page


@pytest.fixture
def capture(pool: BrowserPool, service: SessionService) -> Iterator[Capture]:
    opened = Capture(pool, service)
    yield opened
    for context in opened.contexts:
        context.close()


def near(actual: list[int], expected: tuple[int, int, int], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.mark.browser
def test_camera_is_the_video_file(capture: Capture, media: Path) -> None:
    path = video_file(media, width=320, height=240, fps=10)
    page = capture.page(FAKE_DEVICES, f"--use-file-for-fake-video-capture={path}")
    assert page.evaluate(CAMERA) == {"label": str(path), "width": 320, "height": 240, "frameRate": 10}
    bars = page.evaluate(PIXELS, [[(2 * bar + 1) * 320 // 16, 60] for bar in range(8)])
    assert all(near(seen, colour) for seen, colour in zip(bars, BAR_COLOURS, strict=True)), bars


@pytest.mark.browser
def test_camera_frames_advance_through_the_file(capture: Capture, media: Path) -> None:
    path = video_file(media, width=320, height=240, fps=10)
    page = capture.page(FAKE_DEVICES, f"--use-file-for-fake-video-capture={path}")
    page.evaluate(CAMERA)
    row = 240 - counter_band_height(240) // 2
    cells = [[(2 * cell + 1) * 320 // 16, row] for cell in range(COUNTER_CELLS)]

    def frame_number() -> int:
        bits = [red > 128 for red, _, _ in page.evaluate(PIXELS, cells)]
        return sum(bit << (COUNTER_CELLS - 1 - i) for i, bit in enumerate(bits))

    seen = {frame_number()}
    for _ in range(4):
        page.wait_for_timeout(250)
        seen.add(frame_number())
    assert len(seen) >= 3, seen
    assert max(seen) < 20, f"a counter beyond the file's 20 frames means the band was misread: {seen}"


@pytest.mark.browser
def test_black_file_is_a_black_camera(capture: Capture, media: Path) -> None:
    path = video_file(media, width=160, height=120, pattern="black")
    page = capture.page(FAKE_DEVICES, f"--use-file-for-fake-video-capture={path}")
    assert page.evaluate(CAMERA)["width"] == 160
    pixels = page.evaluate(PIXELS, [[x, y] for x in (5, 80, 155) for y in (5, 60, 115)])
    assert all(near(pixel, (0, 0, 0), tolerance=4) for pixel in pixels), pixels


@pytest.mark.browser
@pytest.mark.parametrize(("frequency", "rate"), [(440.0, 48000), (1000.0, 44100)])
def test_microphone_plays_the_tone(capture: Capture, media: Path, frequency: float, rate: int) -> None:
    path = audio_file(media, frequency=frequency, rate=rate)
    page = capture.page(FAKE_DEVICES, f"--use-file-for-fake-audio-capture={path}")
    heard = page.evaluate(MICROPHONE, None)
    assert heard["label"] == "Fake Default Audio Input" and heard["readyState"] == "live"
    assert abs(heard["peakHz"] - frequency) <= 2 * BIN_HZ, heard
    assert heard["rms"] == pytest.approx(0.5 / math.sqrt(2), abs=0.03), heard


@pytest.mark.browser
def test_silence_file_is_a_silent_microphone(capture: Capture, media: Path) -> None:
    path = audio_file(media, frequency=0)
    page = capture.page(FAKE_DEVICES, f"--use-file-for-fake-audio-capture={path}")
    heard = page.evaluate(MICROPHONE, None)
    assert heard["readyState"] == "live" and heard["rms"] == 0, heard


@pytest.mark.browser
def test_files_override_device_count(capture: Capture, media: Path) -> None:
    """A video file is the only camera whatever device-count says; the audio file feeds all three fake microphones."""
    video, audio = video_file(media), audio_file(media, frequency=1000)
    page = capture.page(
        f"{FAKE_DEVICES}=device-count=2",
        f"--use-file-for-fake-video-capture={video}",
        f"--use-file-for-fake-audio-capture={audio}",
    )
    assert page.evaluate(INPUTS) == [
        ["audioinput", "Fake Default Audio Input"],
        ["audioinput", "Fake Audio Input 1"],
        ["audioinput", "Fake Audio Input 2"],
        ["videoinput", str(video)],
    ]
    ids = page.evaluate("() => navigator.mediaDevices.enumerateDevices().then(l => l.map(d => d.deviceId))")
    heard = [page.evaluate(MICROPHONE, device_id) for device_id in ids[1:3]]
    assert [h["label"] for h in heard] == ["Fake Audio Input 1", "Fake Audio Input 2"]
    assert all(abs(h["peakHz"] - 1000) <= 2 * BIN_HZ for h in heard), heard
