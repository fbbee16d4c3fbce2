#!/usr/bin/env python3
"""Count the results of `make check`: meson's test logs of each build dir,
plus the fuzz results file (lines "NAME: ok" or anything else = failed).
Prints one line "N passed, N failed" and exits 1 when any failed or when
nothing ran."""
import json
import os
import sys

passed = failed = 0
for arg in sys.argv[1:]:
    log = os.path.join(arg, "meson-logs", "testlog.json")
    if os.path.isdir(arg):
        if not os.path.exists(log):
            print(f"{arg}: no test log", file=sys.stderr)
            failed += 1
            continue
        # testlog.json, and pglog.json of the PostgreSQL run (tools/check.sh).
        logs = [log] + [p for p in [os.path.join(arg, "meson-logs", "pglog.json")] if os.path.exists(p)]
        for name in logs:
            with open(name, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    r = json.loads(line).get("result")
                    if r in ("OK", "EXPECTEDFAIL"):
                        passed += 1
                    elif r == "SKIP":
                        continue
                    else:
                        failed += 1
    elif os.path.exists(arg):
        with open(arg, encoding="utf-8") as f:
            for line in f:
                # One line per harness ("fuzz_body: ok (N runs)"); the
                # indented lines under a failure are its details.
                if not line.strip() or line[0].isspace():
                    continue
                if ": ok" in line:
                    passed += 1
                else:
                    failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or passed == 0 else 0)
