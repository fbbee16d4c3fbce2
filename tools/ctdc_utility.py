#!/usr/bin/env python3
"""Utility of a CTDC export: the share of quasi-identifier cells kept
(not -99) per column, and the smallest group of quasi-identifier values.

    python3 tools/ctdc_utility.py ctdc.csv [k]

Cells that were missing before anonymisation count as lost too, so the
figures are a lower bound of what suppression kept."""
import csv, sys
from collections import Counter

QI = ['yearOfRegistration', 'gender', 'ageBroad', 'majorityStatus', 'majorityStatusAtExploit',
      'citizenship', 'CountryOfExploitation', 'typeOfExploitConcatenated']
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
k = int(sys.argv[2]) if len(sys.argv) > 2 else 11
n = len(rows)
print(f'rows {n}')
total = 0
for c in QI:
    kept = sum(1 for r in rows if r[c] != '-99')
    total += kept
    print(f'{c:28s} {kept:7d} {100.0 * kept / n if n else 0:6.1f} %')
print(f'{"all quasi-identifiers":28s} {total:7d} {100.0 * total / (n * len(QI)) if n else 0:6.1f} %')
groups = Counter(tuple(r[c] for c in QI) for r in rows)
print(f'groups {len(groups)}, smallest {min(groups.values()) if groups else 0} (k = {k})')
sys.exit(0 if not groups or min(groups.values()) >= k else 1)
