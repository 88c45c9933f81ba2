"""LoopThread: the thread owning an asyncio loop that the session service and the network shaper run on."""

from __future__ import annotations

import asyncio
import threading

import pytest

from harness.loop_thread import LoopThread, LoopThreadError, LoopTimeout


def test_work_runs_on_the_loops_own_thread_and_its_result_or_error_comes_back() -> None:
    with LoopThread("test-loop") as loop:

        async def where() -> str:
            await asyncio.sleep(0)
            return threading.current_thread().name

        assert loop.run(where(), timeout=5) == "test-loop"
        assert loop.call(lambda: threading.current_thread().name, timeout=5) == "test-loop"

        async def fails() -> None:
            raise ValueError("raised on the loop")

        with pytest.raises(ValueError, match="raised on the loop"):
            loop.run(fails(), timeout=5)
        with pytest.raises(ZeroDivisionError):
            loop.call(lambda: 1 // 0, timeout=5)
        # A TimeoutError the work raises itself is its own, not the wait's.
        with pytest.raises(TimeoutError) as raised:
            loop.call(lambda: (_ for _ in ()).throw(TimeoutError("the work's own")), timeout=5)
        assert not isinstance(raised.value, LoopTimeout)


def test_work_that_does_not_finish_in_time_is_cancelled() -> None:
    with LoopThread("test-loop") as loop:
        cancelled = threading.Event()
        never = asyncio.Event()

        async def waits_forever() -> None:
            try:
                await never.wait()
            except asyncio.CancelledError:
                cancelled.set()
                raise

        with pytest.raises(LoopTimeout, match="did not finish within"):
            loop.run(waits_forever(), timeout=0.2)
        assert cancelled.wait(timeout=5)
        assert loop.call(lambda: "still serving", timeout=5) == "still serving"


def test_stop_runs_the_cleanup_then_finishes_every_pending_task() -> None:
    loop = LoopThread("test-loop")
    loop.start()
    order: list[str] = []
    never = asyncio.Event()

    async def background() -> None:
        try:
            await never.wait()
        finally:
            order.append("background task finished")

    async def spawn() -> None:
        asyncio.get_running_loop().create_task(background())
        await asyncio.sleep(0)

    async def cleanup() -> None:
        order.append("cleanup")

    loop.run(spawn(), timeout=5)
    loop.stop(cleanup)
    assert order == ["cleanup", "background task finished"]
    assert not loop.running
    loop.stop()  # a second stop does nothing


def test_a_failing_cleanup_is_raised_once_the_loop_has_stopped() -> None:
    loop = LoopThread("test-loop")
    loop.start()

    async def cleanup() -> None:
        raise OSError("port still in use")

    with pytest.raises(OSError, match="port still in use"):
        loop.stop(cleanup)
    assert not loop.running
    with pytest.raises(LoopThreadError, match="not running"):
        loop.call(lambda: None, timeout=5)


def test_a_stopped_loop_refuses_work_and_can_start_again() -> None:
    loop = LoopThread("test-loop")

    async def answer() -> int:
        return 42

    with pytest.raises(LoopThreadError, match="test-loop: the loop is not running"):
        loop.run(answer(), timeout=5)
    loop.start()
    loop.start()  # already running: nothing happens
    assert loop.run(answer(), timeout=5) == 42
    loop.stop()
    loop.start()
    assert loop.run(answer(), timeout=5) == 42
    loop.stop()


def test_a_thread_whose_loop_died_says_so() -> None:
    loop = LoopThread("test-loop-that-dies")
    loop.start()
    [thread] = [t for t in threading.enumerate() if t.name == "test-loop-that-dies"]

    def kill() -> None:
        def explode() -> None:
            raise SystemExit("the loop's thread died")

        asyncio.get_running_loop().call_soon(explode)

    # The caller waiting when the thread dies hears of it at once, and so does every later one.
    with pytest.raises(LoopThreadError, match="the loop's thread failed: the loop's thread died"):
        loop.call(kill, timeout=5)
    thread.join(timeout=5)
    assert not thread.is_alive()

    async def answer() -> int:
        return 42

    with pytest.raises(LoopThreadError, match="the loop's thread failed: the loop's thread died"):
        loop.run(answer(), timeout=5)
    with pytest.raises(LoopThreadError, match="the loop's thread failed"):
        loop.stop()
