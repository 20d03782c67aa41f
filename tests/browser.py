"""Debian's headless Chromium for page tests and screenshots, driven by Selenium and chromedriver.

Chromium and chromedriver come from Debian (`apt-get install -y chromium chromium-driver`, which
`make test` does when they are missing: tests/ensure_browser.sh), so the two always match and
nothing is downloaded at test time.

`python -m tests.browser PAGE.html SHOT.png` writes a screenshot of the whole page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL_HINT = "install them with `apt-get install -y chromium chromium-driver` (make test does this)"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars")
WIDTH_PX = 1280


def missing() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    absent = [p for p in (CHROMIUM, CHROMEDRIVER) if shutil.which(p) is None]
    if absent:
        return f"{' and '.join(absent)} not found: {INSTALL_HINT}"
    return None


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium WebDriver with a fresh profile that records the page's console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="zcf-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={WIDTH_PX},1000"):
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()


def screenshot(page: Path, png: Path, max_height_px: int = 12000) -> None:
    """The whole page as a PNG, taken by Chromium's own `--screenshot`, trimmed and in 256 colours."""
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="zcf-chromium-") as profile:
        raw = Path(profile) / "raw.png"
        subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}/data", f"--screenshot={raw}",
                        f"--window-size={WIDTH_PX},{max_height_px}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
        image = Image.open(raw).convert("RGB")
    gray = image.convert("L").point(lambda v: 255 if v < 250 else 0)
    box = gray.getbbox()
    if box is not None:
        image = image.crop((0, 0, image.width, min(box[3] + 24, image.height)))
    image.quantize(colors=256, dither=Image.Dither.NONE).save(png, optimize=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m tests.browser PAGE.html SHOT.png")
    if (problem := missing()) is not None:
        sys.exit(problem)
    screenshot(Path(sys.argv[1]), Path(sys.argv[2]))
