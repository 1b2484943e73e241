"""Reach a Prefect API before any work starts, and turn the failures Tally can foresee into its own
one-line errors (`tally.flows.errors`).

With PREFECT_API_URL set, the server there must answer `/health` and `/admin/version` with a Prefect
of the same major version as this process's (Prefect's client refuses another major version).
Without it, Prefect's embedded server is started here, once per process, so that a start-up that
times out or a server process that dies is reported as such; the flow run then uses that same
server. Exceptions are recognised by their type (httpx's, or the call that raised them), never by
their message.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import httpx

from tally.flows.errors import EmbeddedServerFailed, PrefectUnavailable, PrefectVersionMismatch


def api_url() -> str | None:
    """PREFECT_API_URL as Prefect reads it (environment, profile or prefect.toml), or None."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def ensure_api(serving: bool = False) -> str:
    """The URL of a Prefect API that answers: the configured server, checked, or the embedded
    server, started now. Raises PrefectUnavailable, PrefectVersionMismatch or EmbeddedServerFailed."""
    url = api_url()
    if url:
        check_server(url, serving)
        return url
    return start_embedded()


def _reason(exc: BaseException) -> str:
    """Why a request failed, from the exception's type: what a user can act on."""
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        if _caused_by(exc, ConnectionRefusedError):
            return "connection refused"
        if _caused_by(exc, socket.gaierror):
            return "host not found"
        return "cannot connect"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} on {exc.request.url.path}: is it a Prefect API URL, ending in /api?"
    return f"{type(exc).__name__}"


def check_server(url: str, serving: bool = False) -> str:
    """The Prefect version of the server at `url`; raises if it does not answer as a Prefect API of
    this Prefect's major version."""
    import prefect
    from packaging.version import InvalidVersion, Version
    from prefect.client.orchestration import get_client

    try:
        with get_client(sync_client=True) as client:
            failed = client.api_healthcheck()
            if failed is not None:
                raise failed
            server_version = client.api_version()
    except httpx.HTTPError as exc:
        raise PrefectUnavailable(url, _reason(exc), serving) from exc
    except ValueError as exc:  # the answer is not JSON
        raise PrefectUnavailable(url, "its answer is not a Prefect API's: is PREFECT_API_URL right?", serving) from exc
    try:
        server_major = Version(str(server_version)).major
    except InvalidVersion as exc:
        raise PrefectUnavailable(url, f"it reports no Prefect version ({str(server_version)[:40]!r})", serving) from exc
    if server_major != Version(prefect.__version__).major:
        raise PrefectVersionMismatch(url, str(server_version), prefect.__version__, serving)
    return str(server_version)


def start_embedded() -> str:
    """Start Prefect's embedded server (the one its client would start on first use) and return its
    API URL; raises EmbeddedServerFailed if it does not answer within its start-up time-out."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_HOME, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    server = SubprocessASGIServer()  # one per process: the flow run's client finds this one running
    try:
        server.start()
    except Exception as exc:  # Prefect raises a bare RuntimeError on time-out
        server.stop()
        raise EmbeddedServerFailed(float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value()),
                                   str(PREFECT_HOME.value())) from exc
    return str(server.api_url)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and every exception behind it: causes, contexts and members of exception groups
    (Prefect wraps httpx's errors in RuntimeError and task groups)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        e = todo.pop()
        if id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        if isinstance(e, BaseExceptionGroup):
            todo.extend(e.exceptions)
        todo.extend(x for x in (e.__cause__, e.__context__) if x is not None)


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(e, kind) for e in _chain(exc))


def transport_error(exc: BaseException) -> httpx.TransportError | None:
    """The httpx transport error (no connection, time-out) behind `exc`, if any."""
    return next((e for e in _chain(exc) if isinstance(e, httpx.TransportError)), None)


@contextlib.contextmanager
def prefect_errors(serving: bool = False) -> Iterator[None]:
    """A lost connection to the Prefect API while Prefect works is PrefectUnavailable; Tally's own
    errors and anything else pass through as they are."""
    from tally.errors import TallyError

    try:
        yield
    except TallyError:
        raise
    except Exception as exc:
        cause = transport_error(exc)
        if cause is None:
            raise
        raise PrefectUnavailable(api_url() or "the embedded server", _reason(cause), serving) from exc
