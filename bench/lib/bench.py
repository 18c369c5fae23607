#!/usr/bin/env python3
"""fetchq benchmark driver: see bench/README.md. Started by bench/run.sh."""

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import infra  # noqa: E402
from infra import BenchError, log  # noqa: E402
import scenarios  # noqa: E402

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALL = ["e2e", "workers", "submit", "large", "recovery", "scaleout", "broker"]
KIB, MIB = 1024, 1024 * 1024


class Sizes:
    """Workload sizes: the issue's (full) or small ones for a quick check (--quick)."""

    def __init__(self, quick):
        self.quick = quick
        self.small_count = 300 if quick else 10_000
        self.small_size = 4 * KIB
        self.e2e_warmup = 100 if quick else 1_000
        self.e2e_connections = 16
        self.large_count = 2 if quick else 20
        self.large_size = 50 * MIB
        self.curl_parallel = 8  # = 2 workers x fetchq.worker.concurrency 4
        self.recovery_size = (100 if quick else 500) * MIB
        self.slow_rate = "50m" if quick else "100m"  # nginx limit_rate for /slow/
        self.trickle_rate = "256k"
        self.submit_seconds = 3 if quick else 10
        self.submit_connections = 64
        self.fixed_rate = 2_000
        self.fixed_clients = 100
        self.scaleout_busy = 8
        self.scaleout_backlog = 8
        self.perftest_seconds = 5 if quick else 15


# --------------------------------------------------------------------------------------------
# corpus


def ensure_corpus(corpus, sizes, wanted):
    """Random files served by nginx, with their SHA-256 in MANIFEST.json; generated once."""
    os.makedirs(corpus, exist_ok=True)
    manifest_path = os.path.join(corpus, "MANIFEST.json")
    manifest = {}
    if os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = json.load(f)

    def need(rel, size):
        path = os.path.join(corpus, rel)
        entry = manifest.get(rel)
        if entry and entry["size"] == size and os.path.exists(path) \
                and os.path.getsize(path) == size:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        h = hashlib.sha256()
        with open(path + ".tmp", "wb") as f:
            left = size
            while left:
                chunk = os.urandom(min(left, 4 * MIB))
                h.update(chunk)
                f.write(chunk)
                left -= len(chunk)
        os.chmod(path + ".tmp", 0o644)
        os.replace(path + ".tmp", path)
        manifest[rel] = {"size": size, "sha256": h.hexdigest()}

    t = time.time()
    if {"e2e", "workers"} & wanted:
        for i in range(sizes.small_count + sizes.e2e_warmup):
            need(f"small/s{i:05d}.bin", sizes.small_size)
    if {"large", "scaleout"} & wanted:
        for i in range(sizes.large_count):
            need(f"large/l{i:02d}.bin", sizes.large_size)
    if {"recovery"} & wanted:
        need(f"big/r{sizes.recovery_size // MIB}.bin", sizes.recovery_size)
    with open(manifest_path + ".tmp", "w") as f:
        json.dump(manifest, f)
    os.replace(manifest_path + ".tmp", manifest_path)
    for d, _, _ in os.walk(corpus):
        os.chmod(d, 0o755)
    log(f"corpus ready in {corpus} ({time.time() - t:.1f}s)")
    return manifest


# --------------------------------------------------------------------------------------------
# machine


def machine_info(bench):
    info = {"nproc": os.cpu_count(), "kernel": platform.release()}
    with open("/proc/cpuinfo") as f:
        m = re.search(r"model name\s*:\s*(.+)", f.read())
        info["cpu"] = m.group(1).strip() if m else "?"
    with open("/proc/meminfo") as f:
        info["memory_gib"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    with open("/proc/loadavg") as f:
        info["loadavg_at_start"] = " ".join(f.read().split()[:3])
    try:
        o = infra.rabbit_api("GET", "/api/overview")
        info["rabbitmq"] = o.get("rabbitmq_version")
        info["erlang"] = o.get("erlang_version")
    except Exception as e:
        info["rabbitmq"] = f"? ({e})"
    try:
        info["postgresql"] = infra.psql("show server_version").strip()
        info["pg_synchronous_commit"] = infra.psql("show synchronous_commit").strip()
        info["pg_fsync"] = infra.psql("show fsync").strip()
    except Exception as e:
        info["postgresql"] = f"? ({e})"
    info["java"] = infra.java_version(bench.java)
    try:
        info["nginx"] = subprocess.run(["nginx", "-v"], capture_output=True,
                                       text=True).stderr.strip().split("/")[-1]
    except OSError:
        info["nginx"] = "?"
    info["source"] = bench.source_rev
    return info


# --------------------------------------------------------------------------------------------
# results


class Results:
    """Metrics per scenario: each a list of per-repetition values, plus notes and ledgers."""

    def __init__(self):
        self.metrics = []  # (scenario, metric, values, target_text, check, unit_fmt)
        self.index = {}
        self.notes = {}
        self.details = {}

    def add(self, scenario, metric, value, target="", check=None, fmt="{:.0f}"):
        key = (scenario, metric)
        if key not in self.index:
            self.index[key] = len(self.metrics)
            self.metrics.append([scenario, metric, [], target, check, fmt])
        if value is not None:
            self.metrics[self.index[key]][2].append(value)

    def note(self, scenario, text):
        self.notes.setdefault(scenario, []).append(text)

    def detail(self, scenario, rep, data):
        self.details.setdefault(scenario, []).append({"rep": rep, **data})

    def table(self):
        lines = ["| scenario | metric | median | min | max | target | met? |",
                 "|---|---|---:|---:|---:|---|---|"]
        order = {name: i for i, name in enumerate(ALL)}
        rows = sorted(self.metrics, key=lambda m: order.get(m[0], len(order)))
        for scenario, metric, values, target, check, fmt in rows:
            if values:
                med = statistics.median(values)
                cells = [fmt.format(med), fmt.format(min(values)), fmt.format(max(values))]
                met = "" if check is None else ("yes" if check(med) else "**no**")
            else:
                cells, met = ["n/a"] * 3, ("" if check is None else "n/a")
            n = f" (n={len(values)})" if len(values) > 1 else ""
            lines.append(f"| {scenario} | {metric}{n} | " + " | ".join(cells) +
                         f" | {target} | {met} |")
        return "\n".join(lines)

    def as_json(self):
        return {"metrics": [{"scenario": s, "metric": m, "values": v, "target": t}
                            for s, m, v, t, _, _ in self.metrics],
                "notes": self.notes, "details": self.details}


# --------------------------------------------------------------------------------------------
# the run


class Bench:
    def __init__(self, args):
        self.args = args
        self.sizes = Sizes(args.quick)
        self.src = os.path.abspath(args.src)
        self.java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
        self.jfr = os.path.join(os.environ["JAVA_HOME"], "bin", "jfr")
        self.work = os.path.join(BENCH_DIR, "work")
        self.run_id = f"{os.getpid()}{int(time.time()) % 100000}"
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.results_dir = os.path.join(self.work, "results", stamp + ("-quick" if args.quick else ""))
        self.run_dir = os.path.join(self.work, "runs", self.run_id)
        self.registry = infra.Registry()
        self.results = Results()
        self.repeat = args.repeat if args.repeat else (1 if args.quick else 3)
        self.only = [s for s in ALL if s in args.only.split(",")] if args.only else list(ALL)
        unknown = set(args.only.split(",")) - set(ALL) if args.only else set()
        if unknown:
            raise BenchError(f"unknown scenario(s): {', '.join(sorted(unknown))}; known: {ALL}")
        self.source_rev = "?"
        self.api_jar = self.worker_jar = None
        self.nginx = None
        self.manifest = {}

    def git_rev(self):
        try:
            rev = subprocess.run(["git", "-C", self.src, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
            dirty = subprocess.run(["git", "-C", self.src, "status", "--porcelain",
                                    "--untracked-files=no"],
                                   capture_output=True, text=True).stdout.strip()
            return rev + (" + uncommitted changes" if dirty else "")
        except OSError:
            return "?"

    def build(self):
        self.source_rev = self.git_rev()
        if not self.args.no_build:
            log(f"building api-service and download-worker in {self.src} ({self.source_rev})")
            cmd = ["./mvnw", "-B", "-q", "-ntp", "-DskipTests", "-Dspotless.check.skip=true",
                   "package", "-pl", "api-service,download-worker", "-am"]
            r = subprocess.run(cmd, cwd=self.src)
            if r.returncode != 0:
                raise BenchError("build failed")
        # Private copies: nobody rebuilding target/ meanwhile changes what is measured.
        jars = os.path.join(self.run_dir, "jars")
        os.makedirs(jars, exist_ok=True)
        for module in ("api-service", "download-worker"):
            src = os.path.join(self.src, module, "target", module + ".jar")
            if not os.path.exists(src):
                raise BenchError(f"{src} missing: build first (drop --no-build)")
            shutil.copy2(src, jars)
        self.api_jar = os.path.join(jars, "api-service.jar")
        self.worker_jar = os.path.join(jars, "download-worker.jar")
        # The JVM options the worker is deployed with (scripts/run-local.sh, the image), if the
        # measured source has them: the benchmark measures the services as they run.
        self.worker_jvm_options = []
        options = os.path.join(self.src, "download-worker", "jvm.options")
        if os.path.exists(options):
            shutil.copy2(options, os.path.join(jars, "download-worker.jvm.options"))
            self.worker_jvm_options = ["@" + os.path.join(jars, "download-worker.jvm.options")]
        self.worker_aot = self.prepare_worker_aot(jars) if "scaleout" in self.only else None

    def prepare_worker_aot(self, jars):
        """The worker as an extracted jar with a JDK AOT cache from a training run that stops once
        the Spring context is refreshed (no broker needed): (jar, extra JVM options), or None."""
        dest = os.path.join(jars, "worker-extracted")
        r = subprocess.run([self.java, "-Djarmode=tools", "-jar", self.worker_jar, "extract",
                            "--destination", dest], capture_output=True, text=True, timeout=120)
        jar = os.path.join(dest, "download-worker.jar")
        if r.returncode != 0 or not os.path.exists(jar):
            log(f"no AOT variant of the worker: extract failed: {r.stderr[-300:]}")
            return None
        aot = os.path.join(jars, "download-worker.aot")
        train = os.path.join(self.run_dir, "aot-training")
        os.makedirs(train, exist_ok=True)
        t = time.time()
        r = subprocess.run(
            [self.java] + self.worker_jvm_options
            + [f"-XX:AOTCacheOutput={aot}", "-Dspring.context.exit=onRefresh", "-jar", jar],
            cwd=train, capture_output=True, text=True, timeout=300,
            env={**os.environ, "FETCHQ_STORAGE_DIR": os.path.join(train, "storage"),
                 "SERVER_PORT": "0", "SERVER_ADDRESS": infra.LOOPBACK})
        if not os.path.exists(aot):
            log(f"no AOT variant of the worker: training run failed ({r.returncode}): "
                f"{(r.stdout + r.stderr)[-500:]}")
            return None
        log(f"worker AOT cache: {os.path.getsize(aot) // (1024 * 1024)} MiB, training run "
            f"{time.time() - t:.1f}s")
        return jar, [f"-XX:AOTCache={aot}"]

    def stack(self, name):
        java_opts = self.args.java_opts.split() if self.args.java_opts else []
        s = infra.Stack(self, name, java_opts=java_opts)
        self.registry.add(f"stack {name}", s.stop)
        return s

    def run(self):
        os.makedirs(self.results_dir, exist_ok=True)
        os.makedirs(self.run_dir, exist_ok=True)
        self.registry.add("run dir", lambda: shutil.rmtree(self.run_dir, True))
        self.build()
        self.machine = machine_info(self)
        log(f"machine: {json.dumps(self.machine)}")
        self.manifest = ensure_corpus(os.path.join(self.work, "corpus"), self.sizes,
                                      set(self.only))
        if set(self.only) - {"broker", "submit"}:
            self.nginx = infra.Nginx(os.path.join(self.run_dir, "nginx"),
                                     os.path.join(self.work, "corpus"), self.registry,
                                     slow_rate=self.sizes.slow_rate,
                                     trickle_rate=self.sizes.trickle_rate)
            log(f"nginx origin on {self.nginx.base}")
        started = time.time()
        for name in self.only:
            log(f"=== scenario {name} ({self.repeat} repetition(s)) ===")
            t = time.time()
            try:
                getattr(scenarios, name)(self)
            except (BenchError, OSError, subprocess.SubprocessError, ValueError, KeyError,
                    IndexError) as e:
                # The other scenarios still run; this one's stack is torn down by the registry.
                log(f"scenario {name} failed: {e!r}")
                self.results.note(name, f"FAILED: {e!r}")
            log(f"scenario {name} took {time.time() - t:.0f}s")
        self.elapsed = time.time() - started
        if self.nginx:
            shutil.copy2(self.nginx.access_log, os.path.join(self.results_dir, "access.log"))

    def report(self):
        m = self.machine
        out = [f"# fetchq benchmark — {time.strftime('%Y-%m-%d %H:%M')}"
               f"{' (quick sizes)' if self.args.quick else ''}", "",
               f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gib']} GiB RAM, "
               f"Linux {m['kernel']}, load {m['loadavg_at_start']} at start; "
               f"RabbitMQ {m.get('rabbitmq')} (Erlang {m.get('erlang')}), "
               f"PostgreSQL {m.get('postgresql')} (fsync={m.get('pg_fsync')}, "
               f"synchronous_commit={m.get('pg_synchronous_commit')}), "
               f"Java {m['java']}, nginx {m.get('nginx')}.",
               f"Source: {m['source']}; repetitions: {self.repeat}; "
               f"scenarios: {', '.join(self.only)}; took {self.elapsed / 60:.1f} min.", "",
               self.results.table(), ""]
        for scenario in self.only:
            for text in self.results.notes.get(scenario, []):
                out.append(f"- {scenario}: {text}")
        text = "\n".join(out) + "\n"
        with open(os.path.join(self.results_dir, "results.md"), "w") as f:
            f.write(text)
        with open(os.path.join(self.results_dir, "results.json"), "w") as f:
            json.dump({"machine": m, "sizes": vars(self.sizes), **self.results.as_json()}, f,
                      indent=1, default=str)
        print()
        print(text)
        log(f"results in {self.results_dir}")


def main():
    p = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes, 1 repetition")
    p.add_argument("--repeat", type=int, default=0, help="repetitions per scenario (default 3)")
    p.add_argument("--only", default="", help="comma-separated: " + ",".join(ALL))
    p.add_argument("--no-build", action="store_true", help="use the jars already built in --src")
    p.add_argument("--src", default=os.environ.get("FETCHQ_BENCH_SRC",
                                                   os.path.dirname(BENCH_DIR)),
                   help="fetchq source tree to build and measure (env FETCHQ_BENCH_SRC; "
                        "default: the repository bench/ is in)")
    p.add_argument("--profile", action="store_true",
                   help="record JFR on the api and worker JVMs of the e2e scenario and summarise")
    p.add_argument("--java-opts", default=os.environ.get("FETCHQ_BENCH_JAVA_OPTS", ""),
                   help="extra JVM options for api and workers (env FETCHQ_BENCH_JAVA_OPTS)")
    args = p.parse_args()
    bench = Bench(args)

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    try:
        bench.run()
        bench.report()
        return 0
    except KeyboardInterrupt as e:
        log(f"interrupted ({e}); cleaning up")
        return 130
    except BenchError as e:
        log(f"error: {e}")
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        bench.registry.cleanup()
        signal.signal(signal.SIGINT, signal.SIG_DFL)


if __name__ == "__main__":
    sys.exit(main())
