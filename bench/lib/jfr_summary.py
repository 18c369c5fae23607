#!/usr/bin/env python3
"""Summarises JFR recordings of the fetchq JVMs: where the CPU goes and where threads wait.

    python3 bench/lib/jfr_summary.py DIR_WITH_JFR_FILES [OUT.md]   (JAVA_HOME's jfr tool)

For each recording:
- CPU (jdk.ExecutionSample): share of samples by component of the top frame (PostgreSQL driver,
  RabbitMQ client, Tomcat, Jackson, logging, ...), the hottest methods, and the fetchq method
  nearest the top of each sampled stack (what our code was doing, inclusive);
- waiting (jdk.ThreadPark, jdk.JavaMonitorEnter, jdk.SocketRead, jdk.SocketWrite, jdk.FileForce, over
  the "profile" settings' thresholds): total time by the fetchq method nearest the top of the stack.
"""

import json
import os
import subprocess
import sys
from collections import Counter, defaultdict

COMPONENTS = [
    ("org.postgresql", "PostgreSQL JDBC driver"),
    ("com.zaxxer.hikari", "HikariCP"),
    ("com.rabbitmq", "RabbitMQ client"),
    ("org.springframework.amqp", "Spring AMQP"),
    ("org.apache.catalina", "Tomcat"), ("org.apache.coyote", "Tomcat"),
    ("org.apache.tomcat", "Tomcat"),
    ("org.apache.hc", "Apache HttpClient"),
    ("tools.jackson", "Jackson"), ("com.fasterxml.jackson", "Jackson"),
    ("ch.qos.logback", "logging"), ("org.slf4j", "logging"),
    ("org.hibernate.validator", "Bean Validation"),
    ("io.micrometer", "Micrometer"),
    ("org.flywaydb", "Flyway"),
    ("org.springframework", "Spring (other)"),
    ("dev.fetchq", "fetchq code"),
    ("sun.security.provider", "JDK SHA-256/crypto"),
    ("sun.nio.ch", "JDK NIO/sockets"), ("java.nio", "JDK NIO/sockets"),
    ("java.io", "JDK I/O"), ("sun.nio.fs", "JDK file system"),
    ("jdk.internal.misc.Unsafe", "JDK park/unsafe"),
    ("java.util.concurrent", "JDK concurrency"),
    ("java.lang.invoke", "JDK reflection/lambda"), ("jdk.internal.reflect", "JDK reflection/lambda"),
    ("java.util.regex", "JDK regex"),
    ("java.", "JDK (other)"), ("jdk.", "JDK (other)"), ("sun.", "JDK (other)"),
]
WAIT_EVENTS = ["jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.SocketRead",
               "jdk.SocketWrite", "jdk.FileForce", "jdk.FileWrite", "jdk.FileRead"]


def frame_name(frame):
    m = frame.get("method") or {}
    t = (m.get("type") or {}).get("name", "?").replace("/", ".")
    return f"{t}.{m.get('name', '?')}"


def component(name):
    for prefix, label in COMPONENTS:
        if name.startswith(prefix):
            return label
    return "other"


def nearest_fetchq(frames):
    for f in frames:
        n = frame_name(f)
        if n.startswith("dev.fetchq"):
            return n
    return "(no fetchq frame)"


def duration_s(value):
    # jfr print --json renders durations as ISO-8601 ("PT0.012S") or a number of ns
    if isinstance(value, (int, float)):
        return value / 1e9
    if isinstance(value, str) and value.startswith("PT") and value.endswith("S"):
        rest, total = value[2:-1], 0.0
        for unit, mult in (("H", 3600), ("M", 60)):
            if unit in rest:
                n, rest = rest.split(unit, 1)
                total += float(n) * mult
        return total + (float(rest) if rest else 0)
    return 0.0


def events(jfr_tool, path, names):
    out = subprocess.run([jfr_tool, "print", "--json", "--stack-depth", "64", "--events",
                          ",".join(names), path], capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-500:])
    return json.loads(out.stdout)["recording"]["events"]


def summarise(jfr_tool, path, top=12):
    lines = [f"### {os.path.basename(path)}", ""]
    samples = events(jfr_tool, path, ["jdk.ExecutionSample"])
    n = len(samples)
    by_comp, by_method, by_fetchq, by_thread = Counter(), Counter(), Counter(), Counter()
    inclusive = Counter()
    for e in samples:
        frames = ((e["values"].get("stackTrace") or {}).get("frames")) or []
        if not frames:
            continue
        names = [frame_name(f) for f in frames]
        for comp in {component(n) for n in names} - {"other"}:
            if not comp.startswith("JDK"):
                inclusive[comp] += 1
        top_name = names[0]
        by_comp[component(top_name)] += 1
        by_method[top_name] += 1
        by_fetchq[nearest_fetchq(frames)] += 1
        thread = ((e["values"].get("sampledThread") or {}).get("javaName") or "?")
        by_thread["".join(c if not c.isdigit() else "#" for c in thread)] += 1
    lines.append(f"CPU samples: {n} (jdk.ExecutionSample, 'profile' settings: one per "
                 "running Java thread every 10-20 ms)")
    lines.append("")
    for title, counter in (("by component of the top frame (self)", by_comp),
                           ("by component anywhere in the stack (inclusive; rows overlap)",
                            inclusive),
                           ("hottest methods (self)", by_method),
                           ("by fetchq method nearest the top (inclusive)", by_fetchq),
                           ("by thread", by_thread)):
        lines.append(f"| {title} | samples | % |")
        lines.append("|---|---:|---:|")
        for k, v in counter.most_common(top):
            lines.append(f"| `{k}` | {v} | {100 * v / max(n, 1):.1f} |")
        lines.append("")
    waits = events(jfr_tool, path, WAIT_EVENTS)
    total = defaultdict(float)
    count = Counter()
    for e in waits:
        frames = ((e["values"].get("stackTrace") or {}).get("frames")) or []
        where = nearest_fetchq(frames)
        if not where.startswith("dev.fetchq"):
            continue  # idle pool threads and the like: waiting for work, not in our way
        key = (e["type"], where)
        total[key] += duration_s(e["values"].get("duration"))
        count[key] += 1
    if total:
        lines.append("| waiting inside fetchq code (events over the threshold) | fetchq frame "
                     "nearest the top | events | total s |")
        lines.append("|---|---|---:|---:|")
        for (etype, where), secs in sorted(total.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"| {etype} | `{where}` | {count[(etype, where)]} | {secs:.1f} |")
        lines.append("")
    return "\n".join(lines)


def write_summary(jfr_tool, directory, out_path, title="JFR summary"):
    parts = [f"# {title}", ""]
    for name in sorted(os.listdir(directory)):
        if name.endswith(".jfr"):
            try:
                parts.append(summarise(jfr_tool, os.path.join(directory, name)))
            except Exception as e:  # a summary must not fail the benchmark
                parts.append(f"### {name}\n\ncould not summarise: {e}\n")
    with open(out_path, "w") as f:
        f.write("\n".join(parts) + "\n")
    return out_path


if __name__ == "__main__":
    java_home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    d = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(d, "profile.md")
    write_summary(os.path.join(java_home, "bin", "jfr"), d, out)
    print(open(out).read())
