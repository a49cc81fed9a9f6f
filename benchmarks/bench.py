"""Benchmark of the site and of the helpers; writes bench-results/bench.{md,json}.

Run it with ``nox -s bench``. It rebuilds the site from scratch (removing
docs/_build and docs/auto_examples first), so it takes a few minutes. It is a
measurement, not a test: it reports missed targets and exits 0.

Figures:

- clean build and no-change rebuild of the site (``sphinx-build`` as run by
  ``nox -s docs``, with the environment already installed);
- each chapter's running time as a script (Agg backend, imports included);
- page weight: each page's HTML (chemiscope datasets are embedded in it) plus the
  images it shows, and the size of the whole site;
- time to widget: in headless Chromium, from navigation start until the last
  chemiscope widget of the page has drawn its 3D viewer and its map (median of
  five loads, each in a fresh browser context);
- ``wigner_d_real`` for l = 0 ... 8 over 10 000 rotations, against a reference
  computed in the same run by projecting scipy's spherical harmonics.
"""

import functools
import http.server
import json
import shutil
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITE = DOCS / "_build" / "html"
OUT = ROOT / "bench-results"
REPEATS = 5  # page loads per page for the time to widget; the median is reported
TARGETS = {"clean_build_s": 90.0, "rebuild_s": 10.0, "page_mb": 1.5, "widget_s": 3.0}


def build():
    start = time.perf_counter()
    subprocess.run(
        [
            "sphinx-build",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            str(DOCS),
            str(SITE),
        ],
        check=True,
    )
    return time.perf_counter() - start


def clean():
    shutil.rmtree(DOCS / "_build", ignore_errors=True)
    shutil.rmtree(DOCS / "auto_examples", ignore_errors=True)
    for leftover in (ROOT / "examples").glob("fig_*.json"):
        leftover.unlink()


def example_times():
    """Wall time of each chapter run as a script (Agg backend), imports included.

    The pages do not show running times (they would change every build), so the
    chapters are timed here, each in a fresh interpreter in a scratch folder."""
    import os
    import tempfile

    times = {}
    env = dict(os.environ, MPLBACKEND="Agg")
    with tempfile.TemporaryDirectory() as scratch:
        for script in sorted((ROOT / "examples").glob("0*.py")):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, str(script)], cwd=scratch, env=env, check=True,
                capture_output=True,
            )  # fmt: skip
            times[script.name] = time.perf_counter() - start
    return times


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))


def page_weights():
    weights = {}
    for page in sorted(SITE.rglob("*.html")):
        relative = page.relative_to(SITE).as_posix()
        if relative.startswith("_") and not relative.startswith("_modules"):
            continue
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        images = {
            (page.parent / src.split("?")[0]).resolve()
            for src in parser.sources
            if src and "://" not in src and not src.startswith("data:")
        }
        image_bytes = sum(path.stat().st_size for path in images if path.is_file())
        weights[relative] = {
            "html_bytes": page.stat().st_size,
            "image_bytes": image_bytes,
            "total_bytes": page.stat().st_size + image_bytes,
        }
    site_bytes = sum(path.stat().st_size for path in SITE.rglob("*") if path.is_file())
    return weights, site_bytes


def time_to_widget(pages):
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "browser_tests"))
    from chromium import CHROMIUM_ARGS, find_chromium

    handler = functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(SITE)
    )
    handler.func.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results = {}
    chromium = find_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name in pages:
            if "chemiscope-embed" not in (SITE / name).read_text(encoding="utf-8"):
                continue
            runs = []
            for _ in range(REPEATS):  # a new browser context each time: a cold cache
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/{name}", wait_until="commit")
                widgets = page.locator(".chemiscope-embed")
                widgets.first.wait_for(state="attached")
                for i in range(widgets.count()):
                    widgets.nth(i).scroll_into_view_if_needed()
                    for part in ("[id$='-structure'] canvas", "[id$='-map'] .main-svg"):
                        widgets.nth(i).locator(part).first.wait_for(
                            state="attached", timeout=30000
                        )
                runs.append(page.evaluate("performance.now()") / 1000)
                context.close()
            results[name] = float(np.median(runs))
        browser.close()
    httpd.shutdown()
    return results


def wigner_benchmark(n_rotations=10_000, l_max=8):
    sys.path.insert(0, str(ROOT / "src"))
    from tutorial_helpers.rotations import random_angles, rotation_matrix, wigner_d_real
    from tutorial_helpers.spherical import real_spherical_harmonics

    alpha, beta, gamma = random_angles(n_rotations, seed=0)
    start = time.perf_counter()
    ours = [wigner_d_real(l, alpha, beta, gamma) for l in range(l_max + 1)]
    t_ours = time.perf_counter() - start

    # reference: D such that Y(R p) = D Y(p), fitted on 2(2l+1) points per l
    start = time.perf_counter()
    R = rotation_matrix(alpha, beta, gamma)
    rng = np.random.default_rng(1)
    reference = []
    for l in range(l_max + 1):
        points = rng.normal(size=(2 * (2 * l + 1), 3))
        Y = real_spherical_harmonics(l, points)
        rotated = np.einsum("kij,pj->kpi", R, points).reshape(-1, 3)
        Y_rotated = real_spherical_harmonics(l, rotated).reshape(
            n_rotations, len(points), -1
        )
        reference.append(np.swapaxes(np.linalg.pinv(Y) @ Y_rotated, 1, 2))
    t_reference = time.perf_counter() - start
    deviation = max(np.abs(a - b).max() for a, b in zip(ours, reference, strict=True))
    return {
        "rotations": n_rotations,
        "l_max": l_max,
        "wigner_d_real_s": t_ours,
        "scipy_projection_s": t_reference,
        "ratio": t_ours / t_reference,
        "largest_deviation": float(deviation),
    }


def status(value, target):
    return "ok" if value <= target else f"missed by {value - target:.2f}"


def main():
    OUT.mkdir(exist_ok=True)
    clean()
    clean_build = build()
    rebuild = build()
    times = example_times()
    weights, site_bytes = page_weights()
    widgets = time_to_widget(list(weights))
    helpers = wigner_benchmark()
    results = {
        "clean_build_s": clean_build,
        "rebuild_s": rebuild,
        "example_times_s": times,
        "page_weights": weights,
        "site_bytes": site_bytes,
        "time_to_widget_s": widgets,
        "wigner_d_real": helpers,
        "targets": TARGETS,
    }
    (OUT / "bench.json").write_text(json.dumps(results, indent=2))

    mb = 1024 * 1024
    lines = [
        "# Benchmark",
        "",
        "| figure | value | target | status |",
        "|---|---|---|---|",
        f"| clean build | {clean_build:.1f} s | ≤ {TARGETS['clean_build_s']:.0f} s "
        f"| {status(clean_build, TARGETS['clean_build_s'])} |",
        f"| no-change rebuild | {rebuild:.1f} s | ≤ {TARGETS['rebuild_s']:.0f} s "
        f"| {status(rebuild, TARGETS['rebuild_s'])} |",
        f"| whole site | {site_bytes / mb:.1f} MB | | |",
        "",
        "| example | execution time |",
        "|---|---|",
        *[f"| {name} | {seconds:.1f} s |" for name, seconds in sorted(times.items())],
        "",
        "| page | HTML (with datasets) | images | own weight | time to widget |",
        "|---|---|---|---|---|",
    ]
    for name, weight in weights.items():
        widget = widgets.get(name)
        widget_text = (
            ""
            if widget is None
            else (f"{widget:.2f} s ({status(widget, TARGETS['widget_s'])})")
        )
        lines.append(
            f"| {name} | {weight['html_bytes'] / 1024:.0f} kB "
            f"| {weight['image_bytes'] / 1024:.0f} kB "
            f"| {weight['total_bytes'] / mb:.2f} MB "
            f"({status(weight['total_bytes'] / mb, TARGETS['page_mb'])}) "
            f"| {widget_text} |"
        )
    lines += [
        "",
        f"`wigner_d_real`, l = 0 … {helpers['l_max']}, "
        f"{helpers['rotations']} rotations: {helpers['wigner_d_real_s']:.3f} s; "
        "projection of scipy's spherical harmonics: "
        f"{helpers['scipy_projection_s']:.3f} s; ratio {helpers['ratio']:.3f}; largest "
        f"difference between the two {helpers['largest_deviation']:.1e}.",
    ]
    markdown = "\n".join(lines) + "\n"
    (OUT / "bench.md").write_text(markdown)
    print(markdown)
    print(f"written to {OUT / 'bench.md'} and {OUT / 'bench.json'}")


if __name__ == "__main__":
    main()
