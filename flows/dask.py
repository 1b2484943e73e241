"""`tally run --task-runner dask`: the flow's batches on a Dask cluster, through prefect-dask.

Without an address, `DaskTaskRunner` starts a `distributed.LocalCluster` of `workers` processes
(one thread each) for the run and closes it after; with one, the batches go to the scheduler
there, whose workers must import tally and read the raw and write the out folder at the same
paths. prefect-dask is the optional `dask` extra: imported here only, never by `import tally`.
"""

from __future__ import annotations

import importlib.util
import socket
from typing import Any
from urllib.parse import urlsplit

from tally.flows.errors import DaskMissing, DaskUnreachable

CONNECT_SECONDS = 5.0  # a scheduler that does not answer in this time is unreachable
DEFAULT_PORT = 8786  # dask's scheduler port


def require_dask() -> None:
    """Raise DaskMissing unless prefect-dask and distributed can be imported (nothing is imported)."""
    for module in ("prefect_dask", "distributed"):
        if importlib.util.find_spec(module) is None:
            raise DaskMissing(module.replace("_", "-"))


def host_port(address: str) -> tuple[str, int]:
    """(host, port) of a scheduler address: tcp://host:8786, host:8786 or host."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port or DEFAULT_PORT
    except ValueError as exc:
        raise DaskUnreachable(address, "not an address: use tcp://host:port") from exc
    if not parts.hostname:
        raise DaskUnreachable(address, "not an address: use tcp://host:port")
    return parts.hostname, port


def check_scheduler(address: str, timeout: float = CONNECT_SECONDS) -> int:
    """The number of worker threads of the scheduler at `address`; raises DaskUnreachable when
    nothing answers there, when it is not a Dask scheduler, or when it has no workers."""
    host, port = host_port(address)
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except ConnectionRefusedError as exc:
        raise DaskUnreachable(address, "connection refused") from exc
    except socket.gaierror as exc:
        raise DaskUnreachable(address, "host not found") from exc
    except OSError as exc:  # timeouts included
        raise DaskUnreachable(address, f"no answer in {timeout:g} s" if isinstance(exc, TimeoutError)
                              else exc.strerror or type(exc).__name__) from exc
    from distributed import Client

    try:
        with Client(address, timeout=timeout, set_as_default=False) as client:
            threads = sum(client.nthreads().values())
    except (OSError, TimeoutError) as exc:
        raise DaskUnreachable(address, "it does not answer as a Dask scheduler") from exc
    if not threads:
        raise DaskUnreachable(address, "no workers")
    return int(threads)


def dask_runner(workers: int, address: str | None = None) -> Any:
    """A DaskTaskRunner for the scheduler at `address` (checked first), or for a LocalCluster of
    `workers` processes, one thread each, on 127.0.0.1, made when the flow starts."""
    require_dask()
    if address:
        check_scheduler(address)
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                          "host": "127.0.0.1", "dashboard_address": ":0"})


def cluster_slots(runner: Any) -> int:
    """Worker threads of the runner's cluster (its client connects, or its LocalCluster starts, here)."""
    return max(1, int(sum(runner.client.nthreads().values())))
