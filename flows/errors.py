"""What can go wrong between Tally and Prefect, as Tally's own errors (exit code 2 on the command
line): each one is a single line that says what to do. They are raised by the Prefect runner
(`tally.flows`) after recognising Prefect's and httpx's exceptions by type, and carry the facts as
attributes; the message is built from them.

Importing this module imports nothing of Prefect.
"""

from __future__ import annotations

from tally.errors import TallyError

START_A_SERVER = "start one with `prefect server start` and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)"


class PrefectError(TallyError):
    """Prefect cannot run or serve the flow. `serving` is True for `tally serve`, which needs a
    server of its own, False for `tally run`, which can use the embedded one."""

    serving: bool = False

    def _fix_url(self) -> str:
        if self.serving:
            return "start it with `prefect server start`, or set PREFECT_API_URL to a running server"
        return "start it with `prefect server start`, or unset PREFECT_API_URL to use the embedded server"


class NoServer(PrefectError):
    """`tally serve` without PREFECT_API_URL: a schedule needs a server that keeps running."""

    serving = True

    def __str__(self) -> str:
        return f"a schedule needs a running Prefect server: {START_A_SERVER}"


class PrefectUnavailable(PrefectError):
    """The Prefect server at PREFECT_API_URL does not answer, or does not answer as a Prefect API."""

    def __init__(self, url: str, reason: str, serving: bool = False) -> None:
        self.url, self.reason, self.serving = url, reason, serving
        super().__init__(url, reason, serving)

    def __str__(self) -> str:
        return f"cannot reach the Prefect server at {self.url} ({self.reason}): {self._fix_url()}"


class PrefectVersionMismatch(PrefectError):
    """The server's Prefect and this process's Prefect differ in their major version (the client
    refuses to talk to it)."""

    def __init__(self, url: str, server_version: str, client_version: str, serving: bool = False) -> None:
        self.url, self.server_version, self.client_version, self.serving = url, server_version, client_version, serving
        super().__init__(url, server_version, client_version, serving)

    def __str__(self) -> str:
        major = self.client_version.split(".")[0]
        fix = ("or set PREFECT_API_URL to such a server" if self.serving
               else "or unset PREFECT_API_URL to use the embedded server")
        return (f"the Prefect server at {self.url} runs Prefect {self.server_version} and tally uses Prefect "
                f"{self.client_version}: major versions must match; start a Prefect {major} server with "
                f"`prefect server start`, {fix}")


class EmbeddedServerFailed(PrefectError):
    """Prefect's embedded (ephemeral) server did not answer within its start-up time-out."""

    def __init__(self, timeout: float, home: str) -> None:
        self.timeout, self.home = timeout, home
        super().__init__(timeout, home)

    def __str__(self) -> str:
        return (f"the embedded Prefect server did not answer within PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="
                f"{self.timeout:g}: raise it, or unset it (tally then waits 120 s), or {START_A_SERVER}")


class PrefectHomeError(PrefectError):
    """The folder for Prefect's database and state cannot be created or written."""

    def __init__(self, home: str, reason: str) -> None:
        self.home, self.reason = home, reason
        super().__init__(home, reason)

    def __str__(self) -> str:
        return (f"cannot write Prefect's state folder `{self.home}` ({self.reason}): set PREFECT_HOME "
                "(or TALLY_HOME) to a folder you can write")


class DeploymentNameTaken(PrefectError):
    """`tally serve --name NAME` would take over a deployment that is not a stopped `tally serve` of
    the same flow: one another process serves now, one on a work pool, or one of another flow."""

    SERVED, WORK_POOL, OTHER_FLOW = "served", "work_pool", "other_flow"

    def __init__(self, deployment: str, holder: str, detail: str = "") -> None:
        self.deployment, self.holder, self.detail = deployment, holder, detail
        super().__init__(deployment, holder, detail)

    def __str__(self) -> str:
        what = {
            self.SERVED: "is being served by another running process (it polled the server in the last "
                         f"{self.detail} s): stop that one first, or pick another --name",
            self.WORK_POOL: f"is deployed to work pool `{self.detail}` (e.g. by `prefect deploy`), and serving "
                            "it here would take it over: pick another --name",
            self.OTHER_FLOW: f"belongs to another flow named `curate` (entrypoint `{self.detail}`): pick another "
                             "--name",
        }[self.holder]
        return f"deployment `{self.deployment}` {what}"


class DaskError(PrefectError):
    """`tally run --task-runner dask` cannot run: the extra is missing, or the scheduler is not there.
    `option` is the command-line option the message is about."""

    option = "--task-runner"


class DaskMissing(DaskError):
    """prefect-dask (and dask's `distributed`) are not installed."""

    def __init__(self, module: str) -> None:
        self.module = module
        super().__init__(module)

    def __str__(self) -> str:
        return (f"dask needs prefect-dask and dask's distributed, and `{self.module}` is not installed: install "
                "the `dask` extra, e.g. pip install 'tally[dask]'")


class DaskUnreachable(DaskError):
    """The Dask scheduler at `--dask-address` does not answer, or has no worker to run the batches."""

    option = "--dask-address"

    def __init__(self, address: str, reason: str) -> None:
        self.address, self.reason = address, reason
        super().__init__(address, reason)

    def __str__(self) -> str:
        if self.reason == "no workers":
            return (f"the Dask scheduler at {self.address} has no workers: start some with `dask worker {self.address}` "
                    "(with tally installed and the raw and out folders reachable), then run again")
        return (f"cannot reach a Dask scheduler at {self.address} ({self.reason}): start one with `dask scheduler` and "
                "workers with `dask worker ADDRESS`, or check the address (e.g. tcp://host:8786); or leave out "
                "--dask-address to run on a local cluster of --workers processes")
