#!/usr/bin/env python3
"""Check that every GET route that may wait for the database's writer is
flagged ROUTE_WRITES in src/api/routes.c, so that it runs off the request
threads (src/http/offload.c) and the reads beside it do not wait with it.

A route may wait when its handler reaches, through the calls written in
src/api, src/domain and src/store, one of WAITS.  The calls are found by
name in each function's text: a function pointer is not followed, and a
name used for two functions is taken as one.  Prints each GET route that
waits, and exits 1 when one lacks the flag or a flagged one does not wait.

    python3 tools/routes_that_write.py [ROOT]
"""
import glob
import os
import re
import sys

WAITS = ('store_begin', 'audit_sync', 'store_group_submit')


def functions(paths):
    """Name -> text of each function defined at the top level of paths."""
    out = {}
    for path in paths:
        lines = open(path, encoding='utf-8').read().split('\n')
        i = 0
        while i < len(lines):
            m = re.match(r'^[a-z][^=;]*?\b(\w+)\(', lines[i])
            if not m or lines[i].startswith(('static const', 'const ')):
                i += 1
                continue
            if lines[i].rstrip().endswith('}'):  # one line
                out[m.group(1)] = lines[i]
                i += 1
                continue
            j = i
            while j < len(lines) and not lines[j].endswith('{') and not lines[j].endswith(';'):
                j += 1
            if j == len(lines) or lines[j].endswith(';'):
                i = j + 1
                continue
            k = j
            while k < len(lines) and lines[k] != '}':
                k += 1
            out[m.group(1)] = '\n'.join(lines[i:k + 1])
            i = k + 1
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    src = lambda d: glob.glob(os.path.join(root, 'src', d, '*.c'))
    fns = functions(src('api') + src('domain') + src('store'))
    memo = {}

    def path_to_wait(fn, seen=()):
        if fn in memo:
            return memo[fn]
        if fn in seen or fn not in fns:
            return None
        body = fns[fn]
        for w in WAITS:
            if fn != w and re.search(r'\b' + w + r'\(', body):
                memo[fn] = [fn, w]
                return memo[fn]
        for callee in sorted(set(re.findall(r'\b(\w+)\(', body))):
            if callee != fn and callee in fns:
                p = path_to_wait(callee, seen + (fn,))
                if p:
                    memo[fn] = [fn] + p
                    return memo[fn]
        if not seen:
            memo[fn] = None
        return None

    routes = open(os.path.join(root, 'src', 'api', 'routes.c'), encoding='utf-8').read()
    bad = 0
    for m in re.finditer(r'\{(M_[A-Z_| ]+), V1 "([^"]+)", (\w+), ([^}]*)\}', routes):
        methods, path, fn, flags = m.groups()
        if 'M_GET' not in methods:
            continue
        p = path_to_wait(fn)
        flagged = 'ROUTE_WRITES' in flags
        if p:
            print(('ok   ' if flagged else 'MISSING ROUTE_WRITES ') + path + ': ' + ' -> '.join(p))
        elif flagged:
            print('ROUTE_WRITES but waits for nothing: ' + path)
        bad += bool(p) != flagged
    print('%d route(s) wrong' % bad)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
