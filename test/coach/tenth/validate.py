#!/usr/bin/env python3
"""Validate steps.jsonl / goals.jsonl of set10 and print the totals tables."""
import json, os, re, datetime, itertools, collections
here = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
REGS = ["terse","sentence","non-native"]
LABELS = ["action","outcome","vague"]
REF = datetime.date(2026, 11, 18)
errors = []
def load(name):
    return [json.loads(l) for l in open(os.path.join(here, name), encoding="utf-8") if l.strip()]
steps, goals = load("steps.jsonl"), load("goals.jsonl")
def words(t):
    return re.findall(r"[a-z0-9£$€%#']+", t.lower())
# ids
for coll, pre in ((steps, "s10s"), (goals, "s10g")):
    ids = [o["id"] for o in coll]
    if len(ids) != len(set(ids)): errors.append("duplicate ids in " + pre)
    for i, o in enumerate(coll, 1):
        if o["id"] != "%s%03d" % (pre, i): errors.append("id out of order: " + o["id"])
    order = [DOMAINS.index(o["domain"]) if o["domain"] in DOMAINS else -1 for o in coll]
    if order != sorted(order): errors.append(pre + " not in domain order")
# values
for o in steps:
    if set(o) - {"id","text","label","domain","register","note"}: errors.append(o["id"] + " extra keys")
    if o["label"] not in LABELS: errors.append(o["id"] + " bad label")
    if o["domain"] not in DOMAINS: errors.append(o["id"] + " bad domain")
    if o["register"] not in REGS: errors.append(o["id"] + " bad register")
for o in goals:
    if set(o) != {"id","text","measurable","timeBound","due","domain","register"}: errors.append(o["id"] + " keys")
    if not isinstance(o["measurable"], bool) or not isinstance(o["timeBound"], bool): errors.append(o["id"] + " non-bool")
    if o["domain"] not in DOMAINS: errors.append(o["id"] + " bad domain")
    if o["register"] not in REGS: errors.append(o["id"] + " bad register")
    if (o["due"] is None) != (not o["timeBound"]): errors.append(o["id"] + " due/timeBound mismatch")
    if o["due"] is not None:
        try:
            d = datetime.date.fromisoformat(o["due"])
            if d < REF: errors.append(o["id"] + " due before reference day")
        except Exception:
            errors.append(o["id"] + " bad due " + str(o["due"]))
# texts
allitems = steps + goals
seen = {}
for o in allitems:
    k = o["text"].strip().lower()
    if k in seen: errors.append("duplicate text %s %s" % (seen[k], o["id"]))
    seen[k] = o["id"]
    n = len(o["text"].split())
    if n < 2 or n > 25: errors.append("%s has %d words" % (o["id"], n))
ws = [(o["id"], set(words(o["text"]))) for o in allitems]
for (ia, a), (ib, b) in itertools.combinations(ws, 2):
    if a and b and len(a & b) / len(a | b) >= 0.6:
        errors.append("near-duplicate %s / %s" % (ia, ib))
# tables
def table(title, rows, cols, cnt):
    print("\n" + title)
    print("%-12s" % "" + "".join("%11s" % c for c in cols) + "%8s" % "total")
    for r in rows:
        print("%-12s" % r + "".join("%11d" % cnt[(r, c)] for c in cols) + "%8d" % sum(cnt[(r, c)] for c in cols))
    print("%-12s" % "total" + "".join("%11d" % sum(cnt[(r, c)] for r in rows) for c in cols) + "%8d" % sum(cnt[(r, c)] for r in rows for c in cols))
c = collections.Counter((o["label"], o["register"]) for o in steps)
table("Steps: label x register", LABELS, REGS, c)
c = collections.Counter((o["domain"], o["label"]) for o in steps)
table("Steps: domain x label", DOMAINS, LABELS, c)
c = collections.Counter((o["domain"], o["register"]) for o in steps)
table("Steps: domain x register", DOMAINS, REGS, c)
c = collections.Counter((o["domain"], ("M" if o["measurable"] else "notM") + "/" + ("T" if o["timeBound"] else "notT")) for o in goals)
table("Goals: domain x measurable/timeBound", DOMAINS, ["M/T","M/notT","notM/T","notM/notT"], c)
c = collections.Counter((o["domain"], o["register"]) for o in goals)
table("Goals: domain x register", DOMAINS, REGS, c)
print("\nsteps %d goals %d" % (len(steps), len(goals)))
print("%d errors" % len(errors))
for e in errors: print("  " + e)
