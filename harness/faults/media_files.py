"""Fake capture media as files, for `--use-file-for-fake-video-capture` and `--use-file-for-fake-audio-capture`.

Chromium loops these files as the camera and microphone. Each file is named after what is in it, so a
second request for the same content costs nothing, and is written under a temporary name then renamed,
so a parallel worker never reads half a file.

Video is YUV4MPEG2 (`C420jpeg`, progressive, square pixels). The "bars" pattern is eight full-intensity
colour bars over a frame counter: the bottom band holds eight cells, the frame number in binary, most
significant bit on the left, white for 1 and black for 0, so a page can see that frames change and which
one it has. "black" is black everywhere (a covered lens). Audio is 16-bit PCM mono WAV: a sine tone,
or silence when `frequency` is 0.
"""

from __future__ import annotations

import math
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from harness.errors import HarnessError

__all__ = [
    "BAR_COLOURS",
    "COUNTER_CELLS",
    "PATTERNS",
    "audio_file",
    "counter_band_height",
    "rgb_to_yuv",
    "video_file",
]

# Bumped whenever the bytes written for the same parameters change, so a stale cached file is not reused.
FORMAT_VERSION = 1

# Left to right, as on a test card: white, yellow, cyan, green, magenta, red, blue, black.
BAR_COLOURS: tuple[tuple[int, int, int], ...] = (
    (255, 255, 255),
    (255, 255, 0),
    (0, 255, 255),
    (0, 255, 0),
    (255, 0, 255),
    (255, 0, 0),
    (0, 0, 255),
    (0, 0, 0),
)
COUNTER_CELLS = 8
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
TONE_AMPLITUDE = 0.5  # of full scale: loud enough to measure, with headroom for resampling

YUV = tuple[int, int, int]
Frame = Callable[[int], bytes]


def video_file(
    directory: Path, *, width: int = 320, height: int = 240, fps: int = 10, seconds: float = 2, pattern: str = "bars"
) -> Path:
    """A Y4M file Chromium plays as its fake camera; created once per set of parameters."""
    _check_video(width, height, fps, seconds, pattern)
    frames = _frame_count(fps, seconds)
    target = directory / f"{pattern}-{width}x{height}-{fps}fps-{frames}f-v{FORMAT_VERSION}.y4m"
    frame = PATTERNS[pattern](width, height)
    return _write_once(target, _y4m_chunks(width, height, fps, frames, frame))


def audio_file(directory: Path, *, seconds: float = 2, frequency: float = 440.0, rate: int = 48000) -> Path:
    """A WAV file Chromium plays as its fake microphone: a sine tone, or silence for frequency 0."""
    _check_audio(seconds, frequency, rate)
    samples = max(1, round(seconds * rate))
    name = "silence" if frequency == 0 else f"tone-{frequency:g}hz"
    target = directory / f"{name}-at{rate}-{samples}samples-v{FORMAT_VERSION}.wav"
    return _write_once(target, _wav_chunks(samples, frequency, rate))


def counter_band_height(height: int) -> int:
    """Rows at the bottom of a "bars" frame given to the frame counter (even, so chroma rows align)."""
    return max(2, (height // 8) & ~1)


# --- video ---------------------------------------------------------------------------------------


def _check_video(width: int, height: int, fps: int, seconds: float, pattern: str) -> None:
    if width < 2 or height < 2 or width % 2 or height % 2:
        raise HarnessError(f"video size must be even and at least 2x2 (4:2:0 chroma), got {width}x{height}")
    if fps < 1 or seconds <= 0:
        raise HarnessError(f"video needs fps >= 1 and seconds > 0, got fps={fps} seconds={seconds}")
    if pattern not in PATTERNS:
        raise HarnessError(f"unknown video pattern {pattern!r}; choose from {', '.join(sorted(PATTERNS))}")


def _frame_count(fps: int, seconds: float) -> int:
    return max(1, round(fps * seconds))


def _y4m_chunks(width: int, height: int, fps: int, frames: int, frame: Frame) -> Iterator[bytes]:
    yield f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii")
    for index in range(frames):
        yield b"FRAME\n"
        yield frame(index)


def rgb_to_yuv(rgb: tuple[int, int, int]) -> YUV:
    """BT.601 limited range, which Chromium assumes for an I420 capture frame."""
    r, g, b = (channel / 255 for channel in rgb)
    y = 16 + 65.481 * r + 128.553 * g + 24.966 * b
    u = 128 - 37.797 * r - 74.203 * g + 112.0 * b
    v = 128 + 112.0 * r - 93.786 * g - 18.214 * b
    return round(y), round(u), round(v)


def _row(colours: list[YUV], width: int, plane: int) -> bytes:
    """One plane's row: `colours` split into equal vertical stripes over `width` samples."""
    return bytes(colours[x * len(colours) // width][plane] for x in range(width))


def _planes(bands: list[tuple[list[YUV], int]], width: int) -> bytes:
    """Y, U and V planes of a frame made of horizontal bands of stripes, each (stripe colours, rows)."""
    luma = b"".join(_row(colours, width, 0) * rows for colours, rows in bands)
    chroma = [b"".join(_row(colours, width // 2, plane) * (rows // 2) for colours, rows in bands) for plane in (1, 2)]
    return luma + chroma[0] + chroma[1]


def _bars(width: int, height: int) -> Frame:
    band = counter_band_height(height)
    bars = ([rgb_to_yuv(colour) for colour in BAR_COLOURS], height - band)
    white, black = rgb_to_yuv(WHITE), rgb_to_yuv(BLACK)

    def frame(index: int) -> bytes:
        bits = [(index >> (COUNTER_CELLS - 1 - cell)) & 1 for cell in range(COUNTER_CELLS)]
        return _planes([bars, ([white if bit else black for bit in bits], band)], width)

    return frame


def _black(width: int, height: int) -> Frame:
    still = _planes([([rgb_to_yuv(BLACK)], height)], width)
    return lambda _index: still


PATTERNS: dict[str, Callable[[int, int], Frame]] = {"bars": _bars, "black": _black}


# --- audio ---------------------------------------------------------------------------------------


def _check_audio(seconds: float, frequency: float, rate: int) -> None:
    if seconds <= 0 or rate < 8000:
        raise HarnessError(f"audio needs seconds > 0 and rate >= 8000, got seconds={seconds} rate={rate}")
    if not 0 <= frequency < rate / 2:
        raise HarnessError(f"tone frequency must be 0 (silence) or below rate/2 = {rate / 2:g} Hz, got {frequency}")


def _wav_chunks(samples: int, frequency: float, rate: int) -> Iterator[bytes]:
    data_size = samples * 2
    yield b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVE"
    # fmt chunk: PCM (1), mono, rate, byte rate, block align 2, 16 bits per sample.
    yield b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    yield b"data" + struct.pack("<I", data_size)
    yield from _pcm_blocks(samples, frequency, rate)


def _pcm_blocks(samples: int, frequency: float, rate: int, block: int = 4800) -> Iterator[bytes]:
    peak = TONE_AMPLITUDE * 32767
    step = 2 * math.pi * frequency / rate
    for start in range(0, samples, block):
        count = min(block, samples - start)
        values = (round(peak * math.sin(step * n)) for n in range(start, start + count))
        yield struct.pack(f"<{count}h", *values)


# --- files ---------------------------------------------------------------------------------------


def _write_once(target: Path, chunks: Iterator[bytes]) -> Path:
    """Write `target` from `chunks` unless it exists; readers only ever see a whole file."""
    if target.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o644)  # mkstemp's 0600 would hide it from a browser run as another user
            for chunk in chunks:
                out.write(chunk)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
