"""A daemon thread that owns an asyncio loop, driven from the harness's (synchronous) thread.

The session service (aiohttp) and the network shaper (the SOCKS5 paths) each run their sockets on a loop of
their own, because the harness's thread is busy with Playwright's sync API and may own a loop already.
`LoopThread` is that thread: `start()` it, hand it work with `run(coroutine)` or `call(fn)` (each waits a
bounded time and re-raises in the caller what the work raised), and `stop()` it, which runs an optional
cleanup, then cancels and awaits every task still pending before the loop closes. Nothing here waits forever.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Awaitable, Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar

T = TypeVar("T")
START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


class LoopThreadError(RuntimeError):
    """The loop cannot take work: not started, stopped, or its thread died (the cause is chained)."""


class LoopTimeout(TimeoutError):
    """Work handed to the loop did not finish in time; it has been cancelled."""


class LoopThread:
    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._died: BaseException | None = None
        self._waiting: set[concurrent.futures.Future[Any]] = set()  # results a caller is waiting for
        self._waiting_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._loop is not None

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the thread and wait until its loop runs; a second call while it runs does nothing."""
        with self._lock:
            if self._loop is not None:
                return
            loop = asyncio.new_event_loop()
            ready = threading.Event()
            self._died = None
            thread = threading.Thread(target=self._main, args=(loop, ready), name=self.name, daemon=True)
            thread.start()
            if not ready.wait(timeout):
                loop.call_soon_threadsafe(loop.stop)
                raise LoopThreadError(f"{self.name}: the loop did not start within {timeout:.0f}s")
            if self._died is not None:
                raise self._death()
            self._loop, self._thread = loop, thread

    def _main(self, loop: asyncio.AbstractEventLoop, ready: threading.Event) -> None:
        asyncio.set_event_loop(loop)
        loop.call_soon(ready.set)
        try:
            loop.run_forever()
        except BaseException as error:  # surfaced to whoever waits on the loop now or later (run/call/stop)
            with self._waiting_lock:
                self._died = error
                for future in self._waiting:
                    if not future.done():
                        future.set_exception(self._death())
            ready.set()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        """Run `coroutine` on the loop and wait at most `timeout` seconds for its result (or its error)."""
        future = self._submit(coroutine, self._usable_loop(coroutine))
        try:
            return future.result(timeout)
        except TimeoutError:
            if future.done():  # the work itself raised TimeoutError
                raise
            future.cancel()
            raise LoopTimeout(f"{self.name}: the work did not finish within {timeout:g}s") from None
        finally:
            with self._waiting_lock:
                self._waiting.discard(future)

    def call(self, fn: Callable[[], T], timeout: float) -> T:
        """Run a plain function on the loop's thread (where the loop's objects may be touched)."""

        async def invoke() -> T:
            return fn()

        return self.run(invoke(), timeout)

    def stop(self, cleanup: Callable[[], Awaitable[None]] | None = None, timeout: float = STOP_TIMEOUT) -> None:
        """Run `cleanup` on the loop, cancel and await every task still pending, stop the loop and join the
        thread, each within `timeout`. A failure of the cleanup is re-raised here once the loop has stopped."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return
        problem: BaseException | None = None
        if thread.is_alive():

            async def finish() -> None:
                try:
                    if cleanup is not None:
                        await cleanup()
                finally:
                    await _cancel_pending()
                    await asyncio.get_running_loop().shutdown_asyncgens()

            future = self._submit(finish(), loop)
            try:
                future.result(timeout)
            except TimeoutError:
                future.cancel()
                problem = LoopTimeout(f"{self.name}: stopping did not finish within {timeout:g}s")
            except Exception as error:
                problem = error
            finally:
                with self._waiting_lock:
                    self._waiting.discard(future)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout)
        if thread.is_alive():
            problem = problem or LoopTimeout(f"{self.name}: the thread did not end within {timeout:g}s")
        else:
            loop.close()
        if problem is None and self._died is not None:
            problem = self._death()
        if problem is not None:
            raise problem

    def _submit(
        self, coroutine: Coroutine[Any, Any, T], loop: asyncio.AbstractEventLoop
    ) -> concurrent.futures.Future[T]:
        """Hand `coroutine` to the loop; its future fails at once if the thread dies (see _main)."""
        future = asyncio.run_coroutine_threadsafe(coroutine, loop)
        with self._waiting_lock:
            if self._died is not None and not future.done():
                future.set_exception(self._death())
            self._waiting.add(future)
        return future

    def _usable_loop(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.AbstractEventLoop:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            coroutine.close()  # never scheduled: close it so it is not reported as never awaited
            if self._died is not None:
                raise self._death()
            raise LoopThreadError(f"{self.name}: the loop is not running")
        return loop

    def _death(self) -> LoopThreadError:
        error = LoopThreadError(f"{self.name}: the loop's thread failed: {self._died}")
        error.__cause__ = self._died
        return error

    def __enter__(self) -> LoopThread:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


async def _cancel_pending() -> None:
    """Cancel every task of the running loop but the caller, and wait until each has finished."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
