"""The README's screenshots of the review report: the sample corpus run and its report opened in
headless Chromium; the top of the page (summary, charts, documents) saved as a PNG, then the
failing check clicked and its figure hovered, saved as a second PNG beside the first (-check).

    python docs/screenshot.py [--raw raw] [-o docs/report.png]

Needs the test extra (selenium) and Debian's chromium and chromium-driver.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from tally.pipeline import run
from tally.settings import Settings


def chromium(width: int, height: int) -> webdriver.Chrome:
    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not binary or not driver:
        raise SystemExit("no chromium or chromedriver on PATH: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    options.binary_location = binary
    return webdriver.Chrome(options=options, service=Service(driver))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", type=Path, default=Path("raw"))
    ap.add_argument("-o", "--output", type=Path, default=Path("docs/report.png"))
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--height", type=int, default=900)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        summary = run(Settings(raw=a.raw, out=Path(tmp) / "curated"), use_cache=False)
        driver = chromium(a.width, a.height)
        try:
            driver.get(Path(summary.report).resolve().as_uri())
            driver.save_screenshot(str(a.output))
            failing = driver.find_elements(By.CSS_SELECTOR, "li.chk.failing")
            if failing:
                failing[0].click()
                marks = driver.find_elements(By.CSS_SELECTOR, "mark.fig.hl")
                if marks:
                    ActionChains(driver).move_to_element(marks[0]).perform()
            time.sleep(1.5)  # the highlight's pulse
            driver.save_screenshot(str(a.output.with_name(a.output.stem + "-check.png")))
        finally:
            driver.quit()
    print(f"wrote {a.output} ({summary.documents} documents, {summary.figures} figures)")


if __name__ == "__main__":
    main()
