#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl of set8 and print the totals tables."""
import json, os, re, sys, itertools
from collections import Counter
from datetime import date
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REGS = ["terse", "sentence", "non-native"]
LABELS = ["action", "outcome", "vague"]
REF = date(2026, 11, 18)
errors = []

def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]

def words(t):
    return set(re.findall(r"[a-z0-9£$%'.\-]+", t.lower().replace("'s", "")))

def wset(t):
    return {w.strip(".-'") for w in words(t)} - {""}

steps, goals = load("steps.jsonl"), load("goals.jsonl")
# ids
for kind, items, pre in (("step", steps, "s8s"), ("goal", goals, "s8g")):
    ids = [x["id"] for x in items]
    if len(set(ids)) != len(ids):
        errors.append("duplicate %s ids" % kind)
    for i, x in enumerate(items, 1):
        if x["id"] != "%s%03d" % (pre, i):
            errors.append("%s id out of sequence: %s" % (kind, x["id"]))
    # domain order
    order = [DOMAINS.index(x["domain"]) if x["domain"] in DOMAINS else -1 for x in items]
    if order != sorted(order):
        errors.append("%s items not in domain order" % kind)
allitems = steps + goals
texts = Counter(x["text"].strip().lower() for x in allitems)
for t, c in texts.items():
    if c > 1:
        errors.append("duplicate text: %r" % t)
for x in allitems:
    if x.get("domain") not in DOMAINS:
        errors.append("%s bad domain" % x["id"])
    if x.get("register") not in REGS:
        errors.append("%s bad register" % x["id"])
    n = len(x["text"].split())
    if not 2 <= n <= 25:
        errors.append("%s has %d words" % (x["id"], n))
for s in steps:
    if s.get("label") not in LABELS:
        errors.append("%s bad label" % s["id"])
    extra = set(s) - {"id", "text", "label", "domain", "register", "note"}
    if extra:
        errors.append("%s extra keys %s" % (s["id"], extra))
for g in goals:
    if not isinstance(g.get("measurable"), bool) or not isinstance(g.get("timeBound"), bool):
        errors.append("%s measurable/timeBound not bool" % g["id"])
    extra = set(g) - {"id", "text", "measurable", "timeBound", "due", "domain", "register"}
    if extra:
        errors.append("%s extra keys %s" % (g["id"], extra))
    if g["timeBound"]:
        try:
            d = date.fromisoformat(g["due"])
            if d < REF:
                errors.append("%s due before reference day" % g["id"])
        except Exception:
            errors.append("%s timeBound but due invalid: %r" % (g["id"], g["due"]))
    elif g["due"] is not None:
        errors.append("%s due must be null when timeBound false" % g["id"])
# near-duplicates across all items
ws = [(x["id"], wset(x["text"])) for x in allitems]
for (i1, a), (i2, b) in itertools.combinations(ws, 2):
    if a and b and len(a & b) / len(a | b) >= 0.6:
        errors.append("near-duplicate %s ~ %s" % (i1, i2))
# size requirements
if len(steps) < 650: errors.append("fewer than 650 steps")
if len(goals) < 165: errors.append("fewer than 165 goals")

def table(title, rows, cols, get):
    print("\n" + title)
    w = max(len(r) for r in rows + ["total"]) + 2
    print("".ljust(w) + "".join(c.rjust(12) for c in cols) + "total".rjust(8))
    colt = Counter()
    for r in rows:
        vals = [get(r, c) for c in cols]
        for c, v in zip(cols, vals): colt[c] += v
        print(r.ljust(w) + "".join(str(v).rjust(12) for v in vals) + str(sum(vals)).rjust(8))
    print("total".ljust(w) + "".join(str(colt[c]).rjust(12) for c in cols) + str(sum(colt.values())).rjust(8))

sc = Counter((s["label"], s["register"]) for s in steps)
table("Steps: label x register", LABELS, REGS, lambda r, c: sc[(r, c)])
sd = Counter((s["domain"], s["label"]) for s in steps)
table("Steps: domain x label", DOMAINS, LABELS, lambda r, c: sd[(r, c)])
sdr = Counter((s["domain"], s["register"]) for s in steps)
table("Steps: domain x register", DOMAINS, REGS, lambda r, c: sdr[(r, c)])
MT = ["M+T+", "M+T-", "M-T+", "M-T-"]
def mt(g): return ("M+" if g["measurable"] else "M-") + ("T+" if g["timeBound"] else "T-")
gd = Counter((g["domain"], mt(g)) for g in goals)
table("Goals: domain x measurable/timeBound", DOMAINS, MT, lambda r, c: gd[(r, c)])
gr = Counter((g["domain"], g["register"]) for g in goals)
table("Goals: domain x register", DOMAINS, REGS, lambda r, c: gr[(r, c)])
print("\nGoals measurable=true: %d, timeBound=true: %d of %d"
      % (sum(g["measurable"] for g in goals), sum(g["timeBound"] for g in goals), len(goals)))
print("Steps label shares: " + ", ".join("%s %.0f%%" % (l, 100 * sum(s["label"] == l for s in steps) / len(steps)) for l in LABELS))
print("\n%d errors" % len(errors))
for e in errors:
    print("ERROR:", e)
sys.exit(1 if errors else 0)
