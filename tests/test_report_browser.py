"""The review report in a real browser: Debian's headless Chromium driven by selenium.

The page is loaded from a file URL, as an analyst opens it. Locally the tests skip when no
Chromium or chromedriver is installed; `.ci/run` installs both and sets TALLY_REQUIRE_BROWSER=1,
so in CI a missing browser fails them instead.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tally import pipeline
from tally.settings import Settings
from tests.conftest import MEASUREMENTS, RAW

REQUIRED = os.environ.get("TALLY_REQUIRE_BROWSER") == "1"  # set by .ci/run: a missing browser fails
if not REQUIRED:
    pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra: pip install -e '.[test]'")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

PLANTED = ("Ticket sales\n\nWe sold 1,200 tickets online and 300 tickets at the door, a total of 1,600 tickets.\n\n"
           "Selection\n\n55 applications received. 25 shortlisted. 30 funded.\n")
HOSTILE_NAME = '"><img src=x onerror="window.__pwned=4">.txt'
HOSTILE = ("Hostile <script>window.__pwned = 1; document.title = 'pwned'</script> text.\n"
           '"><img src=x onerror="window.__pwned=2"> and </textarea><textarea> and </script><script>window.__pwned=3'
           "</script>\nMore than 3,800 participants came on 12 March 2025.\n")


def _browser_paths() -> tuple[str, str] | None:
    binary = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    driver = shutil.which("chromedriver")
    return (binary, driver) if binary and driver else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    paths = _browser_paths()
    if paths is None:
        message = "no chromium and chromedriver on PATH: apt-get install chromium chromium-driver"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--disable-extensions", "--no-first-run"):
        options.add_argument(arg)
    options.binary_location = paths[0]
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(paths[1]))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@dataclass
class Site:
    raw: Path
    summary: pipeline.Summary
    figures: pl.DataFrame
    checks: pl.DataFrame

    @property
    def url(self) -> str:
        return Path(self.summary.report).resolve().as_uri()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("browser")
    raw = root / "raw"
    shutil.copytree(RAW, raw)
    (raw / "planted.txt").write_text(PLANTED, encoding="utf-8")
    (raw / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    summary = pipeline.run(Settings(raw=raw, out=root / "curated"), use_cache=False)
    out = root / "curated"
    return Site(raw, summary, pl.read_parquet(out / "figures.parquet"), pl.read_parquet(out / "reconciliations.parquet"))


def _load(driver: Any, url: str) -> None:
    driver.get(url)
    driver.get_log("browser")  # start each test with an empty log


def _problems(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_it_loads_from_a_file_url_with_no_console_error(browser: Any, site: Site) -> None:
    browser.get(site.url)
    assert browser.title.startswith("Tally review report")
    assert browser.find_element(By.ID, "check-list").is_displayed()
    browser.find_element(By.ID, "open-all").click()
    assert _problems(browser) == []


def test_every_figure_is_one_highlighted_span_and_every_text_is_whole(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    browser.find_element(By.ID, "open-all").click()
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.fig")) == site.figures.height > 100
    for source, n in site.figures.group_by("source").len().rows():
        shown = browser.execute_script(
            "return [...document.querySelectorAll('details.doc')].filter(d => d.querySelector('summary')"
            ".firstChild.textContent === arguments[0]).map(d => [d.querySelectorAll('mark.fig').length, "
            "d.querySelector('pre.text').textContent])", source)
        assert len(shown) == 1, source
        assert shown[0][0] == n, source
        assert shown[0][1] == (site.raw / source).read_text(encoding="utf-8"), source  # every character, as text
    assert _problems(browser) == []


def test_hostile_text_and_names_render_as_text(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    browser.find_element(By.ID, "open-all").click()
    state = browser.execute_script("return [window.__pwned === undefined, document.title, "
                                   "document.querySelectorAll('img, textarea, iframe').length, "
                                   "document.querySelectorAll('script:not([type])').length]")
    assert state == [True, f"Tally review report {site.summary.run_id}", 0, 1]
    names = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#doc-table td.src")]
    assert HOSTILE_NAME in names
    texts = browser.execute_script("return [...document.querySelectorAll('pre.text')].map(p => p.textContent)")
    assert HOSTILE in texts


def _check_rows(site: Site) -> dict[str, dict[str, Any]]:
    return {r["message"]: r for r in site.checks.iter_rows(named=True)}


def test_clicking_a_failing_check_scrolls_to_and_highlights_its_figures(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    rows = _check_rows(site)
    failing = browser.find_elements(By.CSS_SELECTOR, "li.chk.failing")
    assert len(failing) == site.checks.filter(~pl.col("holds")).height >= 2
    for li in failing:
        li.click()
        row = rows[li.find_element(By.CSS_SELECTOR, ".msg").text]
        starts = sorted(int(f.rsplit(":", 1)[1]) for f in row["figure_ids"])
        marks = browser.execute_script(
            "return [...document.querySelectorAll('mark.fig.hl')].map(m => {const r = m.getBoundingClientRect(); "
            "return [+m.dataset.start, m.closest('details').querySelector('summary').firstChild.textContent, "
            "r.top >= 0 && r.bottom <= window.innerHeight, m.closest('details').open]})")
        assert sorted(m[0] for m in marks) == starts, row["message"]
        assert {m[1] for m in marks} == {row["source"]}
        assert all(m[3] for m in marks) and any(m[2] for m in marks), marks  # its document open, a figure in view
        assert "active" in li.get_attribute("class")
    assert _problems(browser) == []


def test_the_planted_errors_are_listed_first(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    first = browser.find_elements(By.CSS_SELECTOR, "li.chk")[:2]
    assert [li.get_attribute("class").split()[1] for li in first] == ["s-error", "s-error"]
    assert all("planted.txt" in li.text for li in first)


def _shown(driver: Any, selector: str) -> list[bool]:
    return [e.is_displayed() for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def test_filters_hide_what_they_should(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="s-info"]').click()
    assert not any(_shown(browser, "li.chk.s-info")) and all(_shown(browser, "li.chk.failing"))
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="s-info"]').click()
    assert all(_shown(browser, "li.chk.s-info"))
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="s-error"]').click()
    assert not any(_shown(browser, "li.chk.s-error")) and all(_shown(browser, "li.chk.s-warning"))
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="s-error"]').click()

    browser.find_element(By.ID, "open-all").click()
    background = ("return [...document.querySelectorAll(arguments[0])].map(m => getComputedStyle(m).backgroundColor)")
    assert "rgba(0, 0, 0, 0)" not in browser.execute_script(background, "mark.k-count")
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="k-count"]').click()
    assert set(browser.execute_script(background, "mark.k-count")) == {"rgba(0, 0, 0, 0)"}
    assert "rgba(0, 0, 0, 0)" not in browser.execute_script(background, "mark.k-percent")
    assert browser.execute_script(background, "mark.k-percent")
    browser.find_element(By.CSS_SELECTOR, 'input[data-filter="k-count"]').click()
    assert "rgba(0, 0, 0, 0)" not in browser.execute_script(background, "mark.k-count")


def test_keyboard_moves_between_failing_checks(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    ids = [li.get_attribute("id") for li in browser.find_elements(By.CSS_SELECTOR, "li.chk.failing")]

    def press(key: str) -> str:
        ActionChains(browser).send_keys(key).perform()
        active = browser.execute_script("return [document.querySelector('li.chk.active').id, document.activeElement.id]")
        assert active[0] == active[1]  # the active check has the focus
        return str(active[0])

    assert [press("n"), press("n"), press("p"), press("p")] == [ids[0], ids[1], ids[0], ids[-1]]
    assert browser.find_elements(By.CSS_SELECTOR, "mark.fig.hl")  # its figures highlighted
    ActionChains(browser).send_keys("j").perform()
    assert browser.execute_script("return document.querySelector('li.chk.active').id") == ids[0]
    # in the list, the arrows move the focus over every check shown, Enter opens the focused one
    every = [li.get_attribute("id") for li in browser.find_elements(By.CSS_SELECTOR, "li.chk")]
    ActionChains(browser).send_keys(Keys.ARROW_DOWN).perform()
    assert browser.execute_script("return document.activeElement.id") == every[every.index(ids[0]) + 1]
    ActionChains(browser).send_keys(Keys.ARROW_UP, Keys.ARROW_UP).perform()
    assert browser.execute_script("return document.activeElement.id") == every[max(every.index(ids[0]) - 1, 0)]
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.execute_script("return document.querySelector('li.chk.active') === document.activeElement")


def test_a_figure_shows_its_details_on_hover(browser: Any, site: Site) -> None:
    _load(browser, site.url)
    browser.find_element(By.CSS_SELECTOR, "details.doc summary").click()
    marks = browser.find_elements(By.CSS_SELECTOR, "mark.fig")
    tip = browser.find_element(By.ID, "tip")
    heading = browser.find_element(By.CSS_SELECTOR, "header h1")
    for n, mark in enumerate(marks[:3]):
        ActionChains(browser).move_to_element(heading).perform()  # away first: a move to where it is fires nothing
        assert not tip.is_displayed()
        if n == 2:  # the keyboard's way: focus shows the same details
            browser.execute_script("arguments[0].focus()", mark)
        else:
            ActionChains(browser).move_to_element(mark).perform()
        assert tip.is_displayed()
        same_start = site.figures.filter(pl.col("figure_id").str.ends_with(":" + mark.get_attribute("data-start")))
        assert any(f in tip.text for f in same_start["figure_id"].to_list()), tip.text
        assert "kind" in tip.text and "qualifier" in tip.text and mark.text in tip.text


def test_a_screenshot_is_saved(browser: Any, site: Site, tmp_path: Path) -> None:
    _load(browser, site.url)
    browser.find_element(By.CSS_SELECTOR, "li.chk.failing").click()
    shot = Path(os.environ.get("TALLY_REPORT_SCREENSHOT", tmp_path / "report.png"))
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    MEASUREMENTS.append(f"report screenshot: {shot}")


def test_a_thousand_documents_stay_usable(browser: Any, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(1000):
        (raw / f"doc-{i:04d}.txt").write_text(
            f"Report {i}\n\nWe sold {1200 + i:,} tickets online and 300 tickets at the door, a total of "
            f"{1600 + i:,} tickets.\n55 applications received. 25 shortlisted. 8 funded.\nMore than {3800 + i:,} "
            "participants attended on 12 March 2025, 22% more than in 2024.\n", encoding="utf-8")
    summary = pipeline.run(Settings(raw=raw, out=tmp_path / "curated"), use_cache=False)
    page = Path(summary.report)
    t0 = time.perf_counter()
    browser.get(page.resolve().as_uri())
    loaded = time.perf_counter() - t0
    paint = browser.execute_script(
        "return performance.getEntriesByType('paint').filter(e => e.name === 'first-contentful-paint')"
        ".map(e => e.startTime)[0]")
    t1 = time.perf_counter()
    browser.find_elements(By.CSS_SELECTOR, "li.chk.failing")[-1].click()
    opened = time.perf_counter() - t1
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.fig")) == summary.figures // 1000  # one document drawn
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.fig.hl")) >= 2
    assert _problems(browser) == []
    MEASUREMENTS.append(f"report of 1,000 documents ({summary.figures:,} figures): {page.stat().st_size / 1e6:.2f} MB, "
                        f"first contentful paint {paint:.0f} ms, loaded in {loaded:.2f} s, last failing check shown "
                        f"in {opened * 1000:.0f} ms")
    assert paint < 5000 and opened < 2


def test_a_text_that_changed_since_the_publish_is_named_and_its_figures_listed(browser: Any, site: Site,
                                                                               tmp_path: Path) -> None:
    from tally.report import build_report, from_published, write_report

    raw = tmp_path / "raw"
    shutil.copytree(site.raw, raw)
    (raw / "planted.txt").write_text(PLANTED + "Edited after the run.\n", encoding="utf-8")
    page = write_report(build_report(from_published(Path(site.summary.out), raw)), tmp_path / "report.html")
    _load(browser, page.resolve().as_uri())
    browser.find_element(By.ID, "open-all").click()
    note = browser.find_element(By.CSS_SELECTOR, "p.missing")
    assert "planted.txt` changed since this publish (its sha256 differs)" in note.text
    planted = site.figures.filter(pl.col("source") == "planted.txt")
    rows = note.find_elements(By.XPATH, "following-sibling::table[1]//mark")
    assert [r.text for r in rows] == planted.sort("start")["text"].to_list()
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.fig")) == site.figures.height  # one per figure still
    browser.find_elements(By.CSS_SELECTOR, "li.chk.failing")[0].click()  # its checks still lead to its figures
    assert browser.find_elements(By.CSS_SELECTOR, "table mark.fig.hl")
    assert _problems(browser) == []
