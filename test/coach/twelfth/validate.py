#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl and print the totals tables."""
import json, os, re, sys, datetime
from collections import Counter
here = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REGS = ["terse", "sentence", "non-native"]
LABELS = ["action", "outcome", "vague"]
REF = datetime.date(2026, 11, 18)
errors = []

def load(name):
    out = []
    for i, line in enumerate(open(os.path.join(here, name), encoding="utf-8"), 1):
        try:
            out.append(json.loads(line))
        except Exception as e:
            errors.append(f"{name}:{i}: bad json {e}")
    return out

steps, goals = load("steps.jsonl"), load("goals.jsonl")

def words(t):
    return t.split()

def wset(t):
    return set(w for w in re.findall(r"[a-z0-9£%#']+", t.lower()))

seen_ids, seen_txt = set(), {}
for kind, items, prefix in (("step", steps, "s12s"), ("goal", goals, "s12g")):
    last_dom = 0
    for n, o in enumerate(items, 1):
        i = o.get("id")
        if i != f"{prefix}{n:03d}":
            errors.append(f"{i}: id not sequential (expected {prefix}{n:03d})")
        if i in seen_ids:
            errors.append(f"{i}: duplicate id")
        seen_ids.add(i)
        t = o.get("text", "")
        k = t.strip().lower()
        if k in seen_txt:
            errors.append(f"{i}: duplicate text of {seen_txt[k]}")
        seen_txt[k] = i
        nw = len(words(t))
        if not 2 <= nw <= 25:
            errors.append(f"{i}: {nw} words")
        if o.get("domain") not in DOMAINS:
            errors.append(f"{i}: bad domain")
        else:
            di = DOMAINS.index(o["domain"])
            if di < last_dom:
                errors.append(f"{i}: domain order")
            last_dom = di
        if o.get("register") not in REGS:
            errors.append(f"{i}: bad register")
        if kind == "step":
            allowed = {"id", "text", "label", "domain", "register", "note"}
            if o.get("label") not in LABELS:
                errors.append(f"{i}: bad label")
        else:
            allowed = {"id", "text", "measurable", "timeBound", "due", "domain", "register"}
            if not isinstance(o.get("measurable"), bool) or not isinstance(o.get("timeBound"), bool):
                errors.append(f"{i}: measurable/timeBound not bool")
            due = o.get("due", "MISSING")
            if o.get("timeBound") is False and due is not None:
                errors.append(f"{i}: due must be null when timeBound false")
            if o.get("timeBound") is True:
                try:
                    d = datetime.date.fromisoformat(due)
                    if d < REF:
                        errors.append(f"{i}: due {due} before 2026-11-18")
                except Exception:
                    errors.append(f"{i}: bad due {due!r}")
        extra = set(o) - allowed
        if extra:
            errors.append(f"{i}: unexpected keys {extra}")

allitems = steps + goals
sets = [(o["id"], wset(o["text"])) for o in allitems]
for a in range(len(sets)):
    for b in range(a + 1, len(sets)):
        A, B = sets[a][1], sets[b][1]
        if A and B:
            j = len(A & B) / len(A | B)
            if j >= 0.6:
                errors.append(f"near-duplicate {sets[a][0]} ~ {sets[b][0]} (J={j:.2f})")

def table(title, rows, cols, get):
    print(f"\n{title}")
    print("| | " + " | ".join(cols) + " | total |")
    print("|---|" + "---|" * (len(cols) + 1))
    colt = Counter()
    for r in rows:
        vals = [get(r, c) for c in cols]
        for c, v in zip(cols, vals):
            colt[c] += v
        print(f"| {r} | " + " | ".join(str(v) for v in vals) + f" | {sum(vals)} |")
    print("| total | " + " | ".join(str(colt[c]) for c in cols) + f" | {sum(colt.values())} |")

sc = Counter((o["label"], o["register"]) for o in steps)
table("Steps: label x register", LABELS, REGS, lambda r, c: sc[(r, c)])
dc = Counter((o["domain"], o["label"]) for o in steps)
table("Steps: domain x label", DOMAINS, LABELS, lambda r, c: dc[(r, c)])
dr = Counter((o["domain"], o["register"]) for o in steps)
table("Steps: domain x register", DOMAINS, REGS, lambda r, c: dr[(r, c)])
MT = ["M+T", "M only", "T only", "neither"]
def mt(o):
    return {(True, True): "M+T", (True, False): "M only", (False, True): "T only", (False, False): "neither"}[(o["measurable"], o["timeBound"])]
gm = Counter((o["domain"], mt(o)) for o in goals)
table("Goals: domain x measurable/timeBound", DOMAINS, MT, lambda r, c: gm[(r, c)])
gr = Counter((o["domain"], o["register"]) for o in goals)
table("Goals: domain x register", DOMAINS, REGS, lambda r, c: gr[(r, c)])
tot = len(steps)
print("\nstep label shares: " + ", ".join(f"{l} {100*sum(1 for o in steps if o['label']==l)/tot:.1f}%" for l in LABELS))
print(f"\nsteps={len(steps)} goals={len(goals)}")
if len(steps) < 650: errors.append("fewer than 650 steps")
if len(goals) < 165: errors.append("fewer than 165 goals")
print(f"\n{len(errors)} errors")
for e in errors:
    print("  " + e)
sys.exit(1 if errors else 0)
