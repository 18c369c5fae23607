#!/usr/bin/env python3
"""Makes a dashboard published for sharing (grafana.com, a project's repository) provisionable from a file.

    import-dashboard.py --grafana-com-id 10991 --uid rabbitmq-overview --output rabbitmq-overview.json
    import-dashboard.py --url https://example.org/dashboard.json --uid example > example.json
    import-dashboard.py downloaded.json --uid example > example.json

The dashboard comes from one of: grafana.com's public download API (--grafana-com-id, the latest revision unless
--revision says otherwise), any http(s) URL (--url), or a local file. It is written to --output (atomically: a
temporary file in the same directory, then a rename, so Grafana never reads half a dashboard) or to stdout.

A shared export asks for its datasource when imported through the UI (`__inputs`, `${DS_PROMETHEUS}`, a hidden
datasource variable, or `null` meaning "the default"). File provisioning has no such step, so this script:

  - drops `__inputs`, `__requires` and `__elements`, and every template variable of type `datasource`;
  - points every panel, query, template variable and annotation query at the provisioned datasource
    (uid `prometheus`, see provisioning/datasources/prometheus.yml); Grafana's built-in annotation keeps its own.
    Panels inside legacy `rows` (dashboards older than schema 16) are treated like the others;
  - fills in `${NAME}` for every `__inputs` constant with its published default value, as the UI import does;
  - gives the dashboard a fixed uid (links and the Kubernetes ConfigMap key rely on it), `id: null`, the tag `fetchq`
    (the fetchq dashboard links to its siblings by that tag), and forgets saved variable selections (`current`,
    `options`), which name the exporter's hosts;
  - leaves every query, panel and layout as published (Grafana migrates old schemas when it loads them).

It fails on anything it cannot map (a mixed datasource, a datasource of another type), so a silent half-import cannot
happen. It fails clearly when the download fails: an HTTP error status, a connection or TLS error, a timeout, a body
that is not JSON or not a dashboard. With --optional, failing to download or convert the dashboard is a warning and
the exit status is 0; the output is then left as it was (an earlier run's dashboard stays). docker-compose.yml runs it
that way, so an offline laptop still starts Grafana. Failing to write the output is always an error.

Exit status: 0 written (or skipped with --optional), 1 failed, 2 wrong arguments.

Standard library only (Python 3.8 or later); proxies come from the usual https_proxy/http_proxy/no_proxy variables.
deploy-tests checks the result (DashboardImportTests, DashboardFetchTests, on 127.0.0.1 only).
"""
import argparse
import json
import os
import re
import sys
import tempfile
import http.client
import urllib.error
import urllib.parse
import urllib.request

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
GRAFANA_BUILT_IN = {"type": "grafana", "uid": "-- Grafana --"}
DROPPED_KEYS = ("__inputs", "__requires", "__elements")
GRAFANA_COM_API = "https://grafana.com/api"
USER_AGENT = "fetchq-import-dashboard/1 (Python urllib)"
# Public dashboards are at most a few hundred KiB: a body far larger is not one.
MAX_BYTES = 8 * 1024 * 1024


class CannotConvert(Exception):
    """The dashboard uses something this script cannot point at the provisioned datasource."""


class CannotObtain(Exception):
    """The dashboard could not be downloaded (or read), or what came back is not a dashboard."""


def datasource_names(dashboard):
    """Names that stand for the Prometheus datasource, and names that stand for some other datasource."""
    prometheus, other = set(), set()
    for variable in dashboard.get("templating", {}).get("list", []) or []:
        if variable.get("type") == "datasource":
            kind = str(variable.get("query") or "prometheus").lower()
            (prometheus if kind == "prometheus" else other).add(variable.get("name"))
    for item in dashboard.get("__inputs", []) or []:
        if item.get("type") == "datasource":
            kind = str(item.get("pluginId") or "prometheus").lower()
            (prometheus if kind == "prometheus" else other).add(item.get("name"))
    return prometheus, other


def referenced_name(value):
    """X for "$X", "${X}" and "[[X]]", else None."""
    match = re.fullmatch(r"\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]", value or "")
    return next(g for g in match.groups() if g) if match else None


def map_datasource(value, names, where):
    prometheus, _ = names
    if value is None:
        return dict(DATASOURCE)
    if isinstance(value, str):
        if value in ("-- Grafana --", "grafana"):
            return dict(GRAFANA_BUILT_IN)
        if referenced_name(value) in prometheus or value.lower() in ("prometheus", "default", ""):
            return dict(DATASOURCE)
        raise CannotConvert(f"{where}: datasource {value!r} is not Prometheus")
    if isinstance(value, dict):
        uid, kind = value.get("uid"), value.get("type")
        if kind == "grafana" or uid == "-- Grafana --":
            return dict(GRAFANA_BUILT_IN)
        if kind in (None, "prometheus") and (
            uid is None or referenced_name(uid) in prometheus or uid in ("prometheus", "default")
        ):
            return dict(DATASOURCE)
        raise CannotConvert(f"{where}: datasource {value!r} is not the one Prometheus")
    raise CannotConvert(f"{where}: unexpected datasource {value!r}")


def walk_panels(panels, names, path="panels"):
    for index, panel in enumerate(panels or []):
        where = f"{path}[{index}] {panel.get('title', '')!r}"
        if panel.get("type") == "row":
            if "datasource" in panel:
                panel["datasource"] = map_datasource(panel["datasource"], names, where)
            walk_panels(panel.get("panels"), names, where + ".panels")
            continue
        panel["datasource"] = map_datasource(panel.get("datasource"), names, where)
        for target in panel.get("targets") or []:
            target["datasource"] = map_datasource(
                target.get("datasource", panel["datasource"]), names, where + " target"
            )


def fill_in(value, constants):
    """Replaces ${NAME} of every constant input in every string of value."""
    if isinstance(value, str):
        return re.sub(
            r"\$\{(\w+)\}", lambda m: str(constants.get(m.group(1), m.group(0))), value
        )
    if isinstance(value, list):
        return [fill_in(item, constants) for item in value]
    if isinstance(value, dict):
        return {key: fill_in(item, constants) for key, item in value.items()}
    return value


def convert(dashboard, uid):
    if not isinstance(dashboard, dict):
        raise CannotConvert("not a dashboard (a JSON object)")
    names = datasource_names(dashboard)
    inputs = dashboard.get("__inputs", []) or []
    constants = {i.get("name"): i.get("value", "") for i in inputs if i.get("type") == "constant"}
    others = {i.get("name") for i in inputs if i.get("type") not in ("constant", "datasource")}
    for key in DROPPED_KEYS:
        dashboard.pop(key, None)
    if constants:
        dashboard = fill_in(dashboard, constants)
    dashboard["id"] = None
    dashboard["uid"] = uid
    tags = dashboard.setdefault("tags", [])
    if "fetchq" not in tags:
        tags.append("fetchq")

    templating = dashboard.setdefault("templating", {}).setdefault("list", [])
    kept = []
    for variable in templating:
        if variable.get("type") == "datasource":
            continue
        where = f"variable {variable.get('name')!r}"
        if variable.get("type") == "query":
            variable["datasource"] = map_datasource(variable.get("datasource"), names, where)
            variable["current"] = {}
            variable["options"] = []
        elif "datasource" in variable:
            variable["datasource"] = map_datasource(variable["datasource"], names, where)
        kept.append(variable)
    dashboard["templating"]["list"] = kept

    for index, annotation in enumerate(dashboard.get("annotations", {}).get("list", [])):
        annotation["datasource"] = map_datasource(
            annotation.get("datasource"), names, f"annotation[{index}]"
        )

    walk_panels(dashboard.get("panels"), names)
    # Before schema 16 panels sit in rows: {"rows": [{"title", "panels": [...]}]}.
    for index, row in enumerate(dashboard.get("rows") or []):
        where = f"rows[{index}] {row.get('title', '')!r}"
        if "datasource" in row:
            row["datasource"] = map_datasource(row["datasource"], names, where)
        walk_panels(row.get("panels"), names, where + ".panels")

    text = json.dumps(dashboard)
    leftover = re.findall(r"\$\{?DS_\w+|\[\[DS_\w+", text)
    for name in sorted(n for n in others | names[1] if n):
        if re.search(r"\$\{?" + re.escape(name) + r"\b|\[\[" + re.escape(name) + r"\b", text):
            leftover.append(name)
    if leftover:
        raise CannotConvert(f"placeholders left after the import: {sorted(set(leftover))}")
    return dashboard


def grafana_com_url(api, dashboard_id, revision):
    return f"{api.rstrip('/')}/dashboards/{dashboard_id}/revisions/{revision}/download"


def download(url, timeout):
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content_type = response.headers.get("Content-Type", "no content type")
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as e:
        raise CannotObtain(f"{url}: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise CannotObtain(f"{url}: {e.reason}") from None
    except (OSError, ValueError, http.client.HTTPException) as e:  # timeouts, resets, bad responses
        raise CannotObtain(f"{url}: {str(e) or type(e).__name__}") from None
    if len(body) > MAX_BYTES:
        raise CannotObtain(f"{url}: more than {MAX_BYTES} bytes, not a dashboard")
    try:
        return json.loads(body)
    except ValueError as e:
        start = body[:60].decode("utf-8", "replace").strip()
        raise CannotObtain(f"{url}: not JSON ({content_type}, {e}; starts with {start!r})") from None


def read_file(path):
    try:
        with open(path, "rb") as f:
            return json.loads(f.read())
    except OSError as e:
        raise CannotObtain(f"{path}: {e.strerror or e}") from None
    except ValueError as e:
        raise CannotObtain(f"{path}: not JSON ({e})") from None


def check_is_dashboard(dashboard, source):
    if not (
        isinstance(dashboard, dict)
        and isinstance(dashboard.get("title"), str)
        and (isinstance(dashboard.get("panels"), list) or isinstance(dashboard.get("rows"), list))
    ):
        keys = sorted(dashboard)[:8] if isinstance(dashboard, dict) else type(dashboard).__name__
        raise CannotObtain(f"{source}: not a Grafana dashboard (no title and panels; got {keys})")


def write_atomically(path, text):
    """Same directory, then rename: a reader sees the old file or the new one, never a part."""
    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(
        prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes it 0600; Grafana runs as another user than whoever fetched it.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def http_url(value):
    if urllib.parse.urlsplit(value).scheme not in ("http", "https") or "://" not in value:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {value!r}")
    return value


def revision(value):
    if value != "latest" and not value.isdigit():
        raise argparse.ArgumentTypeError(f"a revision number or 'latest', not {value!r}")
    return value


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Exit status: 0 written (or skipped with --optional), 1 failed, 2 wrong arguments.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("upstream", nargs="?", help="the dashboard JSON as published, a local file")
    source.add_argument(
        "--grafana-com-id",
        type=int,
        metavar="ID",
        help="download dashboard ID from grafana.com, e.g. 10991 (RabbitMQ-Overview)",
    )
    source.add_argument("--url", type=http_url, help="download the dashboard JSON from this URL")
    parser.add_argument(
        "--revision",
        type=revision,
        default="latest",
        help="grafana.com revision to download (default: latest)",
    )
    parser.add_argument(
        "--grafana-com-api",
        type=http_url,
        default=GRAFANA_COM_API,
        metavar="URL",
        help=f"grafana.com's API (default: {GRAFANA_COM_API}); another for a mirror or a test",
    )
    parser.add_argument("--uid", required=True, help="fixed uid, e.g. rabbitmq-overview")
    parser.add_argument(
        "--output", "-o", metavar="FILE", help="write here, atomically (default: stdout)"
    )
    parser.add_argument(
        "--optional",
        action="store_true",
        help="if the dashboard cannot be downloaded or converted: warn, leave the output as it was, exit 0",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="network timeout (connect, and between reads; default: 30)",
    )
    args = parser.parse_args(argv)
    if args.grafana_com_id is None and (
        args.revision != "latest" or args.grafana_com_api != GRAFANA_COM_API
    ):
        parser.error("--revision and --grafana-com-api go with --grafana-com-id")
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", args.uid):
        parser.error(f"--uid {args.uid!r}: letters, digits, '-' and '_', at most 40")
    if args.output and not os.path.isdir(os.path.dirname(os.path.abspath(args.output))):
        parser.error(f"--output {args.output!r}: its directory does not exist")
    return args


def main(argv=None):
    args = parse_arguments(argv)
    if args.grafana_com_id is not None:
        source = grafana_com_url(args.grafana_com_api, args.grafana_com_id, args.revision)
    else:
        source = args.url or args.upstream
    try:
        if args.upstream is not None:
            dashboard = read_file(args.upstream)
        else:
            dashboard = download(source, args.timeout)
        check_is_dashboard(dashboard, source)
        try:
            converted = convert(dashboard, args.uid)
        except CannotConvert as e:
            raise CannotConvert(f"{source}: {e}") from None
    except (CannotObtain, CannotConvert) as e:
        if isinstance(e, CannotConvert):
            what = "cannot make provisionable"
        else:
            what = "cannot read" if args.upstream is not None else "cannot download"
        if not args.optional:
            print(f"import-dashboard: error: {what} {e}", file=sys.stderr)
            return 1
        kept = args.output and os.path.exists(args.output)
        outcome = f"{args.output} left as it was" if kept else "nothing written"
        print(
            f"import-dashboard: warning: {what} {e}; skipped (--optional): {outcome}",
            file=sys.stderr,
        )
        return 0

    text = json.dumps(converted, indent=2, ensure_ascii=False) + "\n"
    if not args.output:
        sys.stdout.write(text)
        return 0
    try:
        write_atomically(args.output, text)
    except OSError as e:
        print(f"import-dashboard: error: cannot write {args.output}: {e}", file=sys.stderr)
        return 1
    title = converted.get("title", "")
    print(f"import-dashboard: {source} -> {args.output} ({title!r}, uid {args.uid})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
