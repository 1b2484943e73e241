"""Raw and curated locations on object storage, against a moto S3 server started on 127.0.0.1.

A run from `s3://` to `s3://` publishes exactly what a local run of the same files publishes; the
pointer object is the commit (a run that dies before it leaves the previous publish current and
an orphan the next run removes); a missing bucket, bad credentials and a fresh lock are one clear
line each.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import moto.server as moto_server  # the `test` extra installs moto[server]: a missing one fails, never skips
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from tally.cli import app
from tally.vocabulary import Dataset
from tests.conftest import RAW


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A moto S3 server on 127.0.0.1 for the module, the AWS environment pointing at it, and a
    private local cache folder; the server is stopped at the end."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    with pytest.MonkeyPatch.context() as mp:
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION"):
            mp.delenv(key, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_DEFAULT_REGION", "us-east-1")
        mp.setenv("AWS_ENDPOINT_URL", url)
        mp.setenv("TALLY_CACHE_DIR", str(tmp_path_factory.mktemp("tally-cache")))
        try:
            yield url
        finally:
            server.stop()


@pytest.fixture
def client(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint)


@pytest.fixture
def bucket(client: Any) -> str:
    name = f"tally-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return name


def corpus(tmp_path: Path) -> Path:
    """raw/ plus what tells a key from a file: a nested folder, a copy (a duplicate), a file in
    Windows-1252, a hidden file and a file no reader knows."""
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    first = sorted(RAW.glob("*.txt"))[0]
    (raw / "fr" / "sub").mkdir(parents=True)
    shutil.copy(first, raw / "fr" / "sub" / "copy.txt")
    (raw / "fr" / "cp1252.txt").write_bytes("Le budget atteint 12,5 millions d’euros en 2024 : 40 % de plus.\n".encode("cp1252"))
    (raw / ".hidden.txt").write_text("Not read: 99 apples.\n", encoding="utf-8")
    (raw / "fr" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return raw


def upload(client: Any, bucket: str, raw: Path, prefix: str = "raw") -> str:
    for path in sorted(raw.rglob("*")):
        if path.is_file():
            client.upload_file(str(path), bucket, f"{prefix}/{path.relative_to(raw).as_posix()}")
    return f"s3://{bucket}/{prefix}"


def tally_run(*args: str) -> Any:
    return CliRunner().invoke(app, ["run", "--no-prefect", "--workers", "1", *args])


def keys(client: Any, bucket: str, prefix: str = "") -> list[str]:
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
    return sorted(o["Key"] for page in pages for o in page.get("Contents", []))


def snapshot_ids(client: Any, bucket: str) -> set[str]:
    return {k.split("/")[2] for k in keys(client, bucket, "curated/snapshots/")}


def pointer(client: Any, bucket: str) -> dict[str, Any]:
    body = client.get_object(Bucket=bucket, Key="curated/current.json")["Body"].read()
    found: dict[str, Any] = json.loads(body)
    return found


def ordered(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def published_rows(location: str | Path) -> dict[str, pl.DataFrame]:
    import tally

    with tally.published(location) as pub:
        return {name: ordered(pub.read(name)) for name in pub.datasets}


# -- a whole run --------------------------------------------------------------------------------
def test_a_run_from_s3_to_s3_publishes_what_a_local_run_publishes(tmp_path: Path, client: Any, bucket: str) -> None:
    import tally
    from tally.storage import s3

    raw = corpus(tmp_path)
    raw_url = upload(client, bucket, raw)
    out_url = f"s3://{bucket}/curated"
    remote = tally_run("--raw", raw_url, "--out", out_url)
    local = tally_run("--raw", str(raw), "--out", str(tmp_path / "curated"))
    assert (remote.exit_code, local.exit_code) == (local.exit_code, local.exit_code), remote.output + str(remote.exception)
    assert f"to {out_url}" in remote.output

    with tally.published(out_url) as pub, tally.published(tmp_path / "curated") as here:
        assert sorted(pub.datasets) == sorted(here.datasets) == sorted(str(d) for d in Dataset)
        for name in pub.datasets:
            assert_frame_equal(ordered(pub.read(name)), ordered(here.read(name)), check_row_order=True)
        assert pub.manifest["inputs"] == here.manifest["inputs"]
        assert pub.manifest["ledger"] == here.manifest["ledger"]
        assert pub.manifest["raw"] == raw_url
        sources = pub.read("documents")["source"].to_list()
        assert "fr/sub/copy.txt" in sources and ".hidden.txt" not in sources  # keys relative to the prefix
        run_id, url = pub.run_id, pub.url("figures")
        figures = pub.read("figures")

    # the snapshot's objects, the pointer last; no cache, no staging on the store
    assert url == f"{out_url}/snapshots/{run_id}/figures.parquet"
    assert pointer(client, bucket)["snapshot"] == f"snapshots/{run_id}"
    assert keys(client, bucket, "curated/") == sorted(
        ["curated/current.json"] + [f"curated/snapshots/{run_id}/{f}" for f in (
            *(f"{d}.parquet" for d in Dataset), "manifest.json", "report.html")])
    # readers through the pointer: pyarrow on tally's filesystem, and polars on its own
    import pyarrow.parquet as pq

    table = pq.read_table(s3.key_of(url), filesystem=s3.arrow_filesystem())
    assert_frame_equal(pl.from_arrow(table), figures)  # type: ignore[arg-type]
    opts = {"aws_endpoint_url": os.environ["AWS_ENDPOINT_URL"], "aws_access_key_id": "testing",
            "aws_secret_access_key": "testing", "aws_region": "us-east-1", "aws_allow_http": "true"}
    assert_frame_equal(pl.read_parquet(url, storage_options=opts), figures)
    # the review report of the publish, with the texts read again from the raw location
    page = CliRunner().invoke(app, ["report", "--curated", out_url, "-o", str(tmp_path / "report.html")])
    assert page.exit_code == 0, page.output
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "fr/sub/copy.txt" in html and "changed since this publish" not in html


@pytest.mark.parametrize("remote", ["raw", "out"], ids=["s3-raw-local-out", "local-raw-s3-out"])
def test_either_location_alone_may_be_s3(remote: str, tmp_path: Path, client: Any, bucket: str) -> None:
    raw_url = upload(client, bucket, RAW)
    raw = raw_url if remote == "raw" else str(RAW)
    out = f"s3://{bucket}/curated" if remote == "out" else str(tmp_path / "mixed")
    mixed = tally_run("--raw", raw, "--out", out)
    local = tally_run("--raw", str(RAW), "--out", str(tmp_path / "local"))
    assert mixed.exit_code == local.exit_code == 0, mixed.output + str(mixed.exception)
    a, b = published_rows(out), published_rows(tmp_path / "local")
    for name in a:
        assert_frame_equal(a[name], b[name])
    assert ("curated/current.json" in keys(client, bucket)) == (remote == "out")


def test_the_caches_of_an_s3_out_stay_local_and_a_rerun_reads_them(tmp_path: Path, client: Any, bucket: str) -> None:
    from tally.pipeline import run
    from tally.settings import Settings
    from tally.storage import local_dir

    raw_url = upload(client, bucket, RAW)
    settings = Settings(raw=raw_url, out=f"s3://{bucket}/curated", workers=1, report=False, keep=2)  # type: ignore[arg-type]
    first = run(settings)
    second = run(settings)
    assert (first.cache_hits, second.cache_hits) == (0, first.documents_ok)
    assert list((local_dir(settings.out) / ".cache").glob("*/entries.sqlite"))
    assert str(local_dir(settings.out)).startswith(os.environ["TALLY_CACHE_DIR"])
    assert not [k for k in keys(client, bucket) if ".cache" in k]
    assert not (local_dir(settings.out) / "stage").exists()  # the local staging folder is removed after a run
    assert snapshot_ids(client, bucket) == {first.run_id, second.run_id}
    third = run(settings)  # keep = 2: the oldest snapshot goes
    assert snapshot_ids(client, bucket) == {second.run_id, third.run_id}
    assert pointer(client, bucket)["run_id"] == third.run_id


def test_worker_processes_read_the_raw_location_as_the_parent_does(tmp_path: Path, client: Any, bucket: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(120):  # three batches, so two worker processes read objects
        (raw / f"r{i:03d}.txt").write_text(f"Report {i}: {i * 3} new sites opened in {1990 + i % 30}, "
                                           f"with a budget of {i * 1000} euros and {i % 7 + 2} partners.\n")
    raw_url = upload(client, bucket, raw)
    remote = tally_run("--workers", "2", "--raw", raw_url, "--out", f"s3://{bucket}/curated")
    local = tally_run("--raw", str(raw), "--out", str(tmp_path / "curated"))
    assert remote.exit_code == local.exit_code == 0, remote.output + str(remote.exception)
    a, b = published_rows(f"s3://{bucket}/curated"), published_rows(tmp_path / "curated")
    assert a.keys() == b.keys() and a["documents"].height == 120
    for name in a:
        assert_frame_equal(a[name], b[name])


def test_the_prefect_runner_publishes_to_s3_what_the_local_runner_publishes(client: Any, bucket: str) -> None:
    from tally.flows.curate import run_flow
    from tally.pipeline import run
    from tally.settings import Settings

    raw_url = upload(client, bucket, RAW)
    local = run(Settings(raw=raw_url, out=f"s3://{bucket}/local", workers=1))  # type: ignore[arg-type]
    flow = run_flow(Settings(raw=raw_url, out=f"s3://{bucket}/prefect", workers=1))  # type: ignore[arg-type]
    assert (flow.documents, flow.figures, flow.checks) == (local.documents, local.figures, local.checks)
    assert flow.snapshot.startswith(f"s3://{bucket}/prefect/snapshots/")
    a, b = published_rows(f"s3://{bucket}/local"), published_rows(f"s3://{bucket}/prefect")
    for name in a:
        assert_frame_equal(a[name], b[name])
    assert "prefect/current.json" in keys(client, bucket, "prefect/")


# -- raw objects read as files -----------------------------------------------------------------
RAW_OBJECTS = [  # (key under the prefix, bytes): each is read as a local file of the same bytes is
    ("plain.txt", b"The fund grew by 12% to 3.4 million euros in 2024.\n"),
    ("nested/deeper/notes.md", b"# Notes\n\n- 40 volunteers\n- 12 events\n"),
    ("espace et accent/été.txt", "Le budget atteint 2,5 millions d’euros.\n".encode()),
    ("cp1252.txt", "Le budget atteint 12,5 millions d’euros en 2024 : 40 % de plus.\n".encode("cp1252")),
    ("bom.txt", b"\xef\xbb\xbfThe survey had 1,204 replies.\n"),
    ("empty.txt", b""),
    ("blank.txt", b"  \n\n"),
    ("binary.txt", b"\x00\x01\x02\x03binary"),
    ("big.txt", b"x" * 300),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(32)),
    ("no-extension", b"Some text: 3 items.\n"),
]


def test_raw_objects_are_read_as_local_files_of_the_same_bytes(tmp_path: Path, client: Any, bucket: str) -> None:
    from tally.read.files import DISAPPEARED, discover, read_document, read_documents
    from tally.storage import RemotePath

    local = tmp_path / "raw"
    for key, data in RAW_OBJECTS:
        (local / key).parent.mkdir(parents=True, exist_ok=True)
        (local / key).write_bytes(data)
        client.put_object(Bucket=bucket, Key=f"raw/{key}", Body=data)
    client.put_object(Bucket=bucket, Key="raw/.hidden/secret.txt", Body=b"Not listed: 7 keys.\n")
    client.put_object(Bucket=bucket, Key="raw/folder-marker/", Body=b"")  # what consoles create for a folder
    client.put_object(Bucket=bucket, Key="rawer/other.txt", Body=b"Another prefix: 5 files.\n")
    remote = RemotePath(f"s3://{bucket}/raw")
    paths = discover(remote)
    assert [str(p) for p in paths] == [f"s3://{bucket}/raw/{k}" for k in sorted(k for k, _ in RAW_OBJECTS)]
    docs = {d.source: d for d in (read_document(p, remote, max_bytes=200) for p in paths)}
    for key, _ in RAW_OBJECTS:
        here = read_document(local / key, local, max_bytes=200)
        there = docs[key]
        if key == "big.txt":  # the same rejection, worded for an object
            assert (there.text, here.text) == (None, None)
            assert there.reason == "object is over the 200-byte limit (setting `max_file_bytes`)"
            continue
        assert there == here, (key, there.reason, here.reason)
        assert (there.text, there.encoding, there.reason, there.format) == (here.text, here.encoding, here.reason,
                                                                            here.format), key
    # a batch's objects fetched together read the same; one deleted after the listing disappeared
    client.delete_object(Bucket=bucket, Key="raw/plain.txt")
    together = read_documents(paths, remote, max_bytes=200)
    assert [d.source for d in together] == [d.source for d in docs.values()]
    for doc in together:
        if doc.source == "plain.txt":
            assert (doc.text, doc.reason) == (None, DISAPPEARED)
        else:
            assert doc == docs[doc.source], doc.source


# -- the pointer is the commit ------------------------------------------------------------------
def test_a_run_that_dies_before_the_pointer_leaves_the_previous_publish_and_the_next_run_prunes_it(
        tmp_path: Path, client: Any, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import tally
    from tally.publish import remote

    raw_url = upload(client, bucket, RAW)
    out_url = f"s3://{bucket}/curated"
    assert tally_run("--raw", raw_url, "--out", out_url).exit_code == 0
    first = pointer(client, bucket)["run_id"]
    before = tally.read_published(out_url, "figures")

    def die(out: Path, snapshot: Path) -> None:
        raise KeyboardInterrupt("killed before the pointer")

    monkeypatch.setattr(remote, "commit", die)
    monkeypatch.setattr(remote, "discard", lambda out, run_id: None)  # a killed process cleans nothing up
    client.put_object(Bucket=bucket, Key="raw/new.txt", Body=b"A new text: 3 new sites opened in 2025.\n")
    with pytest.raises(KeyboardInterrupt):
        tally.curate(raw_url, out_url)
    orphans = snapshot_ids(client, bucket) - {first}
    assert len(orphans) == 1  # uploaded whole, never committed
    assert pointer(client, bucket)["run_id"] == first
    assert_frame_equal(tally.read_published(out_url, "figures"), before)  # readers still see the first

    monkeypatch.undo()
    result = tally_run("--raw", raw_url, "--out", out_url)
    assert result.exit_code == 0, result.output
    third = pointer(client, bucket)["run_id"]
    assert snapshot_ids(client, bucket) == {first, third}  # the orphan is gone
    assert "new.txt" in tally.read_published(out_url, "documents")["source"].to_list()


def test_a_failed_upload_is_one_line_and_leaves_nothing(client: Any, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tally.publish import remote

    raw_url = upload(client, bucket, RAW)
    out_url = f"s3://{bucket}/curated"
    assert tally_run("--raw", raw_url, "--out", out_url).exit_code == 0
    first = pointer(client, bucket)["run_id"]
    real = remote.upload

    def half(snapshot: Path, out: Path) -> None:
        real(snapshot, out)
        with remote._step("uploading", f"{out}/snapshots/{snapshot.name}/extra"):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(remote, "upload", half)
    result = tally_run("--raw", raw_url, "--out", out_url)
    assert result.exit_code == 2
    assert f"cannot publish to `{out_url}`: uploading `{out_url}/snapshots/" in result.output
    assert result.output.rstrip().endswith("; the previous publish is still current")
    assert snapshot_ids(client, bucket) == {first} and pointer(client, bucket)["run_id"] == first
    assert "curated/.tally.publish.lock" not in keys(client, bucket)


def test_a_pointer_put_that_errs_after_the_store_applied_it_is_a_publish(
        client: Any, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tally.errors import OutFolderError
    from tally.publish import remote

    raw_url = upload(client, bucket, RAW)
    real = remote.commit

    def applied_then_timed_out(out: Path, snapshot: Path) -> None:
        real(out, snapshot)
        raise OutFolderError("writing the pointer failed: read timeout")

    monkeypatch.setattr(remote, "commit", applied_then_timed_out)
    result = tally_run("--raw", raw_url, "--out", f"s3://{bucket}/curated")
    assert result.exit_code == 0, result.output
    run_id = pointer(client, bucket)["run_id"]
    assert snapshot_ids(client, bucket) == {run_id}  # kept: the pointer names it


def test_an_upload_the_store_refused_is_caught_by_the_size_check(tmp_path: Path, endpoint: str) -> None:
    from tally.errors import OutFolderError
    from tally.publish import remote
    from tally.storage import RemotePath

    snap = tmp_path / "20261206T000000.000000Z-abcdef"
    snap.mkdir()
    (snap / "figures.parquet").write_bytes(b"PAR1" * 100)
    (snap / "manifest.json").write_bytes(b"{}")
    with pytest.raises(OutFolderError) as caught:
        remote.upload(snap, RemotePath("s3://no-such-bucket-here/curated"))
    assert str(caught.value) == (
        f"checking `s3://no-such-bucket-here/curated/snapshots/{snap.name}/figures.parquet` failed: its bucket does "
        "not exist: create it (aws s3 mb s3://no-such-bucket-here)")


# -- errors that say what to do -----------------------------------------------------------------
@pytest.mark.parametrize(("which", "message"), [
    ("raw", "tally: raw location `s3://{missing}/raw` cannot be used: its bucket does not exist: "
            "create it (aws s3 mb s3://{missing}); or pass --raw with another location"),
    ("out", "tally: out location `s3://{missing}/curated` cannot be used: its bucket does not exist: "
            "create it (aws s3 mb s3://{missing}); or pass --out with another location"),
    ("empty", "tally: raw location `s3://{bucket}/nothing` holds no object: upload the texts under that prefix "
              "or pass --raw with another location"),
], ids=["raw-bucket-missing", "out-bucket-missing", "raw-prefix-empty"])
def test_a_missing_bucket_or_prefix_is_one_line_naming_the_url(which: str, message: str, bucket: str) -> None:
    missing = f"no-such-{uuid.uuid4().hex[:8]}"
    raw = {"raw": f"s3://{missing}/raw", "out": str(RAW), "empty": f"s3://{bucket}/nothing"}[which]
    out = f"s3://{missing}/curated" if which == "out" else f"s3://{bucket}/curated"
    result = tally_run("--raw", raw, "--out", out)
    assert result.exit_code == 2
    assert result.output.strip() == message.format(missing=missing, bucket=bucket)


def test_bad_credentials_are_one_line_naming_the_url_and_the_keys(endpoint: str, bucket: str, client: Any) -> None:
    raw_url = upload(client, bucket, RAW)

    def auth(count: str) -> None:  # moto checks credentials after `count` more requests
        request = urllib.request.Request(f"{endpoint}/moto-api/reset-auth", data=count.encode(), method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request, timeout=10).read()

    auth("0")
    try:
        result = tally_run("--raw", raw_url, "--out", f"s3://{bucket}/curated")
    finally:
        auth("inf")
    assert result.exit_code == 2
    line = result.output.strip()
    assert line.startswith(f"tally: raw location `{raw_url}` cannot be used: access denied (")
    assert "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy" in line
    assert line.endswith("or pass --raw with another location")


# -- the lock -----------------------------------------------------------------------------------
def test_a_second_writer_finding_a_fresh_lock_gets_a_clear_error(client: Any, bucket: str) -> None:
    raw_url = upload(client, bucket, RAW)
    out_url = f"s3://{bucket}/curated"
    held = {"holder": "pid 4242 on elsewhere", "since": time.time(), "since_utc": "2026-12-06T05:00:00Z"}
    client.put_object(Bucket=bucket, Key="curated/.tally.publish.lock", Body=json.dumps(held).encode())
    result = tally_run("--raw", raw_url, "--out", out_url)
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"tally: out location `{out_url}` is being published by another tally run (pid 4242 on elsewhere, since "
        "2026-12-06T05:00:00Z): wait for it to finish, or pass --wait SECONDS to queue behind it; if no run is "
        f"alive, delete `{out_url}/.tally.publish.lock` (it is taken over after 6 h)")
    assert "curated/current.json" not in keys(client, bucket)
    assert json.loads(client.get_object(Bucket=bucket, Key="curated/.tally.publish.lock")["Body"].read()) == held

    held["since"] = time.time() - 7 * 3600  # left by a run that died: taken over
    client.put_object(Bucket=bucket, Key="curated/.tally.publish.lock", Body=json.dumps(held).encode())
    assert tally_run("--raw", raw_url, "--out", out_url).exit_code == 0
    assert "curated/.tally.publish.lock" not in keys(client, bucket)


def test_a_run_whose_lock_was_taken_over_does_not_commit(client: Any, bucket: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tally.publish import remote

    raw_url = upload(client, bucket, RAW)
    out_url = f"s3://{bucket}/curated"
    assert tally_run("--raw", raw_url, "--out", out_url).exit_code == 0
    first = pointer(client, bucket)["run_id"]
    real = remote.upload
    other = json.dumps({"holder": "pid 7 on elsewhere", "since": time.time()}).encode()

    def slow(snapshot: Path, out: Path) -> None:  # meanwhile another run took the lock over as stale
        real(snapshot, out)
        client.put_object(Bucket=bucket, Key="curated/.tally.publish.lock", Body=other)

    monkeypatch.setattr(remote, "upload", slow)
    result = tally_run("--raw", raw_url, "--out", out_url)
    assert result.exit_code == 2
    assert f"the lock `{out_url}/.tally.publish.lock` was taken over by another run" in result.output
    assert pointer(client, bucket)["run_id"] == first and snapshot_ids(client, bucket) == {first}
    assert client.get_object(Bucket=bucket, Key="curated/.tally.publish.lock")["Body"].read() == other  # not ours


def test_of_two_writers_starting_together_one_gets_the_lock(bucket: str) -> None:
    from tally.publish.lock import LockedError
    from tally.publish.remote_lock import object_lock
    from tally.storage import RemotePath

    out = RemotePath(f"s3://{bucket}/curated")
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def writer() -> None:
        start.wait()
        try:
            with object_lock(out):
                outcomes.append("held")
                time.sleep(1.0)
        except LockedError:
            outcomes.append("locked")

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["held", "locked", "locked", "locked"]
    with object_lock(out, wait=5):  # released
        pass


# -- locations ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "shown"), [
    ("s3://bucket/raw", "s3://bucket/raw"),
    ("s3://bucket/raw/", "s3://bucket/raw"),
    (Path("s3://bucket/raw"), "s3://bucket/raw"),  # what typer hands over: `s3:/bucket/raw`
    ("s3://bucket", "s3://bucket"),
    ("raw", "raw"),
    (Path("/data/s3:/x"), "/data/s3:/x"),  # a local folder that merely contains `s3:`
])
def test_settings_keep_an_s3_url_whole(given: Any, shown: str) -> None:
    import pickle

    from tally.settings import Settings
    from tally.storage import is_remote

    s = Settings(raw=given)
    assert str(s.raw) == shown
    assert str(pickle.loads(pickle.dumps(s)).raw) == shown
    assert str(Settings.model_validate_json(s.model_dump_json()).raw) == shown
    assert is_remote(s.raw) == shown.startswith("s3://")
    if is_remote(s.raw):
        assert str(s.raw / "fr/a.txt") == f"{shown}/fr/a.txt"


def test_importing_tally_imports_no_object_storage_client(tmp_path: Path) -> None:
    code = ("import sys, tally, tally.cli, tally.pipeline, tally.api, tally.storage.s3, tally.publish.remote\n"
            "bad = [m for m in ('s3fs', 'boto3', 'botocore', 'aiobotocore', 'moto') if m in sys.modules]\n"
            "assert not bad, bad\n")
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
