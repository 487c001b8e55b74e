#!/usr/bin/python3
"""Writes the golden traces under src/test/resources/parity/ from the real PyTorch schedulers.

README: run from anywhere in the repository, with shared/ beside it (the oracle is
../shared/parity/oracle.py) and a Python that has torch. The committed traces come from Debian's
python3-torch 1.13.1+dfsg-4 (apt-get install -y python3-torch), whose torch.__version__ is 1.13.0a0:

    /usr/bin/python3 src/test/python/parity_traces.py                   # rewrite the expected files
    /usr/bin/python3 src/test/python/parity_traces.py --check           # exit 1 if any value differs
    /usr/bin/python3 src/test/python/parity_traces.py --check --python python3   # another torch

For each pair below it runs `PYTHON oracle.py CASES` and writes what the oracle prints as EXPECTED,
one trace state per line, so that a diff shows the states that changed; the cases files are written
by hand and only read here. torch-version.json beside them records which Python and torch produced
each expected file. --check compares the oracle's output with the committed files value by value
(floats exactly, as parsed) and lists every difference; it writes nothing.

No newest-PyTorch delta is applied to the values: where Stepwise follows a newer PyTorch than the
traces', the case says so itself ("expect": "rejected", "expect_status"), and ParityTest and
check.py read that from the cases file. The script itself needs only the standard library.
"""
import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PARITY = ROOT / "src" / "test" / "resources" / "parity"
ORACLE = ROOT.parent / "shared" / "parity" / "oracle.py"
PAIRS = [("cases.json", "expected.json"), ("edge-cases.json", "edge-expected.json")]
VERSIONS = "torch-version.json"

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


def run_oracle(python, oracle, cases):
    result = subprocess.run([python, str(oracle), str(cases)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{python} {oracle} {cases} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="/usr/bin/python3", help="the Python with torch (default: %(default)s)")
    parser.add_argument("--oracle", type=Path, default=ORACLE, help="oracle.py (default: ../shared/parity/oracle.py)")
    parser.add_argument("--dir", type=Path, default=PARITY, help="where the cases and expected files are")
    parser.add_argument("--check", action="store_true", help="compare with the committed files, write nothing")
    args = parser.parse_args()

    about = subprocess.run([args.python, "-c", ABOUT], capture_output=True, text=True, check=True).stdout.split("\n")
    python_version, torch_version = about[0], about[1]
    print(f"{args.python}: {python_version}, torch {torch_version}")

    failed = 0
    versions = {}
    for cases, expected in PAIRS:
        traces = run_oracle(args.python, args.oracle, args.dir / cases)
        target = args.dir / expected
        if args.check:
            committed = json.loads(target.read_text(encoding="utf-8"))
            names = [t["name"] for t in committed]
            found = 0
            for i, (old, new) in enumerate(zip(committed, traces)):
                diffs = differences(old, new)
                if diffs:
                    found += 1
                    print(f"  {expected} #{i} {names[i]}: {len(diffs)} difference(s)")
                    for where, a, b in diffs[:8]:
                        print(f"      {where}: committed {json.dumps(a)[:160]}, now {json.dumps(b)[:160]}")
            if len(committed) != len(traces):
                found += 1
                print(f"  {expected}: {len(committed)} traces committed, {len(traces)} now")
            print(f"{expected}: {len(traces) - found} traces identical, {found} differ")
            failed += found
        else:
            text = dumps(traces)
            if json.loads(text) != traces and differences(json.loads(text), traces):
                sys.exit(f"{expected}: the layout does not round-trip")
            target.write_text(text, encoding="utf-8")
            versions[expected] = {"cases": cases, "torch": torch_version, "python": python_version,
                                  "executable": args.python,
                                  "oracle": "shared/parity/oracle.py", "generator": "src/test/python/parity_traces.py"}
            print(f"wrote {target} ({len(traces)} traces)")
    if not args.check:
        (args.dir / VERSIONS).write_text(json.dumps(versions, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
