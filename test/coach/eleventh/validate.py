#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl and print the totals tables."""
import json, os, re, sys, datetime
from collections import Counter
here = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
REGS = ["terse","sentence","non-native"]
LABELS = ["action","outcome","vague"]
REF = datetime.date(2026, 11, 18)
errors = []
def load(name):
    out = []
    for n, line in enumerate(open(os.path.join(here, name), encoding="utf-8"), 1):
        try:
            out.append(json.loads(line))
        except Exception as e:
            errors.append(f"{name}:{n} bad json {e}")
    return out
steps, goals = load("steps.jsonl"), load("goals.jsonl")
def words(t):
    return re.findall(r"[a-z0-9£$%#.'/+-]+", t.lower())
def wset(t):
    return set(w.strip(".'") for w in re.findall(r"[a-z0-9£$%#'/+-]+", t.lower())) - {""}
# ids
for items, prefix, name in ((steps, "s11s", "steps"), (goals, "s11g", "goals")):
    ids = [o.get("id") for o in items]
    if len(ids) != len(set(ids)):
        errors.append(f"{name}: duplicate ids")
    for i, o in enumerate(items, 1):
        if o.get("id") != "%s%03d" % (prefix, i):
            errors.append(f"{name}: id out of order at {i}: {o.get('id')}")
    # domain order
    order = [DOMAINS.index(o["domain"]) if o.get("domain") in DOMAINS else -1 for o in items]
    if order != sorted(order):
        errors.append(f"{name}: not in domain order")
# fields
for o in steps:
    keys = set(o) - {"note"}
    if keys != {"id","text","label","domain","register"}:
        errors.append(f"{o.get('id')}: bad keys {sorted(o)}")
    if o.get("label") not in LABELS: errors.append(f"{o['id']}: bad label")
    if o.get("domain") not in DOMAINS: errors.append(f"{o['id']}: bad domain")
    if o.get("register") not in REGS: errors.append(f"{o['id']}: bad register")
for o in goals:
    if set(o) != {"id","text","measurable","timeBound","due","domain","register"}:
        errors.append(f"{o.get('id')}: bad keys {sorted(o)}")
    if not isinstance(o.get("measurable"), bool) or not isinstance(o.get("timeBound"), bool):
        errors.append(f"{o['id']}: M/T not bool")
    if o.get("domain") not in DOMAINS: errors.append(f"{o['id']}: bad domain")
    if o.get("register") not in REGS: errors.append(f"{o['id']}: bad register")
    if o.get("timeBound"):
        try:
            d = datetime.date.fromisoformat(o.get("due") or "")
            if d < REF: errors.append(f"{o['id']}: due before 2026-11-18")
        except ValueError:
            errors.append(f"{o['id']}: timeBound but due invalid: {o.get('due')}")
    elif o.get("due") is not None:
        errors.append(f"{o['id']}: due set but timeBound false")
# texts
allitems = steps + goals
seen = {}
for o in allitems:
    k = o["text"].strip().lower()
    if k in seen: errors.append(f"{o['id']}: duplicate text of {seen[k]}")
    seen[k] = o["id"]
    n = len(o["text"].split())
    if not 2 <= n <= 25: errors.append(f"{o['id']}: {n} words")
sets = [(o["id"], wset(o["text"])) for o in allitems]
for i in range(len(sets)):
    for j in range(i + 1, len(sets)):
        a, b = sets[i][1], sets[j][1]
        if a and b:
            jac = len(a & b) / len(a | b)
            if jac >= 0.6:
                errors.append(f"near-duplicate {sets[i][0]} ~ {sets[j][0]} ({jac:.2f})")
def table(title, rows, cols, cnt):
    print(f"\n{title}")
    w = max(12, *(len(r) for r in rows))
    print(" " * w + "".join(f"{c:>12}" for c in cols) + f"{'total':>8}")
    for r in rows:
        print(f"{r:<{w}}" + "".join(f"{cnt[(r,c)]:>12}" for c in cols) + f"{sum(cnt[(r,c)] for c in cols):>8}")
    print(f"{'total':<{w}}" + "".join(f"{sum(cnt[(r,c)] for r in rows):>12}" for c in cols) + f"{sum(cnt.values()):>8}")
print(f"steps: {len(steps)}   goals: {len(goals)}")
table("Steps: label x register", LABELS, REGS, Counter((o["label"], o["register"]) for o in steps))
table("Steps: domain x label", DOMAINS, LABELS, Counter((o["domain"], o["label"]) for o in steps))
mt = Counter()
for o in goals:
    mt[(o["domain"], "M=T")] += o["measurable"]; mt[(o["domain"], "M=F")] += not o["measurable"]
    mt[(o["domain"], "T=T")] += o["timeBound"]; mt[(o["domain"], "T=F")] += not o["timeBound"]
print("\n(M and T columns each sum to the domain's goal count; 'total' below double-counts)")
table("Goals: domain x measurable/timeBound", DOMAINS, ["M=T","M=F","T=T","T=F"], mt)
table("Goals: domain x register", DOMAINS, REGS, Counter((o["domain"], o["register"]) for o in goals))
table("Goals: M x T", ["M=true","M=false"], ["T=true","T=false"],
      Counter((f"M={str(o['measurable']).lower()}", f"T={str(o['timeBound']).lower()}") for o in goals))
print(f"\nerrors: {len(errors)}")
for e in errors: print("  " + e)
sys.exit(1 if errors else 0)
