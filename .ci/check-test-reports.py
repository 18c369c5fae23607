"""Fails the CI run when tests were skipped or when no integration/system test ran.

Integration tests run against real services (Testcontainers or the machine's own); a run where they were
skipped, or did not run at all, has tested nothing and must not pass.
"""
import glob
import sys
import xml.etree.ElementTree as ET

totals = {"tests": 0, "skipped": 0, "failures": 0, "errors": 0}
integration = 0
system = 0
skipped_cases = []
for path in sorted(glob.glob("*/target/surefire-reports/TEST-*.xml") + glob.glob("*/target/failsafe-reports/TEST-*.xml")):
    suite = ET.parse(path).getroot()
    name = suite.get("name", "")
    for key in totals:
        totals[key] += int(suite.get(key, "0"))
    if name.endswith("IntegrationTests"):
        integration += int(suite.get("tests", "0")) - int(suite.get("skipped", "0"))
    if name.endswith("SystemIT"):
        system += int(suite.get("tests", "0")) - int(suite.get("skipped", "0"))
    for case in suite.iter("testcase"):
        if case.find("skipped") is not None:
            skipped_cases.append(f"{case.get('classname')}.{case.get('name')}")

passed = totals["tests"] - totals["skipped"] - totals["failures"] - totals["errors"]
print(f"tests: {totals['tests']}, integration tests run: {integration}, system tests run: {system}")
problems = []
if skipped_cases:
    problems.append("skipped tests: " + ", ".join(skipped_cases))
if integration == 0:
    problems.append("no *IntegrationTests ran")
if system == 0:
    problems.append("no *SystemIT ran")
if totals["failures"] or totals["errors"]:
    problems.append(f"{totals['failures']} failures, {totals['errors']} errors")
for problem in problems:
    print("CI check failed:", problem, file=sys.stderr)
print(f"{passed} passed, {totals['failures'] + totals['errors']} failed, {totals['skipped']} skipped")
sys.exit(1 if problems else 0)
