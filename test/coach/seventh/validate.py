#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl of set7 and print the totals tables."""
import json, os, re, sys, datetime
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REGS = ["terse", "sentence", "non-native"]
LABELS = ["action", "outcome", "vague"]
REF = datetime.date(2026, 11, 18)
errors = []

def err(msg):
    errors.append(msg)

def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except Exception as e:
                err(f"{name}:{n}: bad JSON ({e})")
    return rows

def wordset(t):
    return set(w for w in re.findall(r"[a-z0-9£$%#]+(?:['.,/-][a-z0-9]+)*", t.lower()))

steps, goals = load("steps.jsonl"), load("goals.jsonl")

# keys and values
SK = {"id", "text", "label", "domain", "register"}
GK = {"id", "text", "measurable", "timeBound", "due", "domain", "register"}
for s in steps:
    keys = set(s)
    if not SK <= keys or keys - SK - {"note"}:
        err(f"{s.get('id')}: step keys {sorted(keys)}")
    if not re.fullmatch(r"s7s\d{3}", str(s.get("id"))): err(f"{s.get('id')}: bad step id")
    if s.get("label") not in LABELS: err(f"{s['id']}: bad label {s.get('label')}")
    if s.get("domain") not in DOMAINS: err(f"{s['id']}: bad domain")
    if s.get("register") not in REGS: err(f"{s['id']}: bad register")
    if "note" in s and not (isinstance(s["note"], str) and s["note"].strip()): err(f"{s['id']}: empty note")
for g in goals:
    keys = set(g)
    if keys != GK: err(f"{g.get('id')}: goal keys {sorted(keys)}")
    if not re.fullmatch(r"s7g\d{3}", str(g.get("id"))): err(f"{g.get('id')}: bad goal id")
    if not isinstance(g.get("measurable"), bool): err(f"{g['id']}: measurable not bool")
    if not isinstance(g.get("timeBound"), bool): err(f"{g['id']}: timeBound not bool")
    if g.get("domain") not in DOMAINS: err(f"{g['id']}: bad domain")
    if g.get("register") not in REGS: err(f"{g['id']}: bad register")
    due = g.get("due")
    if g.get("timeBound") is False and due is not None: err(f"{g['id']}: due set but timeBound false")
    if g.get("timeBound") is True:
        if not isinstance(due, str): err(f"{g['id']}: timeBound true but due null")
        else:
            try:
                d = datetime.date.fromisoformat(due)
                if d < REF: err(f"{g['id']}: due {due} before 2026-11-18")
                if len(due) != 10: err(f"{g['id']}: due not YYYY-MM-DD")
            except ValueError:
                err(f"{g['id']}: bad due {due!r}")

# ids unique and in order; domain order
for rows, prefix in ((steps, "s7s"), (goals, "s7g")):
    ids = [r.get("id") for r in rows]
    if len(set(ids)) != len(ids): err(f"duplicate ids in {prefix}")
    for i, r in enumerate(rows, 1):
        if r.get("id") != f"{prefix}{i:03d}": err(f"{r.get('id')}: expected {prefix}{i:03d}")
    order = [DOMAINS.index(r["domain"]) for r in rows if r.get("domain") in DOMAINS]
    if order != sorted(order): err(f"{prefix}: not in domain order")

# texts
allitems = [(r["id"], r["text"]) for r in steps + goals]
seen = {}
for i, t in allitems:
    k = t.strip().lower()
    if k in seen: err(f"{i}: duplicate text of {seen[k]}")
    seen[k] = i
    n = len(t.split())
    if n < 2 or n > 25: err(f"{i}: {n} words")
sets = [(i, t, wordset(t)) for i, t in allitems]
for a in range(len(sets)):
    for b in range(a + 1, len(sets)):
        A, B = sets[a][2], sets[b][2]
        if not A or not B: continue
        j = len(A & B) / len(A | B)
        if j >= 0.6:
            err(f"near-duplicate {sets[a][0]} / {sets[b][0]} (J={j:.2f}): {sets[a][1]!r} ~ {sets[b][1]!r}")

# tables
def table(title, rows, cols, cell):
    print(f"\n{title}")
    w = max(12, max(len(r) for r in rows) + 1)
    print("".join([f"{'':<{w}}"] + [f"{c:>12}" for c in cols] + [f"{'total':>8}"]))
    colt = Counter()
    for r in rows:
        vals = [cell(r, c) for c in cols]
        for c, v in zip(cols, vals): colt[c] += v
        print("".join([f"{r:<{w}}"] + [f"{v:>12}" for v in vals] + [f"{sum(vals):>8}"]))
    print("".join([f"{'total':<{w}}"] + [f"{colt[c]:>12}" for c in cols] + [f"{sum(colt.values()):>8}"]))

print(f"steps: {len(steps)}   goals: {len(goals)}")
lc = Counter(s["label"] for s in steps)
print("step labels: " + ", ".join(f"{l} {lc[l]} ({100*lc[l]/max(1,len(steps)):.1f} %)" for l in LABELS))
table("Steps: label x register", LABELS, REGS, lambda r, c: sum(1 for s in steps if s["label"] == r and s["register"] == c))
table("Steps: domain x label", DOMAINS, LABELS, lambda r, c: sum(1 for s in steps if s["domain"] == r and s["label"] == c))
table("Steps: domain x register", DOMAINS, REGS, lambda r, c: sum(1 for s in steps if s["domain"] == r and s["register"] == c))
MT = ["M+T+", "M+T-", "M-T+", "M-T-"]
def mt(g): return ("M+" if g["measurable"] else "M-") + ("T+" if g["timeBound"] else "T-")
table("Goals: domain x M/T", DOMAINS, MT, lambda r, c: sum(1 for g in goals if g["domain"] == r and mt(g) == c))
table("Goals: domain x register", DOMAINS, REGS, lambda r, c: sum(1 for g in goals if g["domain"] == r and g["register"] == c))
print(f"\ngoals measurable: {sum(g['measurable'] for g in goals)}  timeBound: {sum(g['timeBound'] for g in goals)}")
notes = sum(1 for s in steps if "note" in s)
print(f"steps with a note: {notes}")

print(f"\n{len(errors)} errors")
for e in errors:
    print("ERROR", e)
sys.exit(1 if errors else 0)
