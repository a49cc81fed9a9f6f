"""Benchmark of the site and of the helpers; writes bench-results/bench.{md,json}.

Run it with ``nox -s bench`` (``nox -s bench -- index.html auto_examples/02`` runs
Lighthouse on those pages only). It rebuilds the site from scratch (removing
docs/_build and docs/auto_examples first), so it takes a while: Lighthouse alone
runs 6 times per page. It is a measurement, not a test: it reports missed targets
and exits 0.

Figures:

- the build loop, as ``nox -s docs`` runs it: a clean build; the rebuild
  that follows it; a no-change rebuild (median of 3: the noxfile skips Sphinx
  when nothing the site is built from changed), and Sphinx's own no-change run
  (median of 3, the noxfile's record of the last build removed first); a
  rebuild after editing one chapter (a comment added to chapter 02, then
  removed); and the first ``nox -s docs`` of a fresh clone, following the README
  (a new virtual environment; uv's download cache is this machine's);
- each chapter's running time as a script (Agg backend, imports included);
- page weight: each page's HTML, the datasets its widgets load and the images
  it shows, and the size of the whole site;
- time to widget: in headless Chromium, from scrolling a page's first widget into
  view until it is drawn, and from navigation start for a reader who goes
  straight to it, against a bare page holding only chemiscope's bundle and the
  same dataset (median of five cold loads each, served compressed);
- Lighthouse (npm, installed in .lighthouse/) on every page, desktop and mobile,
  the median of three runs, against the targets of the performance issue, and
  each page's main-thread work as a ratio to the home page's in the same run
  (at most 2×: the home page is measured whichever pages are chosen);
- ``wigner_d_real`` for l = 0 ... 8 over 10 000 rotations, against a reference
  computed in the same run by projecting scipy's spherical harmonics;
- the time to regenerate the MD dataset (``nox -s data``): its dynamics run in
  full, and its PySCF polarizabilities estimated from a few molecules.
  ``nox -s bench -- --dataset`` measures this alone.
"""

import json
import re
import shutil
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# the site's server and the tests' Chromium settings, shared with the bench
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "browser_tests")]
DOCS = ROOT / "docs"
SITE = DOCS / "_build" / "html"
OUT = ROOT / "bench-results"
REPEATS = 5  # page loads per page for the time to widget; the median is reported
#: the chapter edited for the one-chapter rebuild
EDITED = ROOT / "examples" / "02_rotations_and_vectors.py"
TARGETS = {
    "clean_build_s": 90.0,
    "rebuild_s": 3.0,
    "one_chapter_rebuild_s": 8.0,
    "fresh_clone_docs_s": 60.0,
    "page_mb": 1.5,
    "widget_ratio": 1.2,
}


def build(*, run_sphinx=False):
    """Seconds of one ``nox -s docs`` (``-R``: the environment is installed);
    with ``run_sphinx``, Sphinx runs even if nothing changed."""
    if run_sphinx:
        from site_inputs import record_path

        record_path(SITE).unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(
        ["nox", "-R", "-s", "docs", "--", "-q"], cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - start


def build_loop():
    """Seconds of the builds a writer waits for (see the module's docstring)."""
    # the docs environment as the checkout needs it (its helper package, its
    # pins): the timed builds reuse it (-R), and would otherwise run stale code
    subprocess.run(
        ["nox", "-s", "docs", "--install-only"], cwd=ROOT, check=True,
        capture_output=True,
    )  # fmt: skip
    clean()
    times = {"clean_build_s": build(), "first_rebuild_s": build()}
    times["rebuild_s"] = float(np.median([build() for _ in range(3)]))
    runs = [build(run_sphinx=True) for _ in range(3)]
    times["sphinx_rebuild_s"] = float(np.median(runs))
    original = EDITED.read_text()
    try:
        EDITED.write_text(original + "\n# an edit, made and undone by the bench\n")
        times["one_chapter_rebuild_s"] = build()
    finally:
        EDITED.write_text(original)
    build()  # back to the committed chapter
    times["fresh_clone_docs_s"] = fresh_clone_docs()
    return times


def fresh_clone_docs():
    """Seconds of ``nox -s docs`` in a fresh clone of the committed tree."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        clone = Path(scratch) / "clone"
        subprocess.run(
            ["git", "clone", "--quiet", str(ROOT), str(clone)], check=True
        )  # fmt: skip
        start = time.perf_counter()
        subprocess.run(
            ["nox", "-s", "docs"], cwd=clone, check=True, capture_output=True
        )  # fmt: skip
        return time.perf_counter() - start


BUILD_LABELS = {
    "clean_build_s": "clean build",
    "first_rebuild_s": "first rebuild after it",
    "rebuild_s": "no-change rebuild",
    "sphinx_rebuild_s": "Sphinx's own no-change run",
    "one_chapter_rebuild_s": f"rebuild after editing {EDITED.name}",
    "fresh_clone_docs_s": "fresh clone: first `nox -s docs`",
}


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


class _PageAssets(HTMLParser):
    """The images of a page, and the datasets its widgets load."""

    def __init__(self):
        super().__init__()
        self.sources, self.datasets = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.sources.append(attrs.get("src", ""))
        if "data-chemiscope-script" in attrs:
            self.datasets.append(attrs["data-chemiscope-script"])


def page_weights():
    weights = {}
    for page in sorted(SITE.rglob("*.html")):
        relative = page.relative_to(SITE).as_posix()
        if relative.startswith("_") and not relative.startswith("_modules"):
            continue
        parser = _PageAssets()
        parser.feed(page.read_text(encoding="utf-8"))
        images = {
            (page.parent / src.split("?")[0]).resolve()
            for src in parser.sources
            if src and "://" not in src and not src.startswith("data:")
        }
        image_bytes = sum(path.stat().st_size for path in images if path.is_file())
        dataset_bytes = sum((page.parent / p).stat().st_size for p in parser.datasets)
        weights[relative] = {
            "html_bytes": page.stat().st_size,
            "dataset_bytes": dataset_bytes,
            "image_bytes": image_bytes,
            "total_bytes": page.stat().st_size + dataset_bytes + image_bytes,
        }
    site_bytes = sum(path.stat().st_size for path in SITE.rglob("*") if path.is_file())
    return weights, site_bytes


_BARE_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare chemiscope</title>
<script src="../_static/chemiscope.min.js"></script></head><body>
<div style="display: flex; height: 550px">
<div style="flex: 1"><div id="meta"></div><div id="map" style="height: 500px"></div>
</div><div style="flex: 1"><div id="structure" style="height: 500px"></div>
<div id="info"></div></div></div>
<script type="application/json" id="dataset">{dataset}</script>
<script>
Chemiscope.DefaultVisualizer.load(
    {{map: "map", info: "info", meta: "meta", structure: "structure"}},
    JSON.parse(document.getElementById("dataset").textContent)
);
</script></body></html>
"""


def _drawn(locator, timeout=60000):
    for part in ("[id$='structure'] canvas", "[id$='map'] .main-svg"):
        locator.locator(part).first.wait_for(state="attached", timeout=timeout)


def time_to_widget(pages):
    """For each page's first widget, three times (medians of REPEATS cold loads
    each, alternating, served compressed):

    - ``page_s``: from scrolling it into view, once the page has loaded, until
      it is drawn (chemiscope loads lazily, so this includes loading its bundle);
    - ``straight_s``: from navigation start until it is drawn, for a reader who
      goes straight to it (scrolled into view as soon as it is in the page);
    - ``bare_s``: from navigation start until a bare page holding only
      chemiscope's bundle and the same dataset has drawn it.
    """
    import serve_site
    from chromium import CHROMIUM_ARGS, find_chromium
    from playwright.sync_api import sync_playwright

    bare_dir = SITE / "_bench"
    bare_dir.mkdir(exist_ok=True)
    base, httpd = serve_site.start(SITE)
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        for name in pages:
            text = (SITE / name).read_text(encoding="utf-8")
            found = re.search(r'data-chemiscope-path="([^"]*)"', text)
            if found is None:
                continue
            dataset = ((SITE / name).parent / found.group(1)).read_text()
            bare = bare_dir / (name.replace("/", "-"))
            bare.write_text(_BARE_PAGE.format(dataset=dataset), encoding="utf-8")
            page_runs, straight_runs, bare_runs = [], [], []
            for _ in range(REPEATS):  # a new browser context each time: a cold cache
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/{name}", wait_until="load")
                widget = page.locator(".chemiscope-embed").first
                start = page.evaluate("performance.now()")
                widget.scroll_into_view_if_needed()
                _drawn(widget)
                page_runs.append((page.evaluate("performance.now()") - start) / 1000)
                context.close()

                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/{name}", wait_until="commit")
                widget = page.locator(".chemiscope-embed").first
                widget.scroll_into_view_if_needed()
                _drawn(widget)
                straight_runs.append(page.evaluate("performance.now()") / 1000)
                context.close()

                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/_bench/{bare.name}", wait_until="commit")
                _drawn(page.locator("body"))
                bare_runs.append(page.evaluate("performance.now()") / 1000)
                context.close()
            result = {
                "page_s": float(np.median(page_runs)),
                "straight_s": float(np.median(straight_runs)),
                "bare_s": float(np.median(bare_runs)),
            }
            result["ratio"] = result["page_s"] / result["bare_s"]
            result["straight_ratio"] = result["straight_s"] / result["bare_s"]
            results[name] = result
        browser.close()
    httpd.shutdown()
    shutil.rmtree(bare_dir)
    return results


LIGHTHOUSE_VERSION = "12.8.2"  # the newest that runs on node 20
LIGHTHOUSE_DIR = ROOT / ".lighthouse"  # git-ignored
LIGHTHOUSE_RUNS = 3
LIGHTHOUSE_TARGETS = {
    "desktop": {"performance": 95, "tbt_ms": 100, "lcp_s": 1.5, "cls": 0.02},
    "mobile": {"performance": 90, "tbt_ms": 300, "lcp_s": 2.5, "cls": 0.02},
}
#: A page's main-thread work (style, layout, scripts) may be at most this many
#: times the home page's, measured in the same run: a ratio, since the absolute
#: time depends on how busy the machine is.
MAIN_THREAD_RATIO = 2.0
HOME = "index.html"


def _lighthouse_binary():
    binary = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            ["npm", "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit",
             "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )  # fmt: skip
    return binary


def lighthouse(pages):
    """Median over LIGHTHOUSE_RUNS runs of Lighthouse's scores and metrics, for
    each page, on its desktop preset and its default (a throttled phone)."""
    import os
    import tempfile

    import serve_site
    from chromium import find_chromium

    binary = _lighthouse_binary()
    env = dict(os.environ, CHROME_PATH=find_chromium())
    flags = "--headless=new --no-sandbox --disable-gpu --no-first-run"
    base, httpd = serve_site.start(SITE)
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for name in pages:
            for device in ("desktop", "mobile"):
                runs = []
                for run in range(LIGHTHOUSE_RUNS):
                    report = Path(scratch) / f"{device}-{run}.json"
                    command = [
                        str(binary), f"{base}/{name}", "--quiet",
                        f"--chrome-flags={flags}", "--output=json",
                        f"--output-path={report}",
                    ]  # fmt: skip
                    if device == "desktop":
                        command.append("--preset=desktop")
                    subprocess.run(command, env=env, check=True)
                    data = json.loads(report.read_text())
                    audits, categories = data["audits"], data["categories"]
                    runs.append(
                        {
                            "performance": 100 * categories["performance"]["score"],
                            "accessibility": 100 * categories["accessibility"]["score"],
                            "best_practices": 100
                            * categories["best-practices"]["score"],
                            "seo": 100 * categories["seo"]["score"],
                            "tbt_ms": audits["total-blocking-time"]["numericValue"],
                            "lcp_s": audits["largest-contentful-paint"]["numericValue"]
                            / 1000,
                            "cls": audits["cumulative-layout-shift"]["numericValue"],
                            "main_thread_ms": audits["mainthread-work-breakdown"][
                                "numericValue"
                            ],
                        }
                    )
                results.setdefault(name, {})[device] = {
                    key: float(np.median([r[key] for r in runs])) for key in runs[0]
                }
    httpd.shutdown()
    return results


def lighthouse_table(results):
    lines = [
        "| page | device | performance | TBT | LCP | CLS | main thread (× home) "
        "| a11y / BP / SEO | misses |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, devices in results.items():
        for device, m in devices.items():
            t = LIGHTHOUSE_TARGETS[device]
            home = results.get(HOME, {}).get(device)
            ratio = m["main_thread_ms"] / home["main_thread_ms"] if home else None
            best = min(m["accessibility"], m["best_practices"], m["seo"])
            checks = [
                ("performance < {performance}", m["performance"] < t["performance"]),
                (f"TBT > {t['tbt_ms']} ms", m["tbt_ms"] > t["tbt_ms"]),
                (f"LCP > {t['lcp_s']} s", m["lcp_s"] > t["lcp_s"]),
                (f"CLS > {t['cls']}", m["cls"] > t["cls"]),
                ("a11y/BP/SEO < 100", best < 100),
                (f"main thread > {MAIN_THREAD_RATIO:g} × home",
                 ratio is not None and ratio > MAIN_THREAD_RATIO),
            ]  # fmt: skip
            misses = [label.format(**t) for label, missed in checks if missed]
            lines.append(
                f"| {name} | {device} | {m['performance']:.0f} | {m['tbt_ms']:.0f} ms "
                f"| {m['lcp_s']:.2f} s | {m['cls']:.3f} | {m['main_thread_ms']:.0f} ms"
                f" ({'–' if ratio is None else f'×{ratio:.2f}'}) "
                f"| {m['accessibility']:.0f} / {m['best_practices']:.0f} / "
                f"{m['seo']:.0f} | {', '.join(misses) or 'none'} |"
            )
    return lines


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


def md_dataset_benchmark(n_molecules=4):
    """The MD dataset's regeneration: the dynamics in full, PySCF estimated."""
    sys.path.insert(0, str(ROOT / "src"))
    from pyscf import lib

    from tutorial_helpers.md_dataset import sample_md_geometries
    from tutorial_helpers.polarizability import rhf_polarizability

    start, cpu = time.perf_counter(), time.process_time()
    positions, _ = sample_md_geometries()
    dynamics_s, dynamics_cpu_s = time.perf_counter() - start, time.process_time() - cpu
    lib.num_threads(1)  # as in `nox -s data`: single-threaded processes
    rhf_polarizability(positions[0])  # PySCF's first call reads the basis: untimed
    picked = positions[1 :: len(positions) // n_molecules][:n_molecules]
    start, cpu = time.perf_counter(), time.process_time()
    rhf_polarizability(picked)
    per_molecule_s = (time.perf_counter() - start) / n_molecules
    per_molecule_cpu_s = (time.process_time() - cpu) / n_molecules
    workers = 2  # the processes of `nox -s data`
    return {
        "molecules": len(positions),
        "dynamics_s": dynamics_s,
        "dynamics_cpu_s": dynamics_cpu_s,
        "polarizability_per_molecule_s": per_molecule_s,
        "polarizability_per_molecule_cpu_s": per_molecule_cpu_s,
        "polarizability_molecules_timed": n_molecules,
        # what two idle cores would take: CPU time, shared by the processes
        "polarizability_estimate_s": per_molecule_cpu_s * len(positions) / workers,
        "workers": workers,
    }


def md_dataset_lines(data):
    return [
        f"MD dataset ({data['molecules']} molecules, `nox -s data`): dynamics "
        f"{data['dynamics_s']:.0f} s wall, {data['dynamics_cpu_s']:.0f} s CPU "
        f"(measured in full); PySCF polarizabilities "
        f"{data['polarizability_per_molecule_s']:.2f} s wall, "
        f"{data['polarizability_per_molecule_cpu_s']:.2f} s CPU per molecule, "
        f"single-threaded (mean of {data['polarizability_molecules_timed']}): an "
        f"estimated {data['polarizability_estimate_s'] / 60:.1f} min in "
        f"{data['workers']} processes on idle cores (estimate: CPU time × "
        f"{data['molecules']} / {data['workers']}).",
    ]


def status(value, target):
    return "ok" if value <= target else f"missed by {value - target:.2f}"


def main():
    OUT.mkdir(exist_ok=True)
    if sys.argv[1:] == ["--dataset"]:  # `nox -s bench -- --dataset`: that part alone
        data = md_dataset_benchmark()
        (OUT / "bench-dataset.json").write_text(json.dumps(data, indent=2))
        print("\n".join(md_dataset_lines(data)))
        return
    loop = build_loop()
    times = example_times()
    weights, site_bytes = page_weights()
    widgets = time_to_widget(list(weights))
    pages = [name for name in weights if not name.startswith("_modules/")]
    if len(sys.argv) > 1:  # e.g. `nox -s bench -- index.html auto_examples/0`
        chosen = [name for name in pages if name.startswith(tuple(sys.argv[1:]))]
        # the home page too: the main-thread ratios are measured against it
        pages = [HOME, *(name for name in chosen if name != HOME)]
    scores = lighthouse(pages)
    helpers = wigner_benchmark()
    md_data = md_dataset_benchmark()
    results = {
        **loop,
        "example_times_s": times,
        "page_weights": weights,
        "site_bytes": site_bytes,
        "time_to_widget_s": widgets,
        "lighthouse": scores,
        "wigner_d_real": helpers,
        "md_dataset": md_data,
        "targets": TARGETS,
    }
    (OUT / "bench.json").write_text(json.dumps(results, indent=2))

    mb = 1024 * 1024
    lines = [
        "# Benchmark",
        "",
        "| figure | value | target | status |",
        "|---|---|---|---|",
        *[
            f"| {label} | {loop[key]:.1f} s | "
            + (
                f"≤ {TARGETS[key]:.0f} s | {status(loop[key], TARGETS[key])} |"
                if key in TARGETS
                else " | |"
            )
            for key, label in BUILD_LABELS.items()
        ],
        f"| whole site | {site_bytes / mb:.1f} MB | | |",
        "",
        "| example | execution time |",
        "|---|---|",
        *[f"| {name} | {seconds:.1f} s |" for name, seconds in sorted(times.items())],
        "",
        "| page | HTML | widget datasets | images | own weight | time to widget, "
        "against a bare chemiscope page |",
        "|---|---|---|---|---|---|",
    ]
    for name, weight in weights.items():
        widget = widgets.get(name)
        widget_text = (
            ""
            if widget is None
            else (
                f"{widget['page_s']:.2f} s after scrolling, "
                f"{widget['straight_s']:.2f} s going straight to it, bare page "
                f"{widget['bare_s']:.2f} s: ×{widget['ratio']:.2f} "
                f"({status(widget['ratio'], TARGETS['widget_ratio'])}), "
                f"×{widget['straight_ratio']:.2f} "
                f"({status(widget['straight_ratio'], TARGETS['widget_ratio'])})"
            )
        )
        lines.append(
            f"| {name} | {weight['html_bytes'] / 1024:.0f} kB "
            f"| {weight['dataset_bytes'] / 1024:.0f} kB "
            f"| {weight['image_bytes'] / 1024:.0f} kB "
            f"| {weight['total_bytes'] / mb:.2f} MB "
            f"({status(weight['total_bytes'] / mb, TARGETS['page_mb'])}) "
            f"| {widget_text} |"
        )
    lines += [
        "",
        f"Lighthouse {LIGHTHOUSE_VERSION}, median of {LIGHTHOUSE_RUNS} runs, served "
        "gzip-compressed; desktop is `--preset=desktop`, mobile the default phone:",
        "",
        *lighthouse_table(scores),
        "",
        f"`wigner_d_real`, l = 0 … {helpers['l_max']}, "
        f"{helpers['rotations']} rotations: {helpers['wigner_d_real_s']:.3f} s; "
        "projection of scipy's spherical harmonics: "
        f"{helpers['scipy_projection_s']:.3f} s; ratio {helpers['ratio']:.3f}; largest "
        f"difference between the two {helpers['largest_deviation']:.1e}.",
        "",
        *md_dataset_lines(md_data),
    ]
    markdown = "\n".join(lines) + "\n"
    (OUT / "bench.md").write_text(markdown)
    print(markdown)
    print(f"written to {OUT / 'bench.md'} and {OUT / 'bench.json'}")


if __name__ == "__main__":
    main()
