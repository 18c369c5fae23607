"""Fails the CI run when tests were skipped or when no integration/system test ran.

Integration tests run against real services (Testcontainers or the machine's own); a run where they were
skipped, or did not run at all, has tested nothing and must not pass.
"""
import glob
import sys
import xml.etree.ElementTree as ET

# The fault tests and the load ledger of issue 6: a run without them has not shown that no job is lost.
REQUIRED_SYSTEM_SUITES = [
    "WorkerCrashSystemIT",
    "WorkerDrainSystemIT",
    "ApiRestartSystemIT",
    "InfrastructureFaultsSystemIT",
    "LoadLedgerSystemIT",
]
# Lines the fault and load tests print with what they measured.
REPORT_PREFIXES = ("load run:", "kill -9 of", "SIGTERM to", "api kill -9", "broker stop_app", "PostgreSQL down")

ran_suites = {}
reports = []
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
        ran = int(suite.get("tests", "0")) - int(suite.get("skipped", "0"))
        system += ran
        simple = name.rsplit(".", 1)[-1]
        ran_suites[simple] = ran_suites.get(simple, 0) + ran
        for out in suite.iter("system-out"):
            reports += [l.strip() for l in (out.text or "").splitlines() if l.strip().startswith(REPORT_PREFIXES)]
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
for required in REQUIRED_SYSTEM_SUITES:
    if ran_suites.get(required, 0) == 0:
        problems.append(f"the fault/load system test {required} did not run")
if reports:
    print("What the fault and load tests measured:")
    for line in reports:
        print("  " + line)
if totals["failures"] or totals["errors"]:
    problems.append(f"{totals['failures']} failures, {totals['errors']} errors")
for problem in problems:
    print("CI check failed:", problem, file=sys.stderr)
print(f"{passed} passed, {totals['failures'] + totals['errors']} failed, {totals['skipped']} skipped")
sys.exit(1 if problems else 0)
