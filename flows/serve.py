"""`tally serve`: the curate flow as a deployment of a Prefect server, run on a schedule by a runner
in this process until SIGINT or SIGTERM.

Before anything is registered the server must answer (`tally.flows.connect`) and the deployment
name must be free: Prefect's own `serve` silently takes over an existing deployment of the same
name, which is right for a `tally serve` that stopped (it is updated and its schedule resumes) but
not for one another process serves now, one deployed to a work pool (`prefect deploy`), or one of
another flow that is also named `curate` (`DeploymentNameTaken`).

Prefect's `Flow.serve` is not used: its SIGTERM handler calls the runner's async `stop` without
awaiting it (`RuntimeWarning: coroutine 'Runner.astop' was never awaited`, Prefect 3.8.8) and
exits from inside the signal handler. Here both signals set an event; the runner is then stopped
and awaited, its schedules are paused as Prefect's own shutdown does, and `serve` returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import signal
from collections.abc import Callable
from typing import Any

from tally.flows.errors import DeploymentNameTaken, NoServer
from tally.settings import Settings

FLOW = "curate"
ENTRYPOINTS = ("flows/curate.py:curate", "tally.flows.curate.curate")  # served from a file, or from the module


def _held_window() -> float:
    """Seconds since its last poll within which a served deployment counts as held by a running
    runner: three of Prefect's runner polls (PREFECT_RUNNER_POLL_FREQUENCY, 10 s by default)."""
    from prefect.settings import get_current_settings

    return max(30.0, 3.0 * float(get_current_settings().runner.poll_frequency))


def check_name(name: str) -> None:
    """Raise DeploymentNameTaken unless `curate/NAME` is free or a stopped `tally serve` of it."""
    from prefect.client.orchestration import get_client
    from prefect.exceptions import ObjectNotFound

    full = f"{FLOW}/{name}"
    with get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(full)
        except ObjectNotFound:
            return
    if deployment.work_pool_name:
        raise DeploymentNameTaken(full, DeploymentNameTaken.WORK_POOL, deployment.work_pool_name)
    entrypoint = deployment.entrypoint or ""
    if not entrypoint.endswith(ENTRYPOINTS):
        raise DeploymentNameTaken(full, DeploymentNameTaken.OTHER_FLOW, entrypoint or "none")
    window = _held_window()
    polled = deployment.last_polled
    if not deployment.paused and polled is not None:
        age = (dt.datetime.now(dt.UTC) - polled).total_seconds()
        if age < window:
            raise DeploymentNameTaken(full, DeploymentNameTaken.SERVED, f"{window:g}")


def serve(settings: Settings, name: str, cron: str | None = None, interval: float | None = None,
          announce: Callable[[str], None] = print) -> None:
    """Register `curate/NAME` on the server at PREFECT_API_URL with one schedule (a cron in UTC or
    an interval in seconds) and run its flow runs here, one at a time, until SIGINT or SIGTERM.
    Returns normally when stopped by a signal. Raises `tally.flows.errors` for a server that is
    missing, unreachable or of another major version, and for a name that is taken."""
    from tally.flows.connect import api_url, check_server, prefect_errors

    url = api_url()
    if not url:
        raise NoServer()
    with prefect_errors(serving=True):
        check_server(url, serving=True)
        check_name(name)
        asyncio.run(_serve(settings, name, cron, interval, url, announce))


async def _serve(settings: Settings, name: str, cron: str | None, interval: float | None, url: str,
                 announce: Callable[[str], None]) -> None:
    from prefect.runner import Runner
    from prefect.schedules import Cron, Interval

    from tally.flows.curate import curate

    loop = asyncio.get_running_loop()
    stop = asyncio.Event()

    class _Runner(Runner):
        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            loop.call_soon_threadsafe(stop.set)  # Runner.start installs this for SIGTERM: stop, not exit

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        runner = _Runner(name=f"tally-serve-{name}", pause_on_shutdown=True, limit=1)  # one run at a time
        resolved = settings.model_copy(update={"raw": settings.raw.resolve(), "out": settings.out.resolve()})
        schedule = Cron(cron, timezone="UTC") if cron else Interval(float(interval or 0), timezone="UTC")
        deployment_id = await runner.aadd_flow(curate, name=name, schedule=schedule,
                                               parameters={"settings": resolved.model_dump(mode="json")})
        if stop.is_set():
            return
        started = asyncio.create_task(runner.start())
        stopping = asyncio.create_task(stop.wait())
        when = f"on cron {cron!r} (UTC)" if cron else f"every {interval:g} s"
        announce(f"tally serve: serving {FLOW}/{name} {when} on {url} (deployment {deployment_id}); "
                 "SIGINT (Ctrl-C) or SIGTERM stops it")
        await asyncio.wait({started, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if started.done():  # the runner ended on its own: an error
            stopping.cancel()
            started.result()
            return
        if runner.started:
            await runner.astop()
        else:
            started.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await started
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
