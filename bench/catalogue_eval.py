#!/usr/bin/env python3
"""Relevance and naive-SQL side of bench/catalogue.sh (Python 3.11 standard library).

Sends every query of queries.json (bench/catalogue_data.py) once to the gateway, one at a
time, and checks each answer against what the query expects:
  topic_region   the first hit is of the expected office
  common_word    at least one hit
  title_typos    the expected publication is among the first 3 hits
  fragment_typo  the first hit is of the expected office
  office_year    every hit is of the office and covers the year, and there are as many hits
                 as public publications match (at most 10)
  odd_input      (10,000 characters, punctuation, stop words, mixed scripts, one letter, % and
                 _, quotes and operators) answered 200 with a page of items, possibly empty;
                 for the naive SQL: it ran without an error
Then runs the naive SQL of every query in one psql session with \\timing on (a warm-up pass,
then the measured pass) and judges the naive answers by the same rules. Prints both side by
side, with the gateway's latency under load from wrk (--wrk) when given.

  python3 bench/catalogue_eval.py --base http://127.0.0.1:PORT --queries DIR/queries.json \\
      --db pst_x_catalogue [--wrk results.tsv] [--warmup]
"""

import argparse
import collections
import json
import math
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

CLASSES = ["topic_region", "common_word", "title_typos", "fragment_typo", "office_year", "odd_input"]
CRITERION = {
    "topic_region": "first hit in the expected office",
    "common_word": "at least one hit",
    "title_typos": "expected publication in the top 3",
    "fragment_typo": "first hit in the expected office",
    "office_year": "hits all match the filter, as many as expected",
    "odd_input": "HTTP 200 with a page (items, possibly none)",
}


def pct(values, p):
    """Nearest-rank percentile, or None without values."""
    if not values:
        return None
    v = sorted(values)
    return v[max(0, math.ceil(p / 100 * len(v)) - 1)]


def fmt(x, width=7, digits=1):
    return f"{'-':>{width}}" if x is None else f"{x:>{width}.{digits}f}"


def fetch(base, path, timeout):
    """(status, parsed JSON or None, seconds); status 0 = no answer (connection, timeout)."""
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
        return 0, str(e), time.perf_counter() - t0
    took = time.perf_counter() - t0
    try:
        return status, json.loads(body), took
    except ValueError:
        return status, None, took


def hits_of(answer):
    """(id, office_code, year_from, year_to) of each hit in a search answer."""
    out = []
    for item in (answer or {}).get("items", []) if isinstance(answer, dict) else []:
        p = item.get("publication", {})
        out.append((p.get("id"), p.get("office_code"), p.get("year_from"), p.get("year_to")))
    return out


def relevant(q, hits, answer=None):
    e, cls = q["expect"], q["class"]
    if cls == "odd_input":
        return isinstance(answer, dict) and isinstance(answer.get("items"), list)
    if cls == "common_word":
        return bool(hits)
    if cls in ("topic_region", "fragment_typo"):
        return bool(hits) and hits[0][1] == e["office_code"]
    if cls == "title_typos":
        return e["id"] in [h[0] for h in hits[:3]]
    if cls == "office_year":
        y = e["year"]
        # Years may be absent from naive rows (they select id and office only).
        fits = all(h[1] == e["office_code"] and (h[2] is None or (h[2] or 0) <= y)
                   and (h[3] is None or (h[3] or 9999) >= y) for h in hits)
        return fits and len(hits) >= min(10, e["matching_public"])
    raise ValueError(cls)


def same_name_miss(q, hits):
    """A topic_region miss whose first hit is an office sharing a word of the region's name."""
    return (q["class"] == "topic_region" and bool(hits) and hits[0][1] != q["expect"]["office_code"]
            and hits[0][1] in q["expect"].get("same_name_offices", []))


def run_gateway(base, queries, timeout):
    res = {}
    for q in queries:
        status, answer, took = fetch(base, q["path"], timeout)
        res[id(q)] = (status, hits_of(answer) if status == 200 else [], took, answer)
    return res


def run_naive(args, queries, passes):
    """{(class, index): (rows, ms or None)} of the last pass; and psql's error lines."""
    lines = ["\\timing on", "\\set ON_ERROR_STOP 0"]
    idx = collections.Counter()
    keys = []
    for q in queries:
        keys.append((q["class"], idx[q["class"]]))
        idx[q["class"]] += 1
    for p in range(passes):
        for (cls, i), q in zip(keys, queries):
            lines.append(f"\\echo @@ {p} {cls} {i}")
            lines.append(q["naive_sql"])
    script = "\n".join(lines) + "\n"
    cmd = ["psql", "-X", "-q", "-At", "-h", args.host, "-U", args.user, "-d", args.db, "-f", "-"]
    r = subprocess.run(cmd, input=script, capture_output=True, text=True)
    if r.returncode != 0 and not r.stdout:
        sys.exit(f"psql failed ({r.returncode}): {r.stderr.strip()[:500]}")
    out = {}
    cur = None
    last = str(passes - 1)
    for line in r.stdout.splitlines():
        m = re.match(r"^@@ (\d+) (\w+) (\d+)$", line)
        if m:
            cur = (m.group(2), int(m.group(3))) if m.group(1) == last else None
            if cur:
                out[cur] = ([], None)
            continue
        if cur is None:
            continue
        m = re.match(r"^Time: ([0-9.]+) ms", line)
        if m:
            out[cur] = (out[cur][0], float(m.group(1)))
        elif "|" in line:
            rid, office = line.split("|", 1)
            out[cur][0].append((rid, office, None, None))
    errors = [l for l in r.stderr.splitlines() if "ERROR" in l]
    return out, keys, errors


def read_wrk(path):
    """class -> (p50, p95, p99, req/s, requests, non-2xx, timeouts) from catalogue.sh's file."""
    out = {}
    if not path:
        return out
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 9 and parts[1] == "RESULT":
                    out[parts[0]] = tuple(float(x) for x in parts[2:])
    except FileNotFoundError:
        pass
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="gateway URL, e.g. http://127.0.0.1:8080")
    ap.add_argument("--queries", required=True, help="queries.json of catalogue_data.py")
    ap.add_argument("--db", help="catalogue database for the naive SQL (omit to skip it)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--wrk", help="wrk results: lines CLASS<TAB>RESULT<TAB>p50 p95 p99 rps requests non2xx timeouts")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    ap.add_argument("--naive-passes", type=int, default=2, help="passes over the naive SQL; the last is measured")
    ap.add_argument("--warmup", action="store_true", help="only send every query once and report the statuses")
    ap.add_argument("--show-misses", type=int, default=3, help="misses printed per class")
    args = ap.parse_args()
    with open(args.queries, encoding="utf-8") as f:
        data = json.load(f)
    queries = data["queries"]
    by_class = collections.defaultdict(list)
    for q in queries:
        by_class[q["class"]].append(q)

    t0 = time.perf_counter()
    gw = run_gateway(args.base, queries, args.timeout)
    statuses = collections.Counter(v[0] for v in gw.values())
    if args.warmup:
        desc = ", ".join(f"{'no answer' if s == 0 else s}: {n}" for s, n in sorted(statuses.items()))
        print(f"warm-up: {len(queries)} requests in {time.perf_counter() - t0:.1f} s ({desc})")
        if statuses.get(200, 0) == 0:
            first = next(iter(gw.values()))
            sys.exit(f"no query answered 200; first answer: {str(first[3])[:300]}")
        return

    naive, keys, naive_errors = ({}, [], [])
    if args.db:
        naive, keys, naive_errors = run_naive(args, queries, max(1, args.naive_passes))
    key_of = {id(q): k for q, k in zip(queries, keys)}
    wrk = read_wrk(args.wrk)

    print(f"Relevance: each of the {len(queries)} queries sent once to the gateway (one client, anonymous: "
          f"public entries only) and run once as naive SQL (all entries; the last of {args.naive_passes} passes).")
    head = (f"{'class':<14} {'criterion':<47} {'gateway':>8} {'naive':>7}   {'gw >=1 hit':>10} {'naive >=1':>9} "
            f"{'gw 5xx':>6} {'gw other':>8} {'sql err':>7}")
    print(head)
    print("-" * len(head))
    misses_to_show = []
    for cls in CLASSES:
        qs = by_class.get(cls, [])
        if not qs:
            continue
        n = len(qs)
        g_rel = g_hit = g5 = gother = same_name = 0
        n_rel = n_hit = n_err = 0
        shown = 0
        for q in qs:
            status, hits, took, answer = gw[id(q)]
            if status >= 500:
                g5 += 1
            elif status != 200:
                gother += 1
            ok = status == 200 and relevant(q, hits, answer)
            g_rel += ok
            g_hit += bool(hits)
            same_name += same_name_miss(q, hits)
            if not ok and shown < args.show_misses:
                shown += 1
                first = hits[0] if hits else None
                misses_to_show.append(f"  {cls}: q={(q['q'] or '')[:120]!r} params={q['params'][:160]} -> HTTP {status}, "
                                      f"{len(hits)} hits, first {first}; expected {json.dumps(q['expect'], ensure_ascii=False)[:200]}")
            if args.db:
                rows, ms = naive.get(key_of[id(q)], ([], None))
                if ms is None:
                    n_err += 1
                n_rel += (ms is not None) if cls == "odd_input" else relevant(q, rows)
                n_hit += bool(rows)
        naive_rel = f"{100 * n_rel / n:>6.0f}%" if args.db else f"{'-':>7}"
        naive_hit = f"{100 * n_hit / n:>8.0f}%" if args.db else f"{'-':>9}"
        print(f"{cls:<14} {CRITERION[cls]:<47} {100 * g_rel / n:>7.0f}% {naive_rel}   {100 * g_hit / n:>9.0f}% "
              f"{naive_hit} {g5:>6} {gother:>8} {n_err if args.db else '-':>7}")
        if cls == "topic_region" and same_name:
            print(f"{'':<14}   ({same_name} of the gateway's misses: first hit in another office sharing a word "
                  f"of the region's name, e.g. Musi Rawas / Musi Rawas Utara)")
    if naive_errors:
        print(f"psql errors in the naive SQL: {len(naive_errors)}, e.g. {naive_errors[0][:200]}")
    if misses_to_show:
        print("Some misses of the gateway:")
        print("\n".join(misses_to_show))

    print()
    print("Latency in ms. Gateway under load: wrk -t2 -c8 over the class's 100 paths (with the import "
          "running); one client: the relevance pass above; naive: psql \\timing, one session.")
    head = (f"{'class':<14} | {'wrk p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'non2xx':>6} {'tmo':>4} | "
            f"{'1 client p50':>12} {'p95':>7} {'p99':>7} | {'naive p50':>9} {'p95':>7} {'p99':>7}")
    print(head)
    print("-" * len(head))
    for cls in CLASSES:
        qs = by_class.get(cls, [])
        if not qs:
            continue
        w = wrk.get(cls)
        one = [gw[id(q)][2] * 1000 for q in qs if gw[id(q)][0] != 0]
        nv = [naive.get(key_of[id(q)], ([], None))[1] for q in qs] if args.db else []
        nv = [x for x in nv if x is not None]
        wcols = (f"{fmt(w[0])} {fmt(w[1])} {fmt(w[2])} {fmt(w[3], 7, 0)} {int(w[5]):>6} {int(w[6]):>4}" if w
                 else f"{'-':>7} {'-':>7} {'-':>7} {'-':>7} {'-':>6} {'-':>4}")
        print(f"{cls:<14} | {wcols} | {fmt(pct(one, 50), 12)} {fmt(pct(one, 95))} {fmt(pct(one, 99))} | "
              f"{fmt(pct(nv, 50), 9, 2)} {fmt(pct(nv, 95), 7, 2)} {fmt(pct(nv, 99), 7, 2)}")
    print("(p99 of 100 single measurements is their second-largest value; the gateway's one-client figures "
          "include HTTP, gRPC, facets and snippets, the naive ones only the SQL.)")


if __name__ == "__main__":
    main()
