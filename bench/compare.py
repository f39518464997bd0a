#!/usr/bin/env python3
"""acsgen against its peers, on the same specs, in one run.

For each spec (the synthetic RPC spec of tests/src/synthetic.rs at several sizes, ECS imported
from its official metadata, the public REST specs under tests/specs) and each generator
(acsgen, progenitor, openapi-generator's `rust` generator), into a fresh output directory:
generation wall time (the median of three runs, each into a new directory) and peak memory,
and the lines of Rust written. Then, for the specs
chosen with --build, the debug build of each generated crate with its dependencies already
built: wall time and peak memory (of cargo and the rustc it runs); for acsgen also with only
five operations' features on.

Peers are installed under target/bench when missing: progenitor's CLI with cargo,
openapi-generator's CLI from PyPI (it runs on Java, which must be installed). Nothing outside
target/bench is written. Results: a Markdown table on stdout and target/bench/results.json.

    python3 bench/compare.py                       # sizes 100,1000,5000; builds at 1000 and ECS
    python3 bench/compare.py --sizes 1000 --build synthetic-1000 --tools acsgen,progenitor
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "target" / "bench"
PROGENITOR_VERSION = "0.15.1"
OPENAPI_GENERATOR_VERSION = "7.26.0"
TOOLS = ("acsgen", "progenitor", "openapi-generator")
# The operations a user of five enables: the first five of the crate's `all-operations`.
FEW = 5


def measure(cmd, cwd=None, env=None):
    """Runs `cmd`; returns (seconds, peak RSS in MiB of it and its descendants, exit code,
    the last lines of its error output, its resource usage: `ru_utime` and `ru_stime` are the
    user and system CPU seconds)."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    # A panic says what went wrong on the lines after "panicked at"; other failures at the end.
    panic = next((i for i, line in enumerate(lines) if "panicked at" in line), None)
    frames = [line for line in lines if not re.match(r"\s+(\d+:|at )", line)]
    tail = ["panic: " + " ".join(lines[panic + 1:panic + 2])] if panic is not None else frames[-3:]
    return seconds, usage.ru_maxrss / 1024, proc.returncode, tail, usage


def check(cmd, **kwargs):
    subprocess.run(cmd, check=True, **kwargs)


def rust_lines(directory):
    files = lines = 0
    for path in Path(directory).rglob("*.rs"):
        if "target" in path.relative_to(directory).parts:
            continue
        files += 1
        with open(path, "rb") as f:
            lines += sum(1 for _ in f)
    return files, lines


# --- tools -------------------------------------------------------------------------------

def acsgen_tools():
    check(["cargo", "build", "-q", "--release", "--bin", "acsgen", "--bin", "synthetic_spec"], cwd=ROOT)
    release = ROOT / "target" / "release"
    return release / "acsgen", release / "synthetic_spec"


def progenitor_tool():
    binary = WORK / "tools" / "bin" / "cargo-progenitor"
    if not binary.exists():
        print(f"installing cargo-progenitor {PROGENITOR_VERSION} ...", file=sys.stderr)
        check(["cargo", "install", "-q", "--locked", "cargo-progenitor", "--version",
               PROGENITOR_VERSION, "--root", str(WORK / "tools")])
    return binary


def openapi_generator_tool():
    if shutil.which("java") is None:
        print("openapi-generator needs Java, which is not installed: skipped", file=sys.stderr)
        return None
    binary = WORK / "venv" / "bin" / "openapi-generator-cli"
    if not binary.exists():
        print(f"installing openapi-generator-cli {OPENAPI_GENERATOR_VERSION} ...", file=sys.stderr)
        check([sys.executable, "-m", "venv", str(WORK / "venv")])
        check([str(WORK / "venv" / "bin" / "pip"), "install", "-q", "--disable-pip-version-check",
               f"openapi-generator-cli=={OPENAPI_GENERATOR_VERSION}"])
    return binary


# --- specs -------------------------------------------------------------------------------

def specs(acsgen, synthetic, sizes):
    """(name, path) of every spec compared."""
    directory = WORK / "specs"
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for size in sizes:
        path = directory / f"synthetic-{size}.yaml"
        with open(path, "w") as f:
            check([str(synthetic), str(size)], stdout=f)
        out.append((f"synthetic-{size}", path))
    metadata = ROOT / "tests/fixtures/metadata/ecs/2014-05-26/api-docs.json"
    check([str(acsgen), "import", str(metadata), "--out", str(directory)], stdout=subprocess.DEVNULL,
          stderr=subprocess.DEVNULL)
    out.append(("ecs-2014-05-26", directory / "ecs-2014-05-26.yaml"))
    for path in sorted((ROOT / "tests/specs/rest").glob("*.yaml")) + sorted(
            (ROOT / "tests/specs/public").glob("*.json")):
        out.append((path.stem, path))
    return out


# --- generation --------------------------------------------------------------------------

# Each generation runs this many times, each into a new directory; the median time is reported.
REPEATS = 3


def generate(tool, binary, spec, out):
    """Generates `spec` REPEATS times into out/run-1, out/run-2, ...: median wall time, the
    highest peak memory, the lines of the first run."""
    runs = [generate_once(tool, binary, spec, out / f"run-{k}") for k in range(1, REPEATS + 1)]
    failed = next((r for r in runs if not r["ok"]), None)
    if failed is not None:
        return failed
    result = dict(runs[0])
    result["seconds"] = sorted(r["seconds"] for r in runs)[len(runs) // 2]
    result["runs"] = [r["seconds"] for r in runs]
    result["cpu_runs"] = [(r["user_seconds"], r["system_seconds"]) for r in runs]
    result["peak_mib"] = max(r["peak_mib"] for r in runs)
    return result


def generate_once(tool, binary, spec, out):
    # A directory that did not exist: removing thousands of files just before writing as many
    # makes file creation on ext4 several times slower for a minute (the inode allocator
    # skips recently freed inodes), which would measure the file system, not the generator.
    out.mkdir(parents=True)
    if tool == "acsgen":
        cmd = [str(binary), "generate", "--spec", str(spec), "--out", str(out)]
    elif tool == "progenitor":
        cmd = [str(binary), "progenitor", "-i", str(spec), "-o", str(out / "crate"),
               "-n", "bench-client", "-v", "0.1.0"]
    else:
        cmd = [str(binary), "generate", "-i", str(spec), "-g", "rust", "-o", str(out / "crate"),
               "--skip-validate-spec",
               "--additional-properties=packageName=bench-client,packageVersion=0.1.0"]
    # SnakeYAML, which openapi-generator reads YAML with, refuses documents over 3 MB by
    # default (the 5000-operation spec is 10 MB).
    env = dict(os.environ, JAVA_OPTS="-DmaxYamlCodePoints=2147483647")
    seconds, peak, code, tail, usage = measure(cmd, env=env)
    # User and system CPU time beside wall time: system time (the kernel zeroing the memory a
    # process takes, creating files) varies most from run to run on a shared host.
    result = {"seconds": round(seconds, 3), "user_seconds": round(usage.ru_utime, 3),
              "system_seconds": round(usage.ru_stime, 3), "peak_mib": round(peak, 1),
              "ok": code == 0}
    if code == 0:
        result["files"], result["lines"] = rust_lines(out)
    else:
        result["error"] = " | ".join(tail)
    return result


# --- builds ------------------------------------------------------------------------------

def acsgen_crate(out):
    return next(p for p in out.iterdir() if p.is_dir() and p.name != "acs-runtime")


def features(crate):
    text = (crate / "Cargo.toml").read_text()
    block = text.split("all-operations = [", 1)[1].split("]", 1)[0]
    return [f.strip().strip('",') for f in block.split() if f.strip().strip('",')]


def package_name(crate):
    for line in (crate / "Cargo.toml").read_text().splitlines():
        if line.startswith("name = "):
            return line.split('"')[1]
    raise ValueError(f"no package name in {crate}/Cargo.toml")


def build(tool, out):
    """Debug builds of the crate generated into `out`, its dependencies built first."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(WORK / f"target-{tool}"))
    if tool == "acsgen":
        crate = acsgen_crate(out)
        (out / "Cargo.toml").write_text(
            f'[workspace]\nresolver = "2"\nmembers = ["acs-runtime", "{crate.name}"]\n')
        shutil.copy(ROOT / "Cargo.lock", out / "Cargo.lock")
        package = package_name(crate)
        check(["cargo", "build", "-q", "--offline", "-p", "acs-runtime"], cwd=out, env=env)
        runs = {"all": ["cargo", "build", "-q", "--offline", "-p", package]}
        chosen = features(crate)[:FEW]
        if len(chosen) == FEW:
            runs[f"{FEW} operations"] = runs["all"] + [
                "--no-default-features", "--features", ",".join(chosen)]
        cwd = out
    else:
        crate = out / "crate"
        manifest = crate / "Cargo.toml"
        if "[workspace]" not in manifest.read_text():
            with open(manifest, "a") as f:
                f.write("\n[workspace]\n")
        # Dependencies first (and the crate once); then the crate alone is rebuilt.
        measure(["cargo", "build", "-q"], cwd=crate, env=env)
        runs = {"all": ["cargo", "build", "-q"]}
        cwd = crate
    results = {}
    for label, cmd in runs.items():
        # The crate alone, from scratch (its incremental cache too); dependencies stay built.
        check(["cargo", "clean", "-q", "--offline", "-p", package_name(crate)], cwd=cwd, env=env)
        seconds, peak, code, tail, _ = measure(cmd, cwd=cwd, env=env)
        results[label] = {"seconds": round(seconds, 1), "peak_mib": round(peak), "ok": code == 0}
        if code != 0:
            results[label]["error"] = " | ".join(tail)
    return results


# --- report ------------------------------------------------------------------------------

def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor())
    memory = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory / 2**20, 1),
            "os": platform.platform(), "rustc": rustc}


def table(results):
    lines = ["| spec | generator | generation s | user / system s | peak MiB | files | lines of Rust | build | build s | build peak MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    cell = lambda text, width: text.replace("|", "/")[:width]
    for spec, by_tool in results.items():
        for tool, r in by_tool.items():
            gen = r["generation"]
            if not gen["ok"]:
                lines.append(f"| {spec} | {tool} | failed: {cell(gen['error'], 120)} | | {gen['peak_mib']} | | | | | |")
                continue
            # The CPU times of the run whose wall time is the median.
            user, system = gen["cpu_runs"][gen["runs"].index(gen["seconds"])]
            head = (f"| {spec} | {tool} | {gen['seconds']} | {user} / {system} | {gen['peak_mib']}"
                    f" | {gen['files']} | {gen['lines']:,}")
            builds = r.get("build") or {"": None}
            for label, b in builds.items():
                if b is None:
                    lines.append(f"{head} | | | |")
                elif b["ok"]:
                    lines.append(f"{head} | {label} | {b['seconds']} | {b['peak_mib']} |")
                else:
                    lines.append(f"{head} | {label} | failed: {cell(b['error'], 60)} | |")
                head = "| | | | | | |"
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,5000",
                        help="operations in the synthetic specs (comma-separated)")
    parser.add_argument("--tools", default=",".join(TOOLS), help="generators to run")
    parser.add_argument("--build", default="synthetic-1000,ecs-2014-05-26",
                        help="specs whose generated crates are built ('' for none)")
    parser.add_argument("--only", default="", help="run only these specs (comma-separated names)")
    args = parser.parse_args()
    tools = [t for t in args.tools.split(",") if t]
    unknown = set(tools) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))}")
    to_build = {s for s in args.build.split(",") if s}
    WORK.mkdir(parents=True, exist_ok=True)
    # The previous run's output is moved aside now and removed at the end (see generate_once).
    previous = WORK / f"out-previous-{os.getpid()}"
    if (WORK / "out").exists():
        (WORK / "out").rename(previous)

    acsgen, synthetic = acsgen_tools()
    binaries = {"acsgen": acsgen}
    if "progenitor" in tools:
        binaries["progenitor"] = progenitor_tool()
    if "openapi-generator" in tools:
        binary = openapi_generator_tool()
        if binary is not None:
            binaries["openapi-generator"] = binary
    sizes = [int(s) for s in args.sizes.split(",") if s]
    only = {s for s in args.only.split(",") if s}

    results = {}
    for name, spec in specs(acsgen, synthetic, sizes):
        if only and name not in only:
            continue
        results[name] = {}
        for tool in tools:
            if tool not in binaries:
                continue
            out = WORK / "out" / name / tool
            print(f"{name}: {tool} generates ...", file=sys.stderr)
            entry = {"generation": generate(tool, binaries[tool], spec, out)}
            if entry["generation"]["ok"] and name in to_build:
                print(f"{name}: building {tool}'s crate ...", file=sys.stderr)
                try:
                    entry["build"] = build(tool, out / "run-1")
                except subprocess.CalledProcessError as err:
                    entry["build"] = {"all": {"ok": False, "error": f"`{' '.join(err.cmd)}` failed"}}
            results[name][tool] = entry
            # Written as it goes, so that an interrupted run keeps what it measured.
            report = {"machine": machine(), "versions": {"progenitor": PROGENITOR_VERSION,
                      "openapi-generator": OPENAPI_GENERATOR_VERSION}, "results": results}
            (WORK / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report["machine"]))
    print(table(results))
    if previous.exists():
        shutil.rmtree(previous)


if __name__ == "__main__":
    main()
