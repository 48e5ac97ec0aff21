#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl and print the totals tables."""
import json, os, re, datetime, itertools
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REGS = ["terse", "sentence", "non-native"]
LABELS = ["action", "outcome", "vague"]
REF = datetime.date(2026, 11, 18)
errors = []
def load(name):
    rows = []
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            try:
                rows.append(json.loads(line))
            except Exception as e:
                errors.append("%s:%d bad json %s" % (name, i, e))
    return rows
steps, goals = load("steps.jsonl"), load("goals.jsonl")
SKEYS = {"id", "text", "label", "domain", "register"}
GKEYS = {"id", "text", "measurable", "timeBound", "due", "domain", "register"}
def words(t):
    return re.findall(r"[a-z0-9\u00c0-\u024f£$€%°'.,/-]+", t.lower())
def wset(t):
    return set(re.findall(r"[a-z0-9\u00c0-\u024f£$€%°']+", t.lower()))
def check_common(rows, prefix, keys):
    last_dom = -1
    for i, o in enumerate(rows, 1):
        ks = set(o)
        if not keys <= ks or not ks <= keys | {"note"}:
            errors.append("%s bad keys %s" % (o.get("id"), sorted(ks)))
        if o.get("id") != "%s%03d" % (prefix, i):
            errors.append("id out of sequence at %d: %s" % (i, o.get("id")))
        if o.get("domain") not in DOMAINS:
            errors.append("%s bad domain" % o.get("id")); continue
        di = DOMAINS.index(o["domain"])
        if di < last_dom:
            errors.append("%s domain order" % o["id"])
        last_dom = di
        if o.get("register") not in REGS:
            errors.append("%s bad register" % o["id"])
        t = o.get("text", "")
        n = len(t.split())
        if not 2 <= n <= 25:
            errors.append("%s has %d words" % (o["id"], n))
check_common(steps, "s9s", SKEYS)
check_common(goals, "s9g", GKEYS)
ids = [o["id"] for o in steps + goals]
for k, c in Counter(ids).items():
    if c > 1: errors.append("duplicate id %s" % k)
texts = Counter(o["text"].strip().lower() for o in steps + goals)
for k, c in texts.items():
    if c > 1: errors.append("duplicate text: %s" % k)
for o in steps:
    if o.get("label") not in LABELS:
        errors.append("%s bad label %r" % (o["id"], o.get("label")))
for o in goals:
    if not isinstance(o.get("measurable"), bool) or not isinstance(o.get("timeBound"), bool):
        errors.append("%s measurable/timeBound not bool" % o["id"])
    due = o.get("due")
    if o.get("timeBound") is False and due is not None:
        errors.append("%s due set but timeBound false" % o["id"])
    if o.get("timeBound") is True:
        if due is None:
            errors.append("%s timeBound but due null" % o["id"])
        else:
            try:
                dd = datetime.date.fromisoformat(due)
                if dd < REF: errors.append("%s due %s before reference day" % (o["id"], due))
            except Exception:
                errors.append("%s bad due %r" % (o["id"], due))
allrows = steps + goals
sets = [(o["id"], wset(o["text"])) for o in allrows]
for (a, sa), (b, sb) in itertools.combinations(sets, 2):
    if sa and sb:
        j = len(sa & sb) / len(sa | sb)
        if j >= 0.6:
            errors.append("near-duplicate %s / %s (J=%.2f)" % (a, b, j))
def table(title, rows, cols, get_r, get_c, rowlabels=None):
    c = Counter((get_r(o), get_c(o)) for o in rows)
    rl = rowlabels
    print("\n" + title)
    w = max(len(x) for x in rl + ["total"]) + 2
    print("".ljust(w) + "".join(str(x).rjust(12) for x in cols) + "total".rjust(8))
    for r in rl:
        vals = [c[(r, x)] for x in cols]
        print(str(r).ljust(w) + "".join(str(v).rjust(12) for v in vals) + str(sum(vals)).rjust(8))
    tots = [sum(c[(r, x)] for r in rl) for x in cols]
    print("total".ljust(w) + "".join(str(v).rjust(12) for v in tots) + str(sum(tots)).rjust(8))
print("steps: %d   goals: %d" % (len(steps), len(goals)))
lab = Counter(o["label"] for o in steps)
print("step labels: " + ", ".join("%s %d (%.1f%%)" % (l, lab[l], 100 * lab[l] / max(1, len(steps))) for l in LABELS))
table("STEPS label x register", steps, REGS, lambda o: o["label"], lambda o: o["register"], LABELS)
table("STEPS domain x label", steps, LABELS, lambda o: o["domain"], lambda o: o["label"], DOMAINS)
table("STEPS domain x register", steps, REGS, lambda o: o["domain"], lambda o: o["register"], DOMAINS)
mt = lambda o: ("M" if o["measurable"] else "-") + ("T" if o["timeBound"] else "-")
table("GOALS domain x measurable/timeBound (MT, M-, -T, --)", goals, ["MT", "M-", "-T", "--"], lambda o: o["domain"], mt, DOMAINS)
table("GOALS domain x register", goals, REGS, lambda o: o["domain"], lambda o: o["register"], DOMAINS)
print("\ngoals measurable: %d  timeBound: %d" % (sum(o["measurable"] for o in goals), sum(o["timeBound"] for o in goals)))
print("\n%d errors" % len(errors))
for e in errors:
    print("ERROR", e)
raise SystemExit(1 if errors else 0)
