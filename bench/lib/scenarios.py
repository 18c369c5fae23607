"""The six scenarios of bench/run.sh. Each takes the Bench and records into bench.results."""

import hashlib
import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import infra
from infra import BenchError, log

MIB = 1024 * 1024
LIB = os.path.dirname(os.path.abspath(__file__))
NONFINAL = "('QUEUED','RUNNING','RETRY_SCHEDULED')"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(4 * MIB)
            if not b:
                return h.hexdigest()
            h.update(b)


def nonfinal(stack):
    return int(stack.pg.query(f"select count(*) from job where status in {NONFINAL}")[0][0])


def last_job_id(stack):
    rows = stack.pg.query("select id::text from job order by id desc limit 1")
    return rows[0][0] if rows else "00000000-0000-0000-0000-000000000000"


def wait_all_final(stack, expected_new, since_id, timeout):
    """Polls until `expected_new` jobs newer than since_id exist and none is unfinished.

    The poll is cheap (an index range on status) and gets faster as the end nears, so the end time
    is exact to ~20 ms. Returns the time the condition was first seen.
    """
    deadline = time.time() + timeout
    while time.time() < deadline:
        left = nonfinal(stack)
        if left == 0:
            n = int(stack.pg.query(f"select count(*) from job where id > '{since_id}'")[0][0])
            if n >= expected_new:
                return time.time()
        time.sleep(0.2 if left > 2000 else 0.05 if left > 200 else 0.02)
    raise BenchError(f"jobs not final after {timeout}s: {stack.status_counts()}")


class CpuMeter:
    """CPU seconds by process between start() and stop(): ours by pid, the services by name."""

    def __init__(self, pids):
        self.pids = pids  # label -> pid

    def start(self):
        self.t0 = time.time()
        self.busy0 = infra.machine_busy_seconds()
        self.groups0, self.pid0 = infra.cpu_by_command()
        self.threads0 = {label: infra.thread_cpu(pid) for label, pid in self.pids.items()}

    def stop(self):
        wall = time.time() - self.t0
        busy = infra.machine_busy_seconds() - self.busy0
        groups1, pid1 = infra.cpu_by_command()
        out = {}
        ours = set(self.pids.values())
        for label, pid in self.pids.items():
            if pid in pid1 and pid in self.pid0:
                out[label] = pid1[pid][1] - self.pid0[pid][1]
        for comm, label in (("postgres", "postgres"), ("beam.smp", "rabbitmq"),
                            ("nginx", "nginx"), ("wrk", "wrk"), ("hey", "hey")):
            out[label] = groups1.get(comm, 0) - self.groups0.get(comm, 0)
        others = {}
        for pid, (comm, secs) in pid1.items():
            if pid in ours or comm in ("postgres", "beam.smp", "nginx", "wrk", "hey"):
                continue
            d = secs - (self.pid0[pid][1] if pid in self.pid0 else 0)
            if d > 0:
                others[comm] = others.get(comm, 0) + d
        out["other"] = sum(others.values())
        top_other = sorted(others.items(), key=lambda kv: -kv[1])[:3]
        threads = {}
        for label, pid in self.pids.items():
            before = self.threads0.get(label, {})
            groups = {}
            for tid, (comm, secs) in infra.thread_cpu(pid).items():
                d = secs - (before[tid][1] if tid in before else 0)
                name = re.sub(r"\d+", "#", comm)
                groups[name] = groups.get(name, 0) + d
            threads[label] = sorted(((k, round(v, 2)) for k, v in groups.items() if v >= 0.05),
                                    key=lambda kv: -kv[1])[:6]
        return {"wall": wall, "machine_busy": busy, "by_process": out,
                "top_other": top_other, "threads": threads}


def cpu_text(cpu, jobs=None):
    parts = []
    for k, v in sorted(cpu["by_process"].items(), key=lambda kv: -kv[1]):
        if v >= 0.05:
            per = f" ({v * 1000 / jobs:.2f} ms/job)" if jobs else ""
            parts.append(f"{k} {v:.1f}s{per}")
    cap = (os.cpu_count() or 1) * cpu["wall"]
    return (f"CPU over {cpu['wall']:.1f}s wall: machine busy {cpu['machine_busy']:.1f}s of "
            f"{cap:.1f}s available ({100 * cpu['machine_busy'] / cap:.0f}%); "
            + ", ".join(parts)
            + (f"; other = {', '.join(f'{c} {s:.1f}s' for c, s in cpu['top_other'])}"
               if cpu["top_other"] else "")
            + "".join(f"; {label} threads: " + ", ".join(f"{n} {v:.1f}s" for n, v in groups)
                      for label, groups in cpu.get("threads", {}).items() if groups))


def pg_counters(db):
    commits = int(infra.psql(f"select xact_commit from pg_stat_database where datname = '{db}'"))
    try:
        wal_sync = int(infra.psql("select wal_sync from pg_stat_wal"))
    except BenchError:
        wal_sync = None
    return commits, wal_sync


# --------------------------------------------------------------------------------------------
# 1. end to end


def e2e_batch(bench, stack, tag, first, count):
    """Submits `count` jobs of the small corpus with wrk, waits until all are final, checks them."""
    s = bench.sizes
    base = bench.nginx.base
    jobs_file = os.path.join(stack.dir, f"jobs-{tag}.txt")
    expected = {}
    with open(jobs_file, "w") as f:
        for i in range(first, first + count):
            rel = f"small/s{i:05d}.bin"
            url = f"{base}/{rel}?r={tag}"
            sha = bench.manifest[rel]["sha256"]
            expected[url] = sha
            f.write(json.dumps({"url": url, "sha256": sha, "filename": f"s{i:05d}.bin"}) + "\n")
    done_file = os.path.join(stack.dir, f"done-{tag}")
    since = last_job_id(stack)
    pids = {"api": stack.api.pid}
    pids.update({f"worker {k}": w.pid for k, w in stack.workers.items()})
    cpu = CpuMeter(pids)
    commits0, wal0 = pg_counters(stack.db)
    series, stop_sampling = [], threading.Event()
    cpu.start()
    t0 = time.time()
    wrk = subprocess.Popen(
        ["wrk", "-t1", f"-c{s.e2e_connections}", "-d600s", "--timeout", "30s",
         "-s", os.path.join(LIB, "submit_jobs.lua"), stack.api_base],
        env={**os.environ, "FQB_JOBS": jobs_file, "FQB_DONE": done_file,
             "FQB_AUTH": infra.AUTH_HEADER["Authorization"]},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler_pg = infra.PgSession(stack.db)

    def sample():
        n = 0
        while not stop_sampling.is_set():
            rows = sampler_pg.query(f"select status, count(*) from job where id > '{since}' "
                                    "group by status")
            ob = int(sampler_pg.query("select count(*) from outbox_message")[0][0])
            point = {"t": round(time.time() - t0, 2), "outbox": ob,
                     **{r[0]: int(r[1]) for r in rows}}
            if n % 4 == 0:  # the management API refreshes queue counts every 5 s anyway
                try:
                    depths = infra.queue_depths(stack.vhost)
                    for q in ("fetchq.jobs.v1", "fetchq.events.v1"):
                        if q in depths:
                            point[q] = sum(depths[q])
                except BenchError:
                    pass
            series.append(point)
            n += 1
            stop_sampling.wait(0.5)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        infra.wait_until(lambda: os.path.exists(done_file) or wrk.poll() is not None,
                         timeout=max(120, count / 20), interval=0.01, what="wrk submissions")
        t_submitted = time.time()
    finally:
        if wrk.poll() is None:
            wrk.send_signal(signal.SIGINT)
        try:
            wrk_out, wrk_err = wrk.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            wrk.kill()
            wrk_out, wrk_err = wrk.communicate()
    if not os.path.exists(done_file):
        stop_sampling.set()
        raise BenchError(f"wrk ended before submitting everything: {wrk_err[-500:]}")
    accepted, failed = (int(x) for x in open(done_file).read().split())
    try:
        t_end = wait_all_final(stack, accepted, since, timeout=max(300, count / 10))
    finally:
        stop_sampling.set()
        sampler.join(5)
        sampler_pg.close()
    cpu_used = cpu.stop()
    commits1, wal1 = pg_counters(stack.db)

    # Ledger: every job succeeded once, with the right bytes in the database and on disk.
    rows = stack.pg.query(
        "select j.id, j.status, j.url, coalesce(j.sha256,''), coalesce(j.storage_key,''), "
        "j.attempts, (select count(*) from job_attempt a where a.job_id = j.id "
        "and a.outcome = 'SUCCEEDED') "
        f"from job j where j.id > '{since}'")
    ok, problems = 0, []
    for job_id, status, url, sha, key, attempts, succeeded_attempts in rows:
        want = expected.get(url)
        path = os.path.join(stack.storage, key) if key else None
        on_disk = sha256_file(path) if path and os.path.exists(path) else None
        if status == "SUCCEEDED" and sha == want and on_disk == want \
                and succeeded_attempts == "1":
            ok += 1
        elif len(problems) < 5:
            problems.append(f"{job_id} {status} attempts={attempts} "
                            f"sha_ok={sha == want} disk_ok={on_disk == want}")
    hits = bench.nginx.read_log(f"r={tag}")
    by_uri = {}
    for h in hits:
        by_uri.setdefault(h["uri"], []).append(h)
    refetched = sum(len(v) - 1 for v in by_uri.values())
    origin_first = min((h["start"] for h in hits), default=t0) - t0
    origin_last = max((h["end"] for h in hits), default=t0) - t0
    bad_hits = sum(1 for h in hits if h["status"] != 200 or h["body_bytes"] != s.small_size)
    return {
        "count": count, "accepted": accepted, "failed_posts": failed,
        "rows": len(rows), "ok": ok, "problems": problems,
        "seconds": t_end - t0, "jobs_per_s": count / (t_end - t0),
        "submit_seconds": t_submitted - t0, "posts_per_s": accepted / (t_submitted - t0),
        "origin_requests": len(hits), "origin_urls": len(by_uri), "origin_refetched": refetched,
        "origin_bad": bad_hits, "cpu": cpu_used, "series": series,
        "origin_first_s": origin_first, "origin_last_s": origin_last,
        "pg_commits": commits1 - commits0,
        "pg_wal_syncs": (wal1 - wal0) if wal0 is not None and wal1 is not None else None,
        "wrk_stderr": wrk_err[-500:],
    }


def phases(series, submit_seconds):
    """When the stages finished, from the 0.5 s samples."""
    relay = next((p["t"] for p in series if p["t"] >= submit_seconds and p["outbox"] == 0), None)
    started = next((p["t"] for p in series if p["t"] >= submit_seconds
                    and p.get("QUEUED", 0) == 0), None)
    peak_outbox = max((p["outbox"] for p in series), default=0)
    peak_queued = max((p.get("QUEUED", 0) for p in series), default=0)
    peak_running = max((p.get("RUNNING", 0) for p in series), default=0)
    peak_jobs_q = max((p.get("fetchq.jobs.v1", 0) for p in series), default=0)
    peak_events_q = max((p.get("fetchq.events.v1", 0) for p in series), default=0)

    def at(t):
        return f"{t}s" if t is not None else "not seen in the 0.5 s samples"
    return (f"outbox empty again at {at(relay)} (peak {peak_outbox} rows), no job QUEUED at "
            f"{at(started)} (peak {peak_queued}), peak RUNNING {peak_running}; peak messages "
            f"(ready + unacked, management API, 5 s refresh) in fetchq.jobs.v1 {peak_jobs_q}, "
            f"in fetchq.events.v1 {peak_events_q}")


def e2e(bench):
    s, res = bench.sizes, bench.results
    stack = bench.stack("e2e")
    stack.up(workers=2)
    # JIT: a full-size, unmeasured round first (the C2 compiler still burns whole seconds of CPU in
    # the second 10,000-job round), plus the extra files so warm-up URLs are distinct.
    log(f"warm-up: {s.small_count + s.e2e_warmup} jobs, not measured")
    e2e_batch(bench, stack, "warmup", 0, s.small_count + s.e2e_warmup)
    stack.wait_idle()
    before = infra.settled_message_stats(stack.vhost)
    profile = Profile(bench, "e2e", [stack.api] + list(stack.workers.values()))
    for rep in range(1, bench.repeat + 1):
        r = e2e_batch(bench, stack, f"e2e{rep}", 0, s.small_count)
        stack.wait_idle()
        after = infra.settled_message_stats(stack.vhost)
        delta = {k: after.get(k, 0) - before.get(k, 0) for k in after}
        before = after
        n = s.small_count
        log(f"e2e rep {rep}: {r['jobs_per_s']:.0f} jobs/s ({r['seconds']:.2f}s), "
            f"POSTs {r['posts_per_s']:.0f}/s, ledger {r['ok']}/{n}")
        res.add("e2e", f"throughput, {n} jobs x 4 KiB, api + 2 workers (jobs/s)",
                r["jobs_per_s"], "≥ 2,500", lambda v: v >= 2500)
        res.add("e2e", "POST /jobs rate while submitting them (wrk, 16 conns) (POST/s)",
                r["posts_per_s"])
        res.add("e2e", "ledger: jobs SUCCEEDED once with the right SHA-256 in DB and on disk",
                r["ok"], f"= {n}", lambda v: v == n)
        res.add("e2e", "origin requests per job (nginx access log)",
                r["origin_requests"] / n, "= 1", lambda v: abs(v - 1) < 1e-9, "{:.3f}")
        res.add("e2e", "PostgreSQL commits per job (pg_stat_database, e2e db)",
                r["pg_commits"] / n, "", None, "{:.2f}")
        if r["pg_wal_syncs"] is not None:
            res.add("e2e", "PostgreSQL WAL fsyncs per job (pg_stat_wal, whole server)",
                    r["pg_wal_syncs"] / n, "", None, "{:.2f}")
        res.add("broker", "messages published per job (management API, e2e vhost)",
                delta.get("vhost.publish", 0) / n, "", None, "{:.2f}")
        exchanges = {k.split(".", 1)[1]: v / n for k, v in delta.items()
                     if k.startswith("exchange.") and v}
        res.note("e2e", f"rep {rep}: {r['seconds']:.2f}s; submitting took "
                 f"{r['submit_seconds']:.2f}s; origin GETs from {r['origin_first_s']:.2f}s to "
                 f"{r['origin_last_s']:.2f}s; {phases(r['series'], r['submit_seconds'])}; "
                 f"{cpu_text(r['cpu'], n)}; origin: {r['origin_requests']} requests for "
                 f"{r['origin_urls']} URLs, {r['origin_refetched']} repeated, "
                 f"{r['origin_bad']} not 200/4096 B; "
                 f"POST failures {r['failed_posts']}; "
                 f"published per job by exchange: "
                 + ", ".join(f"{k} {v:.2f}" for k, v in sorted(exchanges.items()))
                 + (f"; problems: {r['problems']}" if r["problems"] else ""))
        bench.results.detail("e2e", rep, {k: v for k, v in r.items()})
    profile.finish()
    stack.stop()


# --------------------------------------------------------------------------------------------
# 1b. the workers on their own


def queue_jobs(bench, stack, tag, first, count):
    """POSTs `count` small-corpus jobs with wrk (api running, no worker); returns {url: sha256}."""
    s = bench.sizes
    jobs_file = os.path.join(stack.dir, f"jobs-{tag}.txt")
    expected = {}
    with open(jobs_file, "w") as f:
        for i in range(first, first + count):
            rel = f"small/s{i:05d}.bin"
            url = f"{bench.nginx.base}/{rel}?r={tag}"
            expected[url] = bench.manifest[rel]["sha256"]
            f.write(json.dumps({"url": url, "sha256": expected[url],
                                "filename": f"s{i:05d}.bin"}) + "\n")
    done_file = os.path.join(stack.dir, f"done-{tag}")
    wrk = subprocess.Popen(
        ["wrk", "-t1", f"-c{s.e2e_connections}", "-d600s", "--timeout", "30s",
         "-s", os.path.join(LIB, "submit_jobs.lua"), stack.api_base],
        env={**os.environ, "FQB_JOBS": jobs_file, "FQB_DONE": done_file,
             "FQB_AUTH": infra.AUTH_HEADER["Authorization"]},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        infra.wait_until(lambda: os.path.exists(done_file) or wrk.poll() is not None,
                         timeout=max(120, count / 20), interval=0.05, what="wrk submissions")
    finally:
        if wrk.poll() is None:
            wrk.send_signal(signal.SIGINT)
        try:
            _, wrk_err = wrk.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            wrk.kill()
            _, wrk_err = wrk.communicate()
    if not os.path.exists(done_file):
        raise BenchError(f"wrk ended before submitting everything: {wrk_err[-500:]}")
    accepted, failed = (int(x) for x in open(done_file).read().split())
    if accepted != count:
        raise BenchError(f"{tag}: {accepted} of {count} jobs accepted ({failed} failed)")
    return expected


class CpuSeries(threading.Thread):
    """CPU seconds of some processes sampled every 0.2 s, to read the CPU of a time window."""

    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.samples, self.halt = pids, [], threading.Event()

    def run(self):
        while not self.halt.is_set():
            groups, per_pid = infra.cpu_by_command()
            point = {label: per_pid[pid][1] for label, pid in self.pids.items() if pid in per_pid}
            point["rabbitmq"] = groups.get("beam.smp", 0)
            point["nginx"] = groups.get("nginx", 0)
            self.samples.append((time.time(), point, infra.machine_busy_seconds()))
            self.halt.wait(0.2)

    def window(self, t0, t1):
        """CPU seconds used between the samples nearest to t0 and t1, by label, plus machine."""
        a = min(self.samples, key=lambda p: abs(p[0] - t0))
        b = min(self.samples, key=lambda p: abs(p[0] - t1))
        out = {k: b[1].get(k, 0) - a[1].get(k, 0) for k in b[1]}
        return b[0] - a[0], b[2] - a[2], out


def workers(bench):
    """The workers alone: jobs queued beforehand (api stopped, so nothing else competes), drained
    by 2 workers; a warm-up batch of the same size goes first through the same worker JVMs."""
    s, res = bench.sizes, bench.results
    stack = bench.stack("workers")
    stack.start_api()
    stack.wait_ready(stack.api)
    stack.pg = infra.PgSession(stack.db)
    stack.registry.add("psql session", stack.pg.close)
    n = s.small_count
    batches = [("wkwarm", s.small_count + s.e2e_warmup)] + \
        [(f"wk{rep}", n) for rep in range(1, bench.repeat + 1)]
    expected = {}
    for tag, count in batches:
        expected[tag] = queue_jobs(bench, stack, tag, 0, count)
    infra.wait_until(lambda: stack.outbox_count() == 0, 300, 0.2, "the relay to publish every job")
    log(f"workers: {sum(c for _, c in batches)} jobs queued; api stopped, starting 2 workers")
    stack.api.stop()
    ws = [stack.start_worker(f"w{i}") for i in (1, 2)]
    cpu = CpuSeries({w.name: w.pid for w in ws})
    cpu.start()
    total = sum(c for _, c in batches)
    profile = None
    try:
        if bench.args.profile:
            # JFR on the measured batches only: from the first GET of the first of them.
            infra.wait_until(lambda: bench.nginx.read_log("r=wk1"), max(300, total / 20), 0.2,
                             "the first measured job")
            profile = Profile(bench, "workers", ws)
        infra.wait_until(lambda: len(bench.nginx.read_log("r=wk")) >= total,
                         max(300, total / 20), 1.0, "the workers to fetch every file")
        time.sleep(1)  # the last outcomes are confirmed and acked right after their GET
        depths = infra.queue_depths(stack.vhost)
    finally:
        cpu.halt.set()
        cpu.join(5)
    if profile:
        profile.finish()
    # The api projects the queued events; the ledger is the e2e one.
    stack.start_api()
    stack.wait_ready(stack.api)
    since = "00000000-0000-0000-0000-000000000000"
    wait_all_final(stack, total, since, timeout=600)
    for tag, count in batches[1:]:
        hits = bench.nginx.read_log(f"r={tag}")
        first = min(h["start"] for h in hits)
        last = max(h["end"] for h in hits)
        wall, busy, used = cpu.window(first, last)
        rows = stack.pg.query(
            "select j.url, j.status, coalesce(j.sha256,''), coalesce(j.storage_key,''), "
            "(select count(*) from job_attempt a where a.job_id = j.id "
            f"and a.outcome = 'SUCCEEDED') from job j where j.url like '%r={tag}'")
        ok = sum(1 for url, status, sha, key, once in rows
                 if status == "SUCCEEDED" and sha == expected[tag].get(url) and once == "1"
                 and sha256_file(os.path.join(stack.storage, key)) == sha)
        rate = count / (last - first)
        worker_cpu = sum(v for k, v in used.items() if k.startswith("w"))
        log(f"workers {tag}: {rate:.0f} jobs/s ({last - first:.2f}s), ledger {ok}/{count}")
        res.add("workers", f"throughput, {count} queued jobs x 4 KiB, 2 workers alone (jobs/s)",
                rate, "≥ 2,500", lambda v: v >= 2500)
        res.add("workers", "  worker CPU per job (ms, both workers)",
                worker_cpu * 1000 / count, "", None, "{:.2f}")
        res.add("workers", "  ledger: jobs SUCCEEDED once with the right SHA-256",
                ok, f"= {count}", lambda v, c=count: v == c)
        res.note("workers", f"{tag}: first GET to last GET {last - first:.2f}s, "
                 f"{len(hits)} origin requests; CPU over {wall:.1f}s: machine busy {busy:.1f}s "
                 f"of {(os.cpu_count() or 1) * wall:.1f}s; "
                 + ", ".join(f"{k} {v:.1f}s ({v * 1000 / count:.2f} ms/job)"
                             for k, v in sorted(used.items())))
        bench.results.detail("workers", tag, {"jobs_per_s": rate, "seconds": last - first,
                                              "cpu": used, "machine_busy": busy, "ok": ok})
    res.note("workers", f"queues right after the last GET: {depths}")
    stack.stop()


class Profile:
    """JFR (settings=profile) on the given JVMs for the measured repetitions only (--profile)."""

    def __init__(self, bench, scenario, procs):
        self.bench, self.scenario, self.recordings = bench, scenario, {}
        if not bench.args.profile:
            return
        self.dir = os.path.join(bench.results_dir, "jfr", scenario)
        os.makedirs(self.dir, exist_ok=True)
        for proc in procs:
            path = os.path.join(self.dir, f"{scenario}-{proc.name}.jfr")
            jcmd(bench, proc.pid, "JFR.start", "name=bench", "settings=profile",
                 f"filename={path}")
            self.recordings[proc.pid] = path

    def finish(self):
        if not self.recordings:
            return
        for pid in self.recordings:
            jcmd(self.bench, pid, "JFR.stop", "name=bench")
        import jfr_summary
        out = os.path.join(self.bench.results_dir, f"profile-{self.scenario}.md")
        jfr_summary.write_summary(self.bench.jfr, self.dir, out,
                                  title=f"JFR summary of the {self.scenario} scenario "
                                        "(measured repetitions only)")
        self.bench.results.note(self.scenario, f"JFR profile summarised in {out}")
        self.recordings = {}


def jcmd(bench, pid, *command):
    tool = os.path.join(os.path.dirname(bench.java), "jcmd")
    r = subprocess.run([tool, str(pid), *command], capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise BenchError(f"jcmd {pid} {' '.join(command)}: {r.stdout[-300:]} {r.stderr[-300:]}")


# --------------------------------------------------------------------------------------------
# 2. submission


def run_wrk_static(stack, body_file, seconds, connections, threads=2):
    out = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", os.path.join(LIB, "post_static.lua"), stack.api_base + "/jobs"],
        env={**os.environ, "FQB_BODY": body_file, "FQB_AUTH": infra.AUTH_HEADER["Authorization"]},
        capture_output=True, text=True,
        timeout=seconds + 60)
    m = re.search(r"^FQB (\{.*\})$", out.stdout, re.M)
    if not m:
        raise BenchError(f"wrk gave no result: {out.stdout[-500:]} {out.stderr[-500:]}")
    return json.loads(m.group(1))


def run_hey_fixed(stack, body_file, seconds, rate, clients):
    per_client = rate / clients
    out = subprocess.run(
        ["hey", "-z", f"{seconds}s", "-c", str(clients), "-q", f"{per_client:g}", "-t", "10",
         "-m", "POST", "-T", "application/json", "-D", body_file, "-o", "csv",
         "-H", f"Authorization: {infra.AUTH_HEADER['Authorization']}",
         stack.api_base + "/jobs"],
        capture_output=True, text=True, timeout=seconds + 60)
    lat, statuses = [], {}
    for line in out.stdout.splitlines()[1:]:
        p = line.split(",")
        if len(p) < 8:
            continue
        statuses[p[6]] = statuses.get(p[6], 0) + 1
        if p[6] == "202":
            lat.append(float(p[0]))
    if not lat:
        raise BenchError(f"hey gave no result: {out.stdout[-300:]} {out.stderr[-300:]}")
    lat.sort()

    def pct(q):
        return lat[min(len(lat) - 1, int(q / 100 * len(lat)))] * 1000
    return {"accepted": statuses.get("202", 0), "statuses": statuses,
            "rate": statuses.get("202", 0) / seconds, "p50_ms": pct(50), "p99_ms": pct(99),
            "max_ms": lat[-1] * 1000}


def submit(bench):
    s, res = bench.sizes, bench.results
    stack = bench.stack("submit")
    stack.start_api()
    stack.wait_ready(stack.api)
    stack.pg = infra.PgSession(stack.db)
    stack.registry.add("psql session", stack.pg.close)
    body_file = os.path.join(stack.dir, "body.json")
    # No worker consumes this vhost: the URL is never fetched (port 9, loopback, is "discard").
    with open(body_file, "w") as f:
        json.dump({"url": "http://127.0.0.1:9/submission-only.bin",
                   "sha256": "0" * 64, "filename": "submission-only.bin"}, f)

    def rows():
        return int(stack.pg.query("select count(*) from job")[0][0])

    def drain():
        t = time.time()
        infra.wait_until(lambda: stack.outbox_count() == 0, 300, 0.05, "outbox to drain")
        return time.time() - t

    warm = 3 if s.quick else 30
    log(f"warm-up: {warm} s of POSTs, not measured")
    run_wrk_static(stack, body_file, warm, s.submit_connections)
    drain()
    profile = Profile(bench, "submit", [stack.api])
    for rep in range(1, bench.repeat + 1):
        n0 = rows()
        cpu = CpuMeter({"api": stack.api.pid})
        cpu.start()
        w = run_wrk_static(stack, body_file, s.submit_seconds, s.submit_connections)
        cpu_used = cpu.stop()
        backlog = stack.outbox_count()
        drain_s = drain()
        n1 = rows()
        rate = w["accepted"] / (w["duration_us"] / 1e6)
        res.add("submit", f"max durable POST /jobs, wrk {s.submit_connections} conns "
                f"{s.submit_seconds}s (202/s)", rate, "≥ 5,000", lambda v: v >= 5000)
        res.add("submit", "  latency p99 at that load (ms)", w["p99_us"] / 1000, "", None,
                "{:.1f}")
        res.note("submit", f"rep {rep} max: {w['accepted']} answered 202, {n1 - n0} job rows "
                 f"committed (rows ≥ 202s: {n1 - n0 >= w['accepted']}), {w['other']} other "
                 f"answers, errors connect/read/write/timeout {w['connect_errors']}/"
                 f"{w['read_errors']}/{w['write_errors']}/{w['timeouts']}; p50 "
                 f"{w['p50_us'] / 1000:.1f} ms; relay backlog at the end {backlog} rows, "
                 f"drained in {drain_s:.1f}s; {cpu_text(cpu_used, w['accepted'])}")
        n0 = rows()
        h = run_hey_fixed(stack, body_file, s.submit_seconds, s.fixed_rate, s.fixed_clients)
        drain_s = drain()
        n1 = rows()
        res.add("submit", f"at a fixed {s.fixed_rate:,}/s (hey, {s.fixed_clients} clients): "
                "achieved (202/s)", h["rate"], f"{s.fixed_rate:,}",
                lambda v: v >= 0.97 * s.fixed_rate)
        res.add("submit", "  latency p50 (ms)", h["p50_ms"], "", None, "{:.1f}")
        res.add("submit", "  latency p99 (ms)", h["p99_ms"], "< 50", lambda v: v < 50, "{:.1f}")
        res.note("submit", f"rep {rep} fixed rate: statuses {h['statuses']}, {n1 - n0} rows "
                 f"committed, max {h['max_ms']:.0f} ms, relay drained {drain_s:.1f}s after")
    profile.finish()
    stack.stop()


# --------------------------------------------------------------------------------------------
# 3. large files


class RssSampler(threading.Thread):
    def __init__(self, pids):
        super().__init__(daemon=True)
        self.pids, self.peak, self.stopped = pids, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for pid in self.pids:
                self.peak = max(self.peak, infra.proc_status_kib(pid, "VmRSS") or 0)
            self.stopped.wait(0.05)


def large_batch(bench, stack, tag, count):
    base = bench.nginx.base
    files = [f"large/l{i:02d}.bin" for i in range(count)]
    pids = [w.pid for w in stack.workers.values()]
    hwm_reset = all(infra.reset_peak_rss(p) for p in pids)
    sampler = RssSampler(pids)
    sampler.start()
    cpu = CpuMeter({name: w.pid for name, w in stack.workers.items()})
    cpu.start()
    since = last_job_id(stack)
    t0 = time.time()
    ids = {stack.submit(f"{base}/{rel}?r={tag}", bench.manifest[rel]["sha256"],
                        os.path.basename(rel)): rel for rel in files}
    t_end = wait_all_final(stack, count, since, timeout=600)
    cpu_used = cpu.stop()
    sampler.stopped.set()
    sampler.join()
    hwm = max(infra.proc_status_kib(p, "VmHWM") or 0 for p in pids)
    total = sum(bench.manifest[rel]["size"] for rel in files)
    ok = 0
    for job_id, rel in ids.items():
        row = stack.pg.query(f"select status, sha256, storage_key from job where id = '{job_id}'")
        status, sha, key = row[0]
        path = os.path.join(stack.storage, key) if key else ""
        want = bench.manifest[rel]["sha256"]
        if status == "SUCCEEDED" and sha == want and os.path.exists(path) \
                and sha256_file(path) == want:
            ok += 1
        if path and os.path.exists(path):
            os.remove(path)
    workers_cpu = sum(cpu_used["by_process"].get(name, 0) for name in stack.workers)
    return {"mib_s": total / MIB / (t_end - t0), "seconds": t_end - t0, "ok": ok,
            "worker_cpu_s_per_gib": workers_cpu / (total / (1024 * MIB)), "cpu": cpu_used,
            "peak_rss_mib": (hwm if hwm_reset else sampler.peak) / 1024,
            "sampled_peak_rss_mib": sampler.peak / 1024, "hwm_reset": hwm_reset}


def curl_batch(bench, dest, tag, count, parallel):
    os.makedirs(dest, exist_ok=True)
    files = [f"large/l{i:02d}.bin" for i in range(count)]

    def fetch(rel):
        out = os.path.join(dest, os.path.basename(rel))
        subprocess.run(["curl", "-sS", "--fail", "--noproxy", "*", "-o", out,
                        f"{bench.nginx.base}/{rel}?r={tag}"], check=True, timeout=600)
        return out
    t0 = time.time()
    with ThreadPoolExecutor(parallel) as pool:
        outs = list(pool.map(fetch, files))
    seconds = time.time() - t0
    sizes = sum(os.path.getsize(o) for o in outs)
    for o in outs:
        os.remove(o)
    return {"mib_s": sizes / MIB / seconds, "seconds": seconds}


def large(bench):
    s, res = bench.sizes, bench.results
    stack = bench.stack("large")
    stack.up(workers=2)
    n = s.large_count
    log(f"warm-up: {n} large files, not measured")
    large_batch(bench, stack, "lwarm", n)
    profile = Profile(bench, "large", list(stack.workers.values()))
    for rep in range(1, bench.repeat + 1):
        r = large_batch(bench, stack, f"large{rep}", n)
        c = curl_batch(bench, os.path.join(stack.dir, "curl"), f"curl{rep}", n, s.curl_parallel)
        log(f"large rep {rep}: {r['mib_s']:.0f} MiB/s, peak RSS {r['peak_rss_mib']:.0f} MiB, "
            f"curl {c['mib_s']:.0f} MiB/s")
        res.add("large", f"{n} x 50 MiB through 2 workers, SHA-256 checked (MiB/s)",
                r["mib_s"], "≥ 1,000", lambda v: v >= 1000)
        res.add("large", "  peak worker RSS (MiB, VmHWM)", r["peak_rss_mib"], "≤ 256",
                lambda v: v <= 256)
        res.add("large", f"  reference: curl to disk, {s.curl_parallel} parallel (MiB/s)",
                c["mib_s"])
        res.add("large", "  ledger: files SUCCEEDED with the right SHA-256 in DB and on disk",
                r["ok"], f"= {n}", lambda v, n=n: v == n)
        res.add("large", "  worker CPU per GiB stored (s, both workers)",
                r["worker_cpu_s_per_gib"], "", None, "{:.2f}")
        res.note("large", f"rep {rep}: fetchq {r['seconds']:.2f}s, curl {c['seconds']:.2f}s; "
                 f"{cpu_text(r['cpu'])}; "
                 f"RSS sampled every 50 ms peaked at {r['sampled_peak_rss_mib']:.0f} MiB "
                 f"(VmHWM reset per repetition: {r['hwm_reset']})")
    profile.finish()
    stack.stop()


# --------------------------------------------------------------------------------------------
# 4. recovery


def recovery(bench):
    s, res = bench.sizes, bench.results
    stack = bench.stack("recovery")
    stack.up(workers=2)
    rel = f"big/r{s.recovery_size // MIB}.bin"
    want = bench.manifest[rel]["sha256"]
    size = s.recovery_size
    spare = 3
    for rep in range(1, bench.repeat + 1):
        live = [w for w in stack.workers.values() if w.alive()]
        while len(live) < 2:
            w = stack.start_worker(f"w{spare}")
            spare += 1
            stack.wait_ready(w)
            live.append(w)
        tag = f"rec{rep}"
        job_id = stack.submit(f"{bench.nginx.base}/slow/{rel}?r={tag}", want, "big.bin")
        part = infra.storage_path(stack.storage, job_id) + ".part"

        def half_done():
            return os.path.exists(part) and os.path.getsize(part) >= size // 2
        infra.wait_until(half_done, 120, 0.01, "the download to reach half way")
        worker_id = stack.pg.query(f"select worker from job where id = '{job_id}'")[0][0]
        victim = stack.workers.get(worker_id)
        if victim is None:
            raise BenchError(f"job {job_id} runs on unknown worker {worker_id!r}")
        size_at_kill = os.path.getsize(part)
        t_kill = time.time()
        victim.kill9()
        log(f"recovery rep {rep}: killed {worker_id} (pid {victim.pid}) at "
            f"{size_at_kill / MIB:.0f} MiB")

        def written_again():
            # Another worker either restarts the file (truncates it) or resumes it (Range): in both
            # cases its size moves away from what the killed worker left. Gone = already committed.
            try:
                return os.path.getsize(part) != size_at_kill
            except FileNotFoundError:
                return True
        try:
            infra.wait_until(written_again, 60, 0.002, "another worker to write the file again")
            t_trunc = time.time()
        except BenchError:
            t_trunc = None
        wait_all_final(stack, 0, job_id, timeout=size / MIB / 10 + 120)
        status, sha, key, final_worker = stack.pg.query(
            f"select status, sha256, storage_key, worker from job where id = '{job_id}'")[0]
        path = os.path.join(stack.storage, key) if key else ""
        ok = status == "SUCCEEDED" and sha == want and os.path.exists(path) \
            and sha256_file(path) == want
        if path and os.path.exists(path):
            os.remove(path)
        hits = sorted(bench.nginx.read_log(f"r={tag}"), key=lambda h: h["start"])
        after = [h for h in hits if h["start"] >= t_kill - 0.002]
        resume = (after[0]["start"] - t_kill) if after else None
        fetched = sum(h["body_bytes"] for h in hits)
        refetched = fetched - size
        res.add("recovery", "kill -9 mid-download → another worker's GET reaches the origin (s)",
                resume, "≤ 1", lambda v: v <= 1, "{:.2f}")
        res.add("recovery", "  kill -9 → the .part file written again by the other worker (s)",
                (t_trunc - t_kill) if t_trunc else None, "", None, "{:.2f}")
        res.add("recovery", f"  bytes fetched again (% of the {size // MIB} MiB file)",
                100 * refetched / size, "≤ 5 %", lambda v: v <= 5, "{:.1f}")
        res.add("recovery", "  ledger: job SUCCEEDED with the right SHA-256", 1 if ok else 0,
                "= 1", lambda v: v == 1)
        res.note("recovery", f"rep {rep}: killed {worker_id} at {size_at_kill / MIB:.0f} MiB "
                 f"written; origin saw {len(hits)} GETs sending {fetched / MIB:.0f} MiB in all "
                 f"({refetched / MIB:.0f} MiB again); final worker {final_worker}; {status}")
    stack.stop()


# --------------------------------------------------------------------------------------------
# 5. scale-out


STARTUP_MARKERS = [
    ("Starting WorkerApplication", "JVM up, Spring starting"),
    ("Root WebApplicationContext: initialization completed", "context initialised"),
    ("Tomcat started", "actuator port open"),
    ("Started WorkerApplication", "Spring started"),
    ("Control stream read up to marker", "control stream caught up"),
    ("Cancellations read; consuming jobs", "job consumers started"),
]


def startup_timeline(log_path, t0):
    """Seconds after t0 at which the worker logged each start-up step (plain or JSON logs)."""
    from datetime import datetime
    found = {}
    with open(log_path, errors="replace") as f:
        for line in f:
            for marker, label in STARTUP_MARKERS:
                if label in found or marker not in line:
                    continue
                m = re.search(r'"@timestamp":"([^"]+)"', line) or \
                    re.match(r"(\d{4}-\d\d-\d\dT[\d:.]+Z)", line)
                if m:
                    stamp = re.sub(r"(\.\d{6})\d*", r"\1", m.group(1)).replace("Z", "+00:00")
                    found[label] = datetime.fromisoformat(stamp).timestamp() - t0
    return ", ".join(f"{label} {found[label]:.2f}" for _, label in STARTUP_MARKERS
                     if label in found) or "no markers found"


def scaleout(bench):
    s, res = bench.sizes, bench.results
    stack = bench.stack("scaleout")
    stack.up(workers=2)
    base = bench.nginx.base
    # The worker jar as built (what the image and run-local.sh start today), then, when it could be
    # prepared, the extracted jar with a JDK AOT cache (see Bench.prepare_worker_aot).
    variants = [("jar", None, "new worker process started")]
    if bench.worker_aot:
        variants.append(("aot", bench.worker_aot,
                         "new worker (extracted jar + AOT cache) started"))
    for variant, start, label in variants:
        for rep in range(1, bench.repeat + 1):
            scaleout_once(bench, stack, base, f"{variant}{rep}", start, label)
    stack.stop()


def scaleout_once(bench, stack, base, tag, variant, label):
    s, res = bench.sizes, bench.results
    ids = []
    # Keep the 2 workers' 8 consumers busy with slow downloads, and leave a backlog queued.
    for i in range(s.scaleout_busy):
        ids.append(stack.submit(f"{base}/trickle/large/l00.bin?r=so{tag}b{i}"))
    # (RUNNING once their Started event is out: fetchq.worker.started-event-delay after they began)
    infra.wait_until(lambda: stack.status_counts().get("RUNNING", 0) >= s.scaleout_busy,
                     60, 0.1, "the existing workers to be busy")
    for i in range(s.scaleout_backlog):
        ids.append(stack.submit(f"{base}/trickle/large/l01.bin?r=so{tag}q{i}"))
    infra.wait_until(lambda: stack.outbox_count() == 0, 30, 0.05, "the backlog to be queued")
    time.sleep(0.5)
    wid = f"scale{tag}"
    t0 = time.time()
    w = stack.start_worker(wid, variant)
    t_ready = stack.wait_ready(w)

    def first_job():
        r = stack.pg.query("select extract(epoch from min(started_at)) from job_attempt "
                           f"where worker = '{wid}'")
        return float(r[0][0]) if r and r[0][0] else None
    t_first = infra.wait_until(first_job, 120, 0.02, f"{wid} to take a job")
    rss = infra.proc_status_kib(w.pid, "VmRSS")
    jvm = startup_timeline(w.log_path, t0)
    res.add("scaleout", f"{label} → its first job taken (s)",
            t_first - t0, "≤ 2", lambda v: v <= 2, "{:.2f}")
    res.add("scaleout", f"  {label} → ready (s)", t_ready - t0, "", None, "{:.2f}")
    res.note("scaleout", f"{tag}: first job {t_first - t0:.2f}s, ready "
             f"{t_ready - t0:.2f}s; RSS then {rss // 1024 if rss else '?'} MiB; from the worker's "
             f"log, seconds after the process was started: {jvm}")
    for job_id in ids:  # end the slow downloads
        infra.http("DELETE", f"{stack.api_base}/jobs/{job_id}", headers=infra.AUTH_HEADER)
    stack.wait_idle(timeout=120)
    w.stop()
    stack.workers.pop(wid, None)


# --------------------------------------------------------------------------------------------
# 6. broker


def perftest_classpath(bench):
    cp_file = os.path.join(bench.work, "perftest.classpath")
    if not os.path.exists(cp_file):
        log("resolving RabbitMQ PerfTest from Maven Central")
        r = subprocess.run([os.path.join(bench.src, "mvnw"), "-B", "-q", "-ntp",
                            "-f", os.path.join(os.path.dirname(LIB), "perftest", "pom.xml"),
                            "dependency:build-classpath", f"-Dmdep.outputFile={cp_file}"],
                           cwd=os.path.join(os.path.dirname(LIB), "perftest"))
        if r.returncode != 0 or not os.path.exists(cp_file):
            raise BenchError("could not resolve com.rabbitmq:perf-test")
    return open(cp_file).read().strip()


def perftest(bench, vhost, queue, seconds, producers, confirm_window):
    uri = f"amqp://{infra.RABBIT_USER}:{infra.RABBIT_PASSWORD}@{infra.LOOPBACK}:" \
          f"{infra.RABBIT_PORT}/{infra.vhost_path(vhost)}"
    out = subprocess.run(
        [bench.java, "-cp", perftest_classpath(bench), "com.rabbitmq.perf.PerfTest",
         "--uri", uri, "--quorum-queue", "--queue", queue, "--flag", "persistent",
         "--confirm", str(confirm_window), "--producers", str(producers), "--consumers", "1",
         "--qos", "500", "--size", "300", "--time", str(seconds)],
        capture_output=True, text=True, timeout=seconds + 120)
    sent = re.search(r"sending rate avg: (\d+) msg/s", out.stdout)
    recv = re.search(r"receiving rate avg: (\d+) msg/s", out.stdout)
    lat = re.search(r"confirm latency min/median/75th/95th/99th (\d+)/(\d+)/", out.stdout)
    if not sent:
        raise BenchError(f"PerfTest gave no rate: {out.stdout[-400:]} {out.stderr[-400:]}")
    return int(sent.group(1)), int(recv.group(1)) if recv else None, \
        (int(lat.group(2)) / 1000 if lat else None)


def broker(bench):
    s, res = bench.sizes, bench.results
    vhost = f"fqbench-{bench.run_id}-broker"
    reg = infra.Registry()
    bench.registry.add("broker vhost", reg.cleanup)
    infra.create_vhost(vhost, reg)
    for rep in range(1, bench.repeat + 1):
        sent, recv, lat = perftest(bench, vhost, f"ceiling-{rep}", s.perftest_seconds, 1, 200)
        res.add("broker", "PerfTest ceiling: persistent, confirms (200 in flight), quorum queue, "
                "1 producer + 1 consumer (msg/s)", sent, "≈ 11,000 (issue)")
        sent8, _, lat8 = perftest(bench, vhost, f"like-workers-{rep}", s.perftest_seconds, 8, 1)
        res.add("broker", "  same, 8 producers x 1 confirm in flight (the workers' pattern) "
                "(msg/s)", sent8)
        res.note("broker", f"rep {rep}: 1 producer: sent {sent}/s, received {recv}/s, median "
                 f"confirm latency {lat} ms; 8 producers x 1 in flight: {sent8}/s, median "
                 f"confirm latency {lat8} ms")
    per_job = [v for sc, m, v, *_ in res.metrics if sc == "broker" and m.startswith("messages")]
    ceiling = [v for sc, m, v, *_ in res.metrics if sc == "broker" and m.startswith("PerfTest")]
    if per_job and per_job[0] and ceiling and ceiling[0]:
        bound = statistics.median(ceiling[0]) / statistics.median(per_job[0])
        res.note("broker", f"broker-bound e2e ceiling = PerfTest median / messages per job = "
                 f"{bound:.0f} jobs/s (publishes only; every message is also delivered and acked)")
    reg.cleanup()
