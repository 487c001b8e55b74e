#!/usr/bin/python3
"""Writes the golden traces under src/test/resources/parity/ from the real PyTorch schedulers.

README: run from anywhere in the repository, with shared/ beside it (the oracle is
../shared/parity/oracle.py). The committed traces come from PyTorch 2.13 (the wheel in /opt/wheels,
installed for the pyenv python3: `python3 -m pip install --no-index --no-deps torch`); the script
itself needs only the standard library, so any python3 runs it:

    python3 src/test/python/parity_traces.py                    # rewrite the expected files
    python3 src/test/python/parity_traces.py --check            # exit 1 if any value differs
    python3 src/test/python/parity_traces.py --check --python /usr/bin/python3   # another torch

Which torch: --python when given; otherwise the first of `python3` on PATH, the pyenv shim and
/usr/bin/python3 whose torch is 2.13. Without one it falls back, loudly, to Debian's python3-torch
1.13 (/usr/bin/python3). A torch other than 2.13 never writes the files (unless --force), and its
--check runs in compatibility mode: it skips the cases whose "differs_in_torch" lists its version
(e.g. ["1.13"]: SequentialLR with a milestone of 0, rejections 1.13 lacked) and compares errors by
their exception class only, since the wording changed; --all compares those cases too, to find
new differences.

For each pair below it runs `PYTHON oracle.py CASES` and writes what the oracle prints as EXPECTED,
one trace state per line, so that a diff shows the states that changed; the cases files are written
by hand and only read here. torch-version.json beside them records which Python and torch produced
each expected file. --check compares the oracle's output with the committed files value by value
(floats exactly, as parsed) and lists every difference; it writes nothing.

No newest-PyTorch delta is applied to the values: where Stepwise deliberately differs from PyTorch
(it refuses what PyTorch would only raise at every step), the case says so itself ("expect":
"rejected", "expect_status"), and ParityTest and check.py read that from the cases file. A case
marked "pending": "<branch>" still gets torch's trace, but ParityTest skips it until the fix on that
branch is merged and the marker removed (fuzz-cases.json: the minimised divergences of fuzz.py).
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PARITY = ROOT / "src" / "test" / "resources" / "parity"
ORACLE = ROOT.parent / "shared" / "parity" / "oracle.py"
PAIRS = [("cases.json", "expected.json"), ("edge-cases.json", "edge-expected.json"),
         ("fuzz-cases.json", "fuzz-expected.json")]
VERSIONS = "torch-version.json"
GOLDEN_TORCH = "2.13"  # major.minor of the torch the committed traces come from
DEBIAN_PYTHON = "/usr/bin/python3"  # python3-torch 1.13, the fallback

ABOUT = ("import platform, torch; "
         "print(platform.python_implementation() + ' ' + platform.python_version()); print(torch.__version__)")


def dumps(traces):
    """The traces as JSON: one trace per block, one state per line, keys in the oracle's order."""
    out = ["["]
    for i, trace in enumerate(traces):
        parts = []
        for key, value in trace.items():
            if key == "states":
                states = ",\n".join("  " + json.dumps(state, allow_nan=True) for state in value)
                parts.append(f'"states": [\n{states}\n ]')
            else:
                parts.append(f"{json.dumps(key)}: {json.dumps(value, allow_nan=True)}")
        out.append("{" + ", ".join(parts) + "}" + ("," if i < len(traces) - 1 else ""))
    out.append("]")
    return "\n".join(out) + "\n"


def differences(old, new, path=""):
    """Every place where two parsed JSON values differ, exactly (NaN equals NaN, 1 differs from 1.0)."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in list(old) + [k for k in new if k not in old]:
            if key not in new or key not in old:
                found.append((f"{path}.{key}", old.get(key, "<absent>"), new.get(key, "<absent>")))
            else:
                found += differences(old[key], new[key], f"{path}.{key}")
        if list(old) != list(new) and not found:
            found.append((f"{path} key order", list(old), list(new)))
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        for i, (a, b) in enumerate(zip(old, new)):
            found += differences(a, b, f"{path}[{i}]")
        if len(old) != len(new):
            found.append((f"{path} length", len(old), len(new)))
        return found
    if isinstance(old, float) and isinstance(new, float) and math.isnan(old) and math.isnan(new):
        return []
    if type(old) is not type(new) or old != new:
        return [(path, old, new)]
    return []


def minor(version):
    """'2.13.0+cpu' -> '2.13', '1.13.0a0' -> '1.13'."""
    return ".".join(version.split(".")[:2])


def about(python):
    """(python version, torch version) of an interpreter, or None when it has no torch."""
    try:
        result = subprocess.run([python, "-c", ABOUT], capture_output=True, text=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = result.stdout.split("\n")
    if result.returncode != 0 or len(lines) < 2:
        return None
    return lines[0], lines[1]


def candidates():
    """The interpreters tried for torch 2.13, in order, each once."""
    found = []
    for path in (shutil.which("python3"), os.path.expanduser("~/.pyenv/shims/python3"), DEBIAN_PYTHON):
        if path and os.access(path, os.X_OK) and path not in found:
            found.append(path)
    return found


def choose_python():
    """The first candidate with torch 2.13, else Debian's python3 (torch 1.13), said loudly."""
    seen = []
    for python in candidates():
        info = about(python)
        seen.append(f"{python}: " + (f"torch {info[1]}" if info else "no torch"))
        if info and minor(info[1]) == GOLDEN_TORCH:
            return python, info
    banner = "!" * 100
    print(banner, file=sys.stderr)
    print(f"!!! NO TORCH {GOLDEN_TORCH} FOUND ({'; '.join(seen)})", file=sys.stderr)
    print(f"!!! FALLING BACK TO {DEBIAN_PYTHON}: install the wheel with "
          "`python3 -m pip install --no-index --no-deps torch`", file=sys.stderr)
    print(banner, file=sys.stderr)
    info = about(DEBIAN_PYTHON)
    if info is None:
        sys.exit(f"{DEBIAN_PYTHON} has no torch either (apt-get install -y python3-torch)")
    return DEBIAN_PYTHON, info


def error_class(trace):
    """The trace with its error message cut to the exception class (for another torch's wording)."""
    if "error" not in trace:
        return trace
    trace = dict(trace)
    trace["error"] = trace["error"].split(":", 1)[0]
    return trace


def run_oracle(python, oracle, cases):
    result = subprocess.run([python, str(oracle), str(cases)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{python} {oracle} {cases} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help=f"the Python with torch (default: the first with torch {GOLDEN_TORCH}, "
                        f"else {DEBIAN_PYTHON})")
    parser.add_argument("--oracle", type=Path, default=ORACLE, help="oracle.py (default: ../shared/parity/oracle.py)")
    parser.add_argument("--dir", type=Path, default=PARITY, help="where the cases and expected files are")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    parser.add_argument("--all", action="store_true",
                        help="with another torch, also compare the cases marked differs_in_torch, messages in full")
    parser.add_argument("--force", action="store_true", help=f"write the files with a torch other than {GOLDEN_TORCH}")
    args = parser.parse_args()

    if args.python:
        info = about(args.python)
        if info is None:
            sys.exit(f"{args.python} cannot import torch")
        python = args.python
    else:
        python, info = choose_python()
    python_version, torch_version = info
    print(f"{python}: {python_version}, torch {torch_version}")
    other = minor(torch_version)
    compat = other != GOLDEN_TORCH and not args.all
    if other != GOLDEN_TORCH:
        if not args.check and not args.force:
            sys.exit(f"torch {torch_version} is not {GOLDEN_TORCH}, the torch of the golden traces: not writing them "
                     "(--force to write anyway)")
        if compat:
            print(f"COMPATIBILITY MODE: torch {torch_version} is not {GOLDEN_TORCH}: the cases marked "
                  f"differs_in_torch {other} are skipped, errors are compared by exception class only")

    failed = 0
    versions = {}
    for cases, expected in PAIRS:
        traces = run_oracle(python, args.oracle, args.dir / cases)
        target = args.dir / expected
        if args.check:
            inputs = json.loads((args.dir / cases).read_text(encoding="utf-8"))
            committed = json.loads(target.read_text(encoding="utf-8"))
            names = [t["name"] for t in committed]
            found = skipped = 0
            for i, (case, old, new) in enumerate(zip(inputs, committed, traces)):
                if compat:
                    if other in case.get("differs_in_torch", []):
                        skipped += 1
                        print(f"  {expected} #{i} {names[i]}: skipped, differs in torch {other}")
                        continue
                    old, new = error_class(old), error_class(new)
                diffs = differences(old, new)
                if diffs:
                    found += 1
                    print(f"  {expected} #{i} {names[i]}: {len(diffs)} difference(s)")
                    for where, a, b in diffs[:8]:
                        print(f"      {where}: committed {json.dumps(a)[:160]}, now {json.dumps(b)[:160]}")
            if len(committed) != len(traces):
                found += 1
                print(f"  {expected}: {len(committed)} traces committed, {len(traces)} now")
            print(f"{expected}: {len(traces) - found - skipped} traces identical, {found} differ"
                  + (f", {skipped} skipped (torch {other})" if skipped else ""))
            failed += found
        else:
            text = dumps(traces)
            if json.loads(text) != traces and differences(json.loads(text), traces):
                sys.exit(f"{expected}: the layout does not round-trip")
            target.write_text(text, encoding="utf-8")
            versions[expected] = {"cases": cases, "torch": torch_version, "python": python_version,
                                  "executable": python,
                                  "oracle": "shared/parity/oracle.py", "generator": "src/test/python/parity_traces.py"}
            print(f"wrote {target} ({len(traces)} traces)")
    if not args.check:
        (args.dir / VERSIONS).write_text(json.dumps(versions, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
