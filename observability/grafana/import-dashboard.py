#!/usr/bin/env python3
"""Makes a dashboard exported for sharing (grafana.com, a project's repository) provisionable from a file.

    observability/grafana/import-dashboard.py UPSTREAM.json --uid UID > observability/grafana/dashboards/UID.json

A shared export asks for its datasource when imported through the UI (`__inputs`, `${DS_PROMETHEUS}`, a hidden
datasource variable, or `null` meaning "the default"). File provisioning has no such step, so this script:

  - drops `__inputs`, `__requires` and `__elements`, and every template variable of type `datasource`;
  - points every panel, query, template variable and annotation query at the provisioned datasource
    (uid `prometheus`, see provisioning/datasources/prometheus.yml); Grafana's built-in annotation keeps its own;
  - gives the dashboard a fixed uid (links and the Kubernetes ConfigMap key rely on it), `id: null`, the tag `fetchq`
    (the fetchq dashboard links to its siblings by that tag), and forgets saved variable selections (`current`,
    `options`), which name the exporter's hosts;
  - leaves every query, panel and layout as published.

It fails on anything it cannot map (a mixed datasource, a datasource of another type), so a silent half-import cannot
happen. deploy-tests checks the result (GrafanaDashboardLintTests) and ObservabilitySystemIT runs every query.
"""
import argparse
import json
import re
import sys

DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
GRAFANA_BUILT_IN = {"type": "grafana", "uid": "-- Grafana --"}
DROPPED_KEYS = ("__inputs", "__requires", "__elements")


class ImportError_(Exception):
    pass


def datasource_variable_names(dashboard):
    return {
        v.get("name")
        for v in dashboard.get("templating", {}).get("list", [])
        if v.get("type") == "datasource"
    }


def is_reference_to(value, names):
    """True for "$X", "${X}" and "[[X]]" where X is a datasource variable or an __inputs name."""
    match = re.fullmatch(r"\$\{(\w+)\}|\$(\w+)|\[\[(\w+)\]\]", value or "")
    return bool(match) and next(g for g in match.groups() if g) in names


def map_datasource(value, names, where):
    if value is None:
        return dict(DATASOURCE)
    if isinstance(value, str):
        if value in ("-- Grafana --", "grafana"):
            return dict(GRAFANA_BUILT_IN)
        if is_reference_to(value, names) or value.lower() in ("prometheus", "default", ""):
            return dict(DATASOURCE)
        raise ImportError_(f"{where}: datasource {value!r} is not Prometheus")
    if isinstance(value, dict):
        uid, kind = value.get("uid"), value.get("type")
        if kind == "grafana" or uid == "-- Grafana --":
            return dict(GRAFANA_BUILT_IN)
        if kind in (None, "prometheus") and (
            uid is None or is_reference_to(uid, names) or uid in ("prometheus", "default")
        ):
            return dict(DATASOURCE)
        raise ImportError_(f"{where}: datasource {value!r} is not the one Prometheus")
    raise ImportError_(f"{where}: unexpected datasource {value!r}")


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


def convert(dashboard, uid):
    names = datasource_variable_names(dashboard) | {
        i.get("name") for i in dashboard.get("__inputs", []) if i.get("type") == "datasource"
    }
    for key in DROPPED_KEYS:
        dashboard.pop(key, None)
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

    leftover = re.findall(r"\$\{?DS_\w+|\[\[DS_\w+", json.dumps(dashboard))
    if leftover:
        raise ImportError_(f"datasource placeholders left after the import: {sorted(set(leftover))}")
    return dashboard


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", help="the dashboard JSON as published")
    parser.add_argument("--uid", required=True, help="fixed uid, e.g. rabbitmq-overview")
    args = parser.parse_args()
    with open(args.upstream, encoding="utf-8") as f:
        dashboard = json.load(f)
    try:
        converted = convert(dashboard, args.uid)
    except ImportError_ as e:
        print(f"{args.upstream}: {e}", file=sys.stderr)
        return 1
    json.dump(converted, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
