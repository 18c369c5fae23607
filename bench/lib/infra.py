"""Plumbing for bench/run.sh: processes, PostgreSQL, RabbitMQ, the nginx origin, the fetchq stack.

Everything here talks to 127.0.0.1 only. Every process it starts is recorded in a Registry and
stopped by it (by pid, never by name); every database, vhost and directory it creates is removed
by it, also when the run is interrupted.
"""

import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

LOOPBACK = "127.0.0.1"
PG_PORT = int(os.environ.get("FETCHQ_BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("FETCHQ_BENCH_PG_USER", "postgres")
RABBIT_PORT = int(os.environ.get("FETCHQ_BENCH_RABBIT_PORT", "5672"))
RABBIT_MGMT = f"http://{LOOPBACK}:{os.environ.get('FETCHQ_BENCH_RABBIT_MGMT_PORT', '15672')}"
RABBIT_USER = os.environ.get("FETCHQ_BENCH_RABBIT_USER", "guest")
RABBIT_PASSWORD = os.environ.get("FETCHQ_BENCH_RABBIT_PASSWORD", "guest")

# The worker has no SSRF guard yet. When it lands it will refuse loopback origins by default, and
# the benchmark's origin is nginx on 127.0.0.1: this is the one place that opts the workers in.
# If the guard's property ends up with another name, change WORKER_ALLOWED_HOSTS_ENV.
WORKER_ALLOWED_HOSTS_ENV = "FETCHQ_WORKER_ALLOWED_HOSTS"
WORKER_ALLOWED_HOSTS = os.environ.get("FETCHQ_WORKER_ALLOWED_HOSTS", LOOPBACK)


# api-service answers 401 without an API key (since 7e7e8d8). Each run makes its own client key and
# configures the api with the key's SHA-256 only; older api-services ignore the header.
API_KEY = "fq_bench-" + os.urandom(16).hex()
API_KEY_SHA256 = __import__("hashlib").sha256(API_KEY.encode()).hexdigest()
AUTH_HEADER = {"Authorization": f"Bearer {API_KEY}"}


class BenchError(Exception):
    pass


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------------------------
# Registry of everything to undo


class Registry:
    """Remembers what was started/created, undoes it in reverse order (idempotent)."""

    def __init__(self):
        self._undo = []
        self._lock = threading.Lock()

    def add(self, label, fn):
        with self._lock:
            self._undo.append((label, fn))

    def cleanup(self):
        while True:
            with self._lock:
                if not self._undo:
                    return
                label, fn = self._undo.pop()
            try:
                fn()
            except Exception as e:  # keep going: everything else must still be undone
                log(f"cleanup of {label} failed: {e}")


# --------------------------------------------------------------------------------------------
# Processes


class Proc:
    """A child process in its own session, logging to a file, stopped by pid."""

    def __init__(self, name, argv, env=None, log_path=None, cwd=None, registry=None):
        self.name = name
        self.log_path = log_path
        self._log = open(log_path, "ab") if log_path else subprocess.DEVNULL
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.started_at = time.time()
        self.popen = subprocess.Popen(
            argv, env=full_env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=self._log,
            stderr=subprocess.STDOUT, start_new_session=True)
        self.pid = self.popen.pid
        if registry:
            registry.add(f"process {name} ({self.pid})", self.stop)

    def alive(self):
        return self.popen.poll() is None

    def kill9(self):
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        self.popen.wait(10)

    def stop(self, timeout=30, sig=signal.SIGTERM):
        if self.alive():
            try:
                os.kill(self.pid, sig)
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                log(f"{self.name} ({self.pid}) did not stop in {timeout}s: SIGKILL")
                os.kill(self.pid, signal.SIGKILL)
                self.popen.wait(10)
            except ProcessLookupError:
                pass
        if self._log is not subprocess.DEVNULL and not self._log.closed:
            self._log.close()

    def tail(self, n=30):
        if not self.log_path:
            return ""
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-n:]).decode(errors="replace")
        except OSError:
            return ""


def cpu_seconds(pid):
    """utime+stime of a process (s), or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def cpu_by_command():
    """Total utime+stime (s) of every live process, grouped by command name, plus per pid."""
    groups, per_pid = {}, {}
    tck = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        secs = (int(fields[11]) + int(fields[12])) / tck
        per_pid[int(entry)] = (comm, secs)
        groups[comm] = groups.get(comm, 0.0) + secs
    return groups, per_pid


def thread_cpu(pid):
    """{tid: (thread name, utime+stime s)} of a process's live threads."""
    out = {}
    tck = os.sysconf("SC_CLK_TCK")
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                raw = f.read()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1:raw.rindex(")")]
        fields = raw.rsplit(")", 1)[1].split()
        out[tid] = (comm, (int(fields[11]) + int(fields[12])) / tck)
    return out


def machine_busy_seconds():
    """CPU seconds spent not idle, machine-wide, from /proc/stat."""
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    vals = [int(x) for x in parts]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return (sum(vals[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def proc_status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss(pid):
    """Resets VmHWM (Linux: 5 > clear_refs). Returns False when not permitted."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


# --------------------------------------------------------------------------------------------
# HTTP to loopback services


def http(method, url, body=None, headers=None, timeout=10, auth=None):
    parsed = urllib.parse.urlparse(url)
    if parsed.hostname not in (LOOPBACK, "localhost"):
        raise BenchError(f"refusing a non-loopback URL: {url}")
    req = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        req.add_header("Authorization", "Basic " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise BenchError(f"timed out after {timeout}s waiting for {what}")


# --------------------------------------------------------------------------------------------
# PostgreSQL


def psql(sql, db="postgres", timeout=60):
    out = subprocess.run(
        ["psql", "-h", LOOPBACK, "-p", str(PG_PORT), "-U", PG_USER, "-d", db, "-XAtq",
         "-v", "ON_ERROR_STOP=1", "-F", "\t", "-c", sql],
        capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        raise BenchError(f"psql failed: {out.stderr.strip()}")
    return out.stdout


class PgSession:
    """One long-lived psql process, so polling costs a query, not a process and a connection."""

    _MARK = "__fqbench_end__"

    def __init__(self, db):
        self.p = subprocess.Popen(
            ["psql", "-h", LOOPBACK, "-p", str(PG_PORT), "-U", PG_USER, "-d", db, "-XAtq",
             "-F", "\t"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            bufsize=1)
        self._lock = threading.Lock()

    def query(self, sql):
        with self._lock:
            self.p.stdin.write(sql.rstrip().rstrip(";") + ";\n\\echo " + self._MARK + "\n")
            self.p.stdin.flush()
            rows = []
            while True:
                line = self.p.stdout.readline()
                if not line:
                    raise BenchError("psql session ended")
                line = line.rstrip("\n")
                if line == self._MARK:
                    return rows
                if line.startswith(("ERROR", "psql:")):
                    raise BenchError(f"psql: {line}")
                rows.append(line.split("\t"))

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(5)
        except Exception:
            self.p.kill()


def create_database(name, registry):
    psql(f'create database "{name}"')
    registry.add(f"database {name}", lambda: psql(f'drop database if exists "{name}" with (force)'))


# --------------------------------------------------------------------------------------------
# RabbitMQ management API


def rabbit_api(method, path, body=None, timeout=15):
    data = json.dumps(body).encode() if body is not None else None
    status, payload = http(method, RABBIT_MGMT + path, body=data, timeout=timeout,
                           headers={"content-type": "application/json"},
                           auth=(RABBIT_USER, RABBIT_PASSWORD))
    if status >= 300:
        raise BenchError(f"RabbitMQ {method} {path}: {status} {payload[:200]!r}")
    return json.loads(payload) if payload else None


def vhost_path(vhost):
    return urllib.parse.quote(vhost, safe="")


def create_vhost(name, registry):
    rabbit_api("PUT", f"/api/vhosts/{vhost_path(name)}")
    registry.add(f"vhost {name}", lambda: rabbit_api("DELETE", f"/api/vhosts/{vhost_path(name)}"))
    rabbit_api("PUT", f"/api/permissions/{vhost_path(name)}/{RABBIT_USER}",
               {"configure": ".*", "write": ".*", "read": ".*"})


def vhost_message_stats(vhost):
    """Cumulative publish counters of the vhost and its exchanges (management stats)."""
    v = rabbit_api("GET", f"/api/vhosts/{vhost_path(vhost)}")
    stats = {"vhost.publish": (v.get("message_stats") or {}).get("publish", 0),
             "vhost.confirm": (v.get("message_stats") or {}).get("confirm", 0),
             "vhost.deliver_get": (v.get("message_stats") or {}).get("deliver_get", 0)}
    for ex in rabbit_api("GET", f"/api/exchanges/{vhost_path(vhost)}?columns=name,message_stats"):
        if ex["name"]:
            stats["exchange." + ex["name"]] = (ex.get("message_stats") or {}).get("publish_in", 0)
    return stats


def settled_message_stats(vhost, quiet=6.0, timeout=60):
    """The management stats lag by up to collect_statistics_interval (5 s by default): read until
    the counters have not moved for `quiet` seconds (longer than that interval)."""
    deadline = time.time() + timeout
    last, since = vhost_message_stats(vhost), time.time()
    while time.time() < deadline:
        time.sleep(1)
        now = vhost_message_stats(vhost)
        if now != last:
            last, since = now, time.time()
        elif time.time() - since >= quiet:
            return now
    return last


def queue_depths(vhost):
    rows = rabbit_api(
        "GET",
        f"/api/queues/{vhost_path(vhost)}?columns=name,messages_ready,messages_unacknowledged")
    return {q["name"]: (q.get("messages_ready", 0), q.get("messages_unacknowledged", 0))
            for q in rows}


# --------------------------------------------------------------------------------------------
# nginx origin

NGINX_CONF = """\
# Generated by bench/run.sh: the benchmark's origin, on the loopback interface only.
worker_processes {workers};
error_log {prefix}/error.log warn;
pid {prefix}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 75s;
    keepalive_requests 1000000;
    # start of the request = $msec - $request_time; bytes as sent on the wire
    log_format bench '$msec\\t$request_time\\t$status\\t$request_length\\t$bytes_sent\\t'
                     '$body_bytes_sent\\t$request_uri\\t$connection';
    access_log {prefix}/access.log bench buffer=64k flush=100ms;
    server {{
        listen {host}:{port};
        root {corpus};
        location / {{ }}
        # Throttled copies of the corpus, per connection: a download that lasts long enough to be
        # killed in the middle (recovery) or to keep workers busy (scale-out).
        location /slow/ {{ alias {corpus}/; limit_rate {slow_rate}; }}
        location /trickle/ {{ alias {corpus}/; limit_rate {trickle_rate}; }}
    }}
}}
"""


class Nginx:
    def __init__(self, prefix, corpus, registry, slow_rate="100m", trickle_rate="256k"):
        self.prefix = prefix
        self.port = free_port()
        self.base = f"http://{LOOPBACK}:{self.port}"
        os.makedirs(os.path.join(prefix, "tmp"), exist_ok=True)
        self.conf = os.path.join(prefix, "nginx.conf")
        self.access_log = os.path.join(prefix, "access.log")
        with open(self.conf, "w") as f:
            f.write(NGINX_CONF.format(prefix=prefix, corpus=corpus, host=LOOPBACK, port=self.port,
                                      workers=os.environ.get("FETCHQ_BENCH_NGINX_WORKERS", "1"),
                                      slow_rate=slow_rate, trickle_rate=trickle_rate))
        test = subprocess.run(["nginx", "-t", "-p", prefix, "-c", self.conf, "-g", "daemon off;"],
                              capture_output=True, text=True)
        if test.returncode != 0:
            raise BenchError("nginx config test failed: " + test.stderr)
        self.proc = Proc("nginx", ["nginx", "-p", prefix, "-c", self.conf, "-g", "daemon off;"],
                         log_path=os.path.join(prefix, "nginx.out"), registry=registry)
        wait_until(lambda: self._up(), 10, what="nginx")

    def _up(self):
        try:
            status, _ = http("GET", self.base + "/MANIFEST.json", timeout=2)
            if status == 403:
                raise BenchError("nginx answers 403: its worker user cannot read the corpus "
                                 f"({self.prefix}); make bench/work world-readable")
            return status == 200
        except (OSError, urllib.error.URLError):
            return False

    def read_log(self, tag=None):
        """Access log entries (optionally only URIs containing tag) as dicts."""
        time.sleep(0.3)  # buffered log: flush=100ms
        rows = []
        with open(self.access_log) as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) < 8 or (tag and tag not in p[6]):
                    continue
                rows.append({"end": float(p[0]), "request_time": float(p[1]),
                             "start": float(p[0]) - float(p[1]), "status": int(p[2]),
                             "bytes_sent": int(p[4]), "body_bytes": int(p[5]), "uri": p[6],
                             "connection": p[7]})
        return rows


# --------------------------------------------------------------------------------------------
# fetchq: api-service and download-workers as processes


class Stack:
    """One isolated fetchq: its own database, vhost, storage directory, ports and processes."""

    def __init__(self, bench, name, java_opts=()):
        self.bench = bench
        self.name = name
        self.registry = Registry()
        self.db = f"fqbench_{bench.run_id}_{name}"
        self.vhost = f"fqbench-{bench.run_id}-{name}"
        self.dir = os.path.join(bench.run_dir, name)
        self.storage = os.path.join(self.dir, "storage")
        os.makedirs(self.storage, exist_ok=True)
        self.registry.add(f"storage {self.dir}", lambda: shutil.rmtree(self.storage, True))
        self.registry.add(f"logs of {name}", self._keep_logs)
        self.java_opts = list(java_opts)
        self.api = None
        self.api_port = None
        self.api_mgmt_port = None
        self.workers = {}
        self.pg = None
        create_database(self.db, self.registry)
        create_vhost(self.vhost, self.registry)

    def _keep_logs(self):
        dest = os.path.join(self.bench.results_dir, "logs", self.name)
        os.makedirs(dest, exist_ok=True)
        for f in os.listdir(self.dir):
            if f.endswith(".log"):
                shutil.copy2(os.path.join(self.dir, f), dest)

    # -- processes

    def _java(self, name, jar, env, deployed_opts=()):
        argv = [self.bench.java] + list(deployed_opts) + self.java_opts + ["-jar", jar]
        base_env = {
            "SPRING_RABBITMQ_HOST": LOOPBACK,
            "SPRING_RABBITMQ_PORT": str(RABBIT_PORT),
            "SPRING_RABBITMQ_USERNAME": RABBIT_USER,
            "SPRING_RABBITMQ_PASSWORD": RABBIT_PASSWORD,
            "SPRING_RABBITMQ_VIRTUALHOST": self.vhost,
            "FETCHQ_STORAGE_DIR": self.storage,
        }
        base_env.update(env)
        return Proc(name, argv, env=base_env, log_path=os.path.join(self.dir, name + ".log"),
                    cwd=self.dir, registry=self.registry)

    def start_api(self):
        self.api_port, self.api_mgmt_port = free_port(), free_port()
        self.api = self._java("api", self.bench.api_jar, {
            "SPRING_DATASOURCE_URL": f"jdbc:postgresql://{LOOPBACK}:{PG_PORT}/{self.db}",
            "SPRING_DATASOURCE_USERNAME": PG_USER,
            "SERVER_PORT": str(self.api_port),
            "MANAGEMENT_SERVER_PORT": str(self.api_mgmt_port),
            "SERVER_ADDRESS": LOOPBACK,
            "MANAGEMENT_SERVER_ADDRESS": LOOPBACK,
            "FETCHQ_SECURITY_APIKEYS": f"bench:client:{API_KEY_SHA256}",
        })
        self.api.mgmt_port = self.api_mgmt_port
        return self.api

    def start_worker(self, wid, variant=None):
        """variant: (jar, extra JVM options) to start instead of the worker jar as built."""
        jar, extra = variant if variant else (self.bench.worker_jar, [])
        port = free_port()
        w = self._java(wid, jar, {
            "SERVER_PORT": str(port),
            "SERVER_ADDRESS": LOOPBACK,
            "FETCHQ_WORKER_ID": wid,
            WORKER_ALLOWED_HOSTS_ENV: WORKER_ALLOWED_HOSTS,
        }, deployed_opts=list(self.bench.worker_jvm_options) + list(extra))
        w.mgmt_port = port
        self.workers[wid] = w
        return w

    def wait_ready(self, proc, timeout=180):
        url = f"http://{LOOPBACK}:{proc.mgmt_port}/actuator/health/readiness"

        def ready():
            if not proc.alive():
                raise BenchError(f"{proc.name} exited; log {proc.log_path}:\n{proc.tail()}")
            try:
                return http("GET", url, timeout=2)[0] == 200
            except (OSError, urllib.error.URLError):
                return False
        wait_until(ready, timeout, interval=0.05, what=f"{proc.name} readiness")
        return time.time()

    def up(self, workers=2):
        self.start_api()
        ws = [self.start_worker(f"w{i}") for i in range(1, workers + 1)]
        self.wait_ready(self.api)
        for w in ws:
            self.wait_ready(w)
        self.pg = PgSession(self.db)
        self.registry.add("psql session", self.pg.close)

    @property
    def api_base(self):
        return f"http://{LOOPBACK}:{self.api_port}"

    # -- state

    def status_counts(self):
        rows = self.pg.query("select status, count(*) from job group by status")
        return {r[0]: int(r[1]) for r in rows if len(r) == 2}

    def outbox_count(self):
        return int(self.pg.query("select count(*) from outbox_message")[0][0])

    def wait_idle(self, timeout=300):
        """No outbox rows, no job that is not final, no message waiting in the work/event queues."""
        def idle():
            counts = self.status_counts()
            busy = sum(v for k, v in counts.items() if k in ("QUEUED", "RUNNING", "RETRY_SCHEDULED"))
            return busy == 0 and self.outbox_count() == 0
        wait_until(idle, timeout, interval=0.2, what=f"{self.name} to be idle")

    def submit(self, url, sha256=None, filename=None):
        body = {"url": url}
        if sha256:
            body["sha256"] = sha256
        if filename:
            body["filename"] = filename
        status, payload = http("POST", self.api_base + "/jobs", json.dumps(body).encode(),
                               {"content-type": "application/json", **AUTH_HEADER})
        if status != 202:
            raise BenchError(f"POST /jobs answered {status}: {payload[:300]!r}")
        return json.loads(payload)["id"]

    def stop(self):
        self.registry.cleanup()


def storage_path(storage, job_id):
    return os.path.join(storage, job_id[-2:], job_id)


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True).stderr
    m = re.search(r'version "([^"]+)"', out)
    return m.group(1) if m else out.splitlines()[0]
