"""Tally at scale (issue 13): a deterministic corpus of English and French press releases at
given sizes, and one table of what the pipeline costs on it.

    python benchmarks/scale.py [--sizes 10 100] [--prefect-size 10] [--notes 50000] [--workdir /tmp/tally-scale]
                               [--workers N]

The generator (`press_release`) writes files of about 20 kB: a title and a date line, paragraphs
with counts, amounts, percents and dates, a list whose items add up to a stated total, a table
with a total row, and noise (phone numbers, URLs, reference codes). It depends only on the seed
and the file's index, so a size's corpus is the same on every machine.

The table: extraction chars/s on one core (`tally.extract.figure_rows`, in this process, on the
first 2 MB); a polars digit-count pass over the same texts (the floor: read every file, count the
digit runs); end-to-end `tally run --no-prefect` MB/s and peak RSS (the sum over the run's
process and its workers, sampled every 0.1 s from /proc) at each size, its ratio to the floor;
an unchanged rerun; the pandera validation of the run's figure rows (rows/s); `tally run` with
Prefect at --prefect-size, with the embedded server's start-up (an empty flow run in a fresh
process) on its own line and Prefect's own overhead (the rest); with the `bench` extra,
quantulum3 on a 100 kB slice; and `--notes` one-line notes (many small files: cold, rerun, the
size of the cache).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

FILE_BYTES = 20_000
SEED = 13

EN = {
    "orgs": ["the Regional Innovation Agency", "the Ministry of Culture", "the City Council", "the National Research Fund",
             "the Port Authority", "the Water Board"],
    "things": ["projects", "schools", "companies", "volunteers", "participants", "applications", "beds", "jobs"],
    "sectors": ["health", "education", "transport", "housing", "energy", "agriculture", "culture", "tourism"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December"],
    "said": "said", "total": "Total", "of_which": "of which", "contact": "Press contact", "more": "More at",
}
FR = {
    "orgs": ["l'Agence régionale de l'innovation", "le ministère de la Culture", "le conseil municipal",
             "le Fonds national de la recherche", "l'autorité portuaire", "l'agence de l'eau"],
    "things": ["projets", "écoles", "entreprises", "bénévoles", "participants", "candidatures", "lits", "emplois"],
    "sectors": ["santé", "éducation", "transports", "logement", "énergie", "agriculture", "culture", "tourisme"],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
               "novembre", "décembre"],
    "said": "a déclaré", "total": "Total", "of_which": "dont", "contact": "Contact presse", "more": "En savoir plus",
}


def _num(rng: random.Random, lang: str, lo: int = 2, hi: int = 90_000) -> tuple[int, str]:
    n = rng.randint(lo, hi)
    if n < 1000:
        return n, str(n)
    sep = "," if lang == "en" else "\u202f"
    return n, f"{n:,}".replace(",", sep)


def _paragraph(rng: random.Random, lang: str, w: dict[str, object]) -> str:
    orgs, things, months = w["orgs"], w["things"], w["months"]  # type: ignore[misc]
    org, thing = rng.choice(orgs), rng.choice(things)  # type: ignore[arg-type]
    _, a = _num(rng, lang)
    _, b = _num(rng, lang, 10, 900)
    pct = rng.randint(2, 98)
    day, month, year = rng.randint(1, 28), rng.choice(months), rng.randint(2015, 2026)  # type: ignore[arg-type]
    money = rng.randint(2, 950)
    if lang == "en":
        return (f"On {month} {day}, {year}, {org} announced that {a} {thing} had been supported since {year - 3}, "
                f"an increase of {pct}% on the previous period. The programme, funded with €{money} million, now "
                f"covers {b} municipalities. \"This is a milestone,\" the director {w['said']}. "
                f"Applications close on {day} {month} {year + 1}.")
    return (f"Le {day} {month} {year}, {org} a annoncé que {a} {thing} avaient été accompagnés depuis {year - 3}, "
            f"soit une hausse de {pct} % par rapport à la période précédente. Le programme, doté de {money} millions "
            f"d'euros, couvre désormais {b} communes. « C'est une étape », {w['said']} la directrice. "
            f"Les candidatures sont ouvertes jusqu'au {day} {month} {year + 1}.")


def _list(rng: random.Random, lang: str, w: dict[str, object]) -> str:
    sectors, things = w["sectors"], w["things"]  # type: ignore[misc]
    k = rng.randint(3, 6)
    parts = [rng.randint(5, 400) for _ in range(k)]
    total = sum(parts) + (rng.randint(1, 9) if rng.random() < 0.1 else 0)  # one list in ten does not add up
    thing = rng.choice(things)  # type: ignore[arg-type]
    names = rng.sample(sectors, k)  # type: ignore[arg-type]
    head = (f"The {total} {thing} break down as follows:" if lang == "en"
            else f"Les {total} {thing} se répartissent ainsi :")
    return head + "\n" + "\n".join(f"- {n} {thing} in {s}" if lang == "en" else f"- {n} {thing} en {s}"
                                   for n, s in zip(parts, names, strict=True))


def _table(rng: random.Random, lang: str, w: dict[str, object]) -> str:
    sectors = rng.sample(w["sectors"], 4)  # type: ignore[arg-type]
    rows = [(s, rng.randint(10, 900), rng.randint(10, 900)) for s in sectors]
    head = "| Sector | 2024 | 2025 |" if lang == "en" else "| Secteur | 2024 | 2025 |"
    body = "\n".join(f"| {s} | {a} | {b} |" for s, a, b in rows)
    tot = f"| {w['total']} | {sum(r[1] for r in rows)} | {sum(r[2] for r in rows)} |"
    return f"{head}\n|---|---|---|\n{body}\n{tot}"


def _noise(rng: random.Random, lang: str, w: dict[str, object]) -> str:
    phone = (f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
             if lang == "fr" else f"+1 (555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}")
    url = f"https://press.example.org/{rng.randint(2015, 2026)}/{rng.randint(1, 12):02d}/release-{rng.randint(1, 9999)}"
    return f"{w['contact']}: {phone} - ref. PR-{rng.randint(1000, 9999)}/{rng.randint(10, 99)}\n{w['more']}: {url}"


def press_release(index: int, size: int = FILE_BYTES) -> str:
    """One press release of about `size` bytes; two in three English, one in three French."""
    rng = random.Random(SEED * 1_000_003 + index)
    lang = "fr" if index % 3 == 2 else "en"
    w = FR if lang == "fr" else EN
    out = [f"# {rng.choice(w['orgs']).capitalize()}: release {index}"]  # type: ignore[arg-type]
    n = 0
    while n < size:
        block = rng.choice((_paragraph, _paragraph, _paragraph, _list, _table, _noise))(rng, lang, w)
        out.append(block)
        n += len(block.encode("utf-8")) + 2
    return "\n\n".join(out) + "\n"


def made_once(raw: Path, fill: Callable[[Path], None]) -> Path:
    """`raw`, filled by `fill` the first time (a `.complete` marker says it was finished), reused after."""
    done = raw / ".complete"
    if done.exists():
        return raw
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    fill(raw)
    done.write_text("", encoding="utf-8")
    return raw


def corpus(folder: Path, mb: float) -> Path:
    """A folder of press releases adding up to `mb` megabytes (made once, then reused)."""
    def fill(raw: Path) -> None:
        total, i = 0, 0
        while total < mb * 1_000_000:
            data = press_release(i).encode("utf-8")
            (raw / f"release-{i:06d}.txt").write_bytes(data)
            total += len(data)
            i += 1

    return made_once(folder / f"raw-{mb:g}mb", fill)


def notes(folder: Path, n: int) -> Path:
    """`n` notes of one line each (about 100 bytes: a count, a year, a percent), made once."""
    def fill(raw: Path) -> None:
        rng = random.Random(SEED)
        for i in range(n):
            thing = rng.choice(EN["things"])  # type: ignore[arg-type]
            (raw / f"note-{i:06d}.txt").write_text(
                f"Note {i}: {rng.randint(2, 9000):,} {thing} in {rng.randint(2010, 2026)}, up {rng.randint(1, 60)}% "
                "on the year before.\n", encoding="utf-8")

    return made_once(folder / f"notes-{n}", fill)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{d}/statm", encoding="ascii") as fh:
                rss[int(d)] = int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(d))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS of the process tree in bytes, output) of a command."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a pipe would fill up and block the run
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.1)
        seconds = time.perf_counter() - t0
        log.seek(0)
        out = log.read()
    if proc.returncode not in (0, 3):
        raise SystemExit(f"`{' '.join(cmd)}` failed with exit {proc.returncode}:\n{out}")
    return seconds, peak, out


def floor(raw: Path) -> tuple[float, int]:
    """(seconds, digit runs) of the polars pass: read every file, count the digit runs."""
    t0 = time.perf_counter()
    texts = pl.Series([p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt"))])
    runs = int(texts.str.count_matches(r"\d+").sum())
    return time.perf_counter() - t0, runs


def extraction_rate(raw: Path, limit: int = 2_000_000) -> float:
    from tally.extract import figure_rows
    from tally.read.language import detect_language

    texts, n = [], 0
    for p in sorted(raw.glob("*.txt")):
        texts.append(p.read_text(encoding="utf-8"))
        n += len(texts[-1])
        if n >= limit:
            break
    t0 = time.perf_counter()
    for t in texts:
        figure_rows(t, detect_language(t))
    return n / (time.perf_counter() - t0)


def validation_rate(out: Path) -> tuple[int, float]:
    """(rows, rows/s) of the pandera validation of the published figures (`quarantine.split`, as
    a run validates each batch), on the rows of the run just made."""
    from tally.publish.quarantine import split
    from tally.vocabulary import Dataset

    figures = pl.read_parquet(out / "figures.parquet").drop("run_id", strict=False)
    t0 = time.perf_counter()
    for i in range(0, figures.height, 100_000):  # in batches of rows, as a run's batches come
        split(Dataset.FIGURES, figures.slice(i, 100_000))
    return figures.height, figures.height / (time.perf_counter() - t0)


def quantulum_row(raw: Path, budget: int = 100_000) -> tuple[str, str] | None:
    """quantulum3 (the `bench` extra) on the first `budget` characters, or None when not installed."""
    try:
        from extract import _quantulum  # benchmarks/extract.py: this script's folder is on sys.path
    except ImportError:
        return None
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw.glob("*.txt"))[:20]]
    q = _quantulum(texts, budget)
    if q is None:
        return None
    docs, chars, found, secs = q
    return (f"quantulum3 on {chars / 1000:,.0f} kB ({docs} files), one core",
            f"{chars / secs:,.0f} chars/s, {found:,} quantities")


def mb_of(raw: Path) -> float:
    return sum(p.stat().st_size for p in raw.glob("*.txt")) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[10.0, 100.0], help="corpus sizes in MB")
    ap.add_argument("--prefect-size", type=float, default=10.0, help="size also run with Prefect (0: none)")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "tally-scale")
    ap.add_argument("--workers", type=int, default=None, help="--workers of `tally run` (default: the core count)")
    ap.add_argument("--notes", type=int, default=50_000, help="one-line notes also run (0: none)")
    a = ap.parse_args()
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
           "PREFECT_LOGGING_LEVEL": "WARNING"}
    tally = [sys.executable, "-m", "tally"]
    workers = ["--workers", str(a.workers)] if a.workers else []
    rows: list[tuple[str, str]] = []
    first = corpus(a.workdir, min(a.sizes))
    rows.append(("extraction, one core (first 2 MB)", f"{extraction_rate(first):,.0f} chars/s"))
    q = quantulum_row(first)
    rows.append(q or ("quantulum3", "not installed: pip install -e '.[bench]'"))
    for mb in a.sizes:
        raw = corpus(a.workdir, mb)
        size = mb_of(raw)
        n = len(list(raw.glob("*.txt")))
        f_s, runs = floor(raw)
        rows.append((f"{mb:g} MB ({n:,} files): polars digit-count pass (floor)",
                     f"{f_s:.2f} s, {size / f_s:,.1f} MB/s ({runs:,} digit runs)"))
        out = a.workdir / f"out-{mb:g}mb"
        shutil.rmtree(out, ignore_errors=True)
        s, rss, _ = timed([*tally, "run", "--no-prefect", "--raw", str(raw), "--out", str(out), *workers], env)
        rows.append((f"{mb:g} MB: tally run --no-prefect, cold",
                     f"{s:.1f} s, {size / s:.2f} MB/s, peak RSS {rss / 2**20:,.0f} MiB, {s / f_s:.0f}x the floor"))
        s2, rss2, _ = timed([*tally, "run", "--no-prefect", "--raw", str(raw), "--out", str(out), *workers], env)
        rows.append((f"{mb:g} MB: unchanged rerun", f"{s2:.1f} s ({100 * s2 / s:.1f}% of cold), peak RSS "
                     f"{rss2 / 2**20:,.0f} MiB"))
        n_rows, rate = validation_rate(out)
        rows.append((f"{mb:g} MB: pandera validation of the {n_rows:,} figure rows, one core", f"{rate:,.0f} rows/s"))
        if a.prefect_size and mb == a.prefect_size:
            home = Path(tempfile.mkdtemp(prefix="tally-prefect-"))
            penv = {**env, "PREFECT_HOME": str(home / "prefect")}
            (home / "prefect").mkdir()
            empty = [sys.executable, "-c", "from prefect import flow\nflow(lambda: None)()"]
            fresh, _, _ = timed(empty, penv)
            rows.append(("Prefect embedded server start-up + one empty flow run (fresh database)", f"{fresh:.1f} s"))
            start, _, _ = timed(empty, penv)  # the database now exists, as for the run below
            rows.append(("Prefect embedded server start-up + one empty flow run (existing database)", f"{start:.1f} s"))
            shutil.rmtree(out, ignore_errors=True)
            s3, rss3, _ = timed([*tally, "run", "--raw", str(raw), "--out", str(out), *workers], penv)
            rows.append((f"{mb:g} MB: tally run (Prefect), cold, existing database",
                         f"{s3:.1f} s, {size / s3:.2f} MB/s, peak RSS {rss3 / 2**20:,.0f} MiB"))
            overhead = s3 - s - start  # the Prefect run less the same run without Prefect, less the start-up
            rows.append((f"{mb:g} MB: Prefect's own overhead (the Prefect run - the local run - the start-up)",
                         f"{overhead:.1f} s, {100 * overhead / s:.1f}% of the local run"))
            shutil.rmtree(home, ignore_errors=True)
    if a.notes:
        raw = notes(a.workdir, a.notes)
        out = a.workdir / f"out-notes-{a.notes}"
        shutil.rmtree(out, ignore_errors=True)
        cmd = [*tally, "run", "--no-prefect", "--raw", str(raw), "--out", str(out), *workers]
        s, rss, _ = timed(cmd, env)
        cache = sum(p.stat().st_size for p in (out / ".cache").rglob("*") if p.is_file())
        rows.append((f"{a.notes:,} one-line notes ({mb_of(raw) * 1000:,.0f} kB of text): tally run --no-prefect, cold",
                     f"{s:.1f} s, peak RSS {rss / 2**20:,.0f} MiB, cache {cache / 2**20:,.0f} MiB"))
        s2, _, _ = timed(cmd, env)
        rows.append((f"{a.notes:,} one-line notes: unchanged rerun", f"{s2:.1f} s ({100 * s2 / s:.1f}% of cold)"))
    width = max(len(r[0]) for r in rows)
    print(f"| {'what'.ljust(width)} | figure |\n|{'-' * (width + 2)}|---|")
    for what, fig in rows:
        print(f"| {what.ljust(width)} | {fig} |")


if __name__ == "__main__":
    main()
