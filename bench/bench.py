"""Timings for the dbanalysis build, tests and imports (a script, not a test).

Each measurement runs in a fresh process, ``--runs`` times, and prints every run's
wall time and its CPU time (user + system of all its child processes: on a machine
shared with other work, CPU time varies much less than wall time):

(a) ``dbanalysis build --execute always``: every notebook executed, then exported;
(b) ``dbanalysis build --execute auto`` with nothing changed since the committed
    outputs (what a warm ``make report`` does); ratio (b)/(a);
(c) ``make test`` (warm environment); skip with ``--skip-make-test``;
(d) ``make report`` on a fresh ``git clone`` of the repository (environment created
    from uv.lock with uv's download cache warm, then the build); skip with
    ``--skip-fresh-clone``;
(f) ``bench/audit_corpus.py``: audit-text over the corpus (expected checks found, false
    'inconsistent' verdicts, time per report and in all); ``--audit-text-only`` runs only it;
(e) import time, fresh interpreter, 9 interleaved rounds: the package with a sector's audit
    findings against bare ``import pandas, matplotlib.pyplot``; (e') the same with
    ``plotting.use_house_style()`` as well (what a notebook's first cell does: it loads
    matplotlib, which the charts are imported with only when first used).

On a checkout whose ``dbanalysis build`` has no ``--execute`` option (before the
incremental build existed), (a) and (b) are both the plain ``dbanalysis build``,
which always executes, and (b') ``--no-execute`` is timed as well.

Usage: .venv/bin/python bench/bench.py [--repo DIR] [--runs N] [--jobs N]
           [--skip-make-test] [--skip-fresh-clone]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "import pandas, matplotlib.pyplot"
OURS = (
    "from dbanalysis import plotting; from dbanalysis.notebook import sectorview; "
    "sectorview.audit_findings('agriculture'); sectorview.derived_table('agriculture')"
)
OURS_STYLED = OURS + "; plotting.use_house_style()"


CPU: list[float] = []  # CPU seconds of the last wall() call, read by fmt_runs


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    c0 = children_cpu()
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    CPU.append(children_cpu() - c0)
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"      exit code {proc.returncode}: {' | '.join(tail)}")
        failed = [line for line in proc.stdout.splitlines()
                  if line.startswith(("FAILED", "ERROR"))]
        for line in failed[:10]:
            print(f"      {line}")
        why = [line for line in proc.stdout.splitlines() if line.startswith("E ")]
        for line in why[:12]:  # the assertion, so that a failure that does not recur says why
            print(f"      {line}")
    return seconds, proc.returncode


def fmt_runs(times: list[float], cpu: list[float]) -> str:
    """Wall and CPU times of the runs: medians, then every run."""
    walls = ", ".join(f"{t:.1f}" for t in times)
    cpus = ", ".join(f"{c:.1f}" for c in cpu)
    return (f"wall median {statistics.median(times):6.1f} s (runs: {walls}); "
            f"CPU median {statistics.median(cpu):6.1f} s (runs: {cpus})")


def has_execute_option(repo: Path) -> bool:
    out = subprocess.run(
        [str(repo / ".venv/bin/dbanalysis"), "build", "--help"],
        capture_output=True, text=True, check=True,
    ).stdout
    return "--execute" in out


def import_times(codes: list[str], cwd: Path, python: str,
                 runs: int = 9) -> list[tuple[float, float, float]]:
    """Per code: median wall and CPU seconds of ``python -c code``, and the median over
    rounds of its CPU time divided by the first code's. The codes run in turn, round
    after round (after one warm-up round), so that a burst of other work on a shared
    machine weighs on all of them alike."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for code in codes:  # warm caches
        subprocess.run([python, "-c", code], check=True, env=env, cwd=cwd)
    times: list[list[float]] = [[] for _ in codes]
    cpu: list[list[float]] = [[] for _ in codes]
    for _ in range(runs):
        for i, code in enumerate(codes):
            c0 = children_cpu()
            t0 = time.perf_counter()
            subprocess.run([python, "-c", code], check=True, env=env, cwd=cwd)
            times[i].append(time.perf_counter() - t0)
            cpu[i].append(children_cpu() - c0)
    return [(statistics.median(t), statistics.median(c),
             statistics.median(x / b for x, b in zip(c, cpu[0], strict=True)))
            for t, c in zip(times, cpu, strict=True)]


def machine() -> str:
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    load = ", load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return (
        f"{os.cpu_count()} CPU(s){mem}, Python {platform.python_version()}, "
        f"{platform.platform()}{load}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout to measure")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-make-test", action="store_true")
    parser.add_argument("--skip-fresh-clone", action="store_true")
    parser.add_argument("--audit-text-only", action="store_true",
                        help="only (f), audit-text over the corpus (seconds, not minutes)")
    args = parser.parse_args()
    repo = args.repo.resolve()
    dbanalysis = str(repo / ".venv/bin/dbanalysis")
    python = str(repo / ".venv/bin/python")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo,
                          capture_output=True, text=True).stdout.strip()
    print(f"machine: {machine()}")
    print(f"repo: {repo} at {head}, {args.runs} run(s) each, jobs={args.jobs}")
    # (f) first: it takes a second; the build and test timings take minutes
    print("(f) audit-text over tests/corpus (expected checks written by hand before the "
          "tool ran)")
    corpus = subprocess.run([python, str(repo / "bench" / "audit_corpus.py")], cwd=repo,
                            capture_output=True, text=True)
    print("    " + (corpus.stdout + corpus.stderr).strip().replace("\n", "\n    "))
    if args.audit_text_only:
        return corpus.returncode

    incremental = has_execute_option(repo)
    with tempfile.TemporaryDirectory(prefix="dbanalysis-bench-") as tmp_name:
        tmp = Path(tmp_name)
        build = [dbanalysis, "build", "--jobs", str(args.jobs), "--out"]
        always = ["--execute", "always"] if incremental else []
        auto = ["--execute", "auto"] if incremental else []
        wall([*build, str(tmp / "warm"), *auto], repo)  # warm OS and kernel caches
        t_always = [wall([*build, str(tmp / f"a{i}"), *always], repo)[0]
                    for i in range(args.runs)]
        c_always = CPU[-args.runs:]
        t_auto = [wall([*build, str(tmp / f"b{i}"), *auto], repo)[0] for i in range(args.runs)]
        c_auto = CPU[-args.runs:]
        print(f"(a) build --execute always     {fmt_runs(t_always, c_always)}")
        note = "" if incremental else "  [no --execute option: plain build, executes all]"
        print(f"(b) build --execute auto       {fmt_runs(t_auto, c_auto)}{note}")
        ratio = statistics.median(t_auto) / statistics.median(t_always)
        print(f"    ratio (b)/(a)              {ratio:6.2f} wall  (target <= 0.25)")
        if not incremental:
            t_never = [wall([*build, str(tmp / f"c{i}"), "--no-execute"], repo)[0]
                       for i in range(args.runs)]
            print(f"(b') build --no-execute        {fmt_runs(t_never, CPU[-args.runs:])}")

        if args.skip_make_test:
            print("(c) make test                  skipped")
        else:
            t_test = []
            for _ in range(args.runs):
                seconds, code = wall(["make", "test"], repo)
                t_test.append(seconds)
                if code:
                    print(f"    make test exit code {code}")
            print(f"(c) make test                  {fmt_runs(t_test, CPU[-args.runs:])}"
                  "  (target < 30 s)")

        if args.skip_fresh_clone:
            print("(d) fresh clone make report    skipped")
        else:
            t_fresh = []
            env = {k: v for k, v in os.environ.items()
                   if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
            for i in range(args.runs):
                clone = tmp / f"clone{i}"
                subprocess.run(["git", "clone", "--quiet", str(repo), str(clone)], check=True)
                t_fresh.append(wall(["make", "report"], clone, env)[0])
                shutil.rmtree(clone, ignore_errors=True)
            print(f"(d) fresh clone make report    {fmt_runs(t_fresh, CPU[-args.runs:])}"
                  "  (target < 60 s)")

    # the package's bytecode, as a first import writes it (unless PYTHONDONTWRITEBYTECODE)
    subprocess.run([python, "-m", "compileall", "-q", str(repo / "src")], check=True)
    (t_base, c_base, _), (t_ours, c_ours, r_ours), (t_styled, c_styled, r_styled) = \
        import_times([BASELINE, OURS, OURS_STYLED], repo, python)
    print("(e) fresh interpreter, 9 interleaved rounds, medians (wall / CPU)")
    print(f"    bare                       {t_base:6.3f} s / {c_base:6.3f} s   ({BASELINE})")
    print(f"    package + audit + derived  {t_ours:6.3f} s / {c_ours:6.3f} s   ({OURS})")
    print(f"    (e') + house style         {t_styled:6.3f} s / {c_styled:6.3f} s   "
          "(+ plotting.use_house_style())")
    print(f"    CPU ratio to bare          {r_ours:6.2f} (e) / {r_styled:6.2f} (e')"
          "  (median of the rounds' ratios; target <= 1.1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
