"""How the tests and the benchmark start Debian's Chromium (headless, offline)."""

import shutil

#: Without the background-networking flags Chromium tries to reach Google's
#: hosts at every start, which this project's machines refuse.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium():
    """Path of the system Chromium, or None."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None
