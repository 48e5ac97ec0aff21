#!/usr/bin/env python3
import json, os, re, sys, datetime
from collections import Counter, defaultdict
here = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
REGS = ["terse","sentence","non-native"]
LABELS = ["action","outcome","vague"]
errs = []
def load(n):
    return [json.loads(l) for l in open(os.path.join(here, n), encoding="utf-8") if l.strip()]
steps, goals = load("steps.jsonl"), load("goals.jsonl")
ids, texts = set(), {}
def words(t): return re.findall(r"[a-z0-9£$€%#'.-]+", t.lower())
def wset(t): return set(re.findall(r"[a-z0-9]+", t.lower()))
allitems = []
for kind, items in (("step", steps), ("goal", goals)):
    for o in items:
        i = o.get("id")
        if i in ids: errs.append("dup id %s" % i)
        ids.add(i)
        k = o["text"].strip().lower()
        if k in texts: errs.append("dup text %s %s" % (i, texts[k]))
        texts[k] = i
        n = len(o["text"].split())
        if not 2 <= n <= 25: errs.append("%s word count %d" % (i, n))
        if o.get("domain") not in DOMAINS: errs.append("%s bad domain" % i)
        if o.get("register") not in REGS: errs.append("%s bad register" % i)
        if kind == "step":
            if not re.fullmatch(r"s13s\d{3}", i): errs.append("bad id " + i)
            if o.get("label") not in LABELS: errs.append("%s bad label" % i)
            extra = set(o) - {"id","text","label","domain","register","note"}
        else:
            if not re.fullmatch(r"s13g\d{3}", i): errs.append("bad id " + i)
            if not isinstance(o.get("measurable"), bool) or not isinstance(o.get("timeBound"), bool):
                errs.append("%s bad bools" % i)
            due = o.get("due")
            if o.get("timeBound") and due is None: errs.append("%s timeBound but no due" % i)
            if not o.get("timeBound") and due is not None: errs.append("%s due but not timeBound" % i)
            if due is not None:
                try:
                    dd = datetime.date.fromisoformat(due)
                    if dd < datetime.date(2026, 12, 2): errs.append("%s due before ref day" % i)
                except Exception:
                    errs.append("%s bad due %r" % (i, due))
            extra = set(o) - {"id","text","measurable","timeBound","due","domain","register"}
        if extra: errs.append("%s extra keys %s" % (i, extra))
        allitems.append((i, wset(o["text"])))
# ids in domain order
for items in (steps, goals):
    order = [DOMAINS.index(o["domain"]) for o in items]
    if order != sorted(order): errs.append("items not in domain order")
    nums = [int(o["id"][4:]) for o in items]
    if nums != list(range(1, len(items) + 1)): errs.append("ids not consecutive")
# near duplicates
for a in range(len(allitems)):
    ia, sa = allitems[a]
    for b in range(a + 1, len(allitems)):
        ib, sb = allitems[b]
        u = sa | sb
        if u and len(sa & sb) / len(u) >= 0.6:
            errs.append("near-dup %s %s" % (ia, ib))
if len(steps) < 650: errs.append("only %d steps" % len(steps))
if len(goals) < 165: errs.append("only %d goals" % len(goals))

def table(title, rows, cols, get):
    print("\n" + title)
    w = max(len(r) for r in rows + ["total"]) + 2
    print("".ljust(w) + "".join(c.rjust(12) for c in cols) + "total".rjust(8))
    coltot = Counter()
    for r in rows:
        vals = [get(r, c) for c in cols]
        for c, v in zip(cols, vals): coltot[c] += v
        print(r.ljust(w) + "".join(str(v).rjust(12) for v in vals) + str(sum(vals)).rjust(8))
    print("total".ljust(w) + "".join(str(coltot[c]).rjust(12) for c in cols) + str(sum(coltot.values())).rjust(8))

c = Counter((o["label"], o["register"]) for o in steps)
table("Steps: label x register", LABELS, REGS, lambda r, k: c[(r, k)])
c2 = Counter((o["domain"], o["label"]) for o in steps)
table("Steps: domain x label", DOMAINS, LABELS, lambda r, k: c2[(r, k)])
c2b = Counter((o["domain"], o["register"]) for o in steps)
table("Steps: domain x register", DOMAINS, REGS, lambda r, k: c2b[(r, k)])
MT = ["M+T+", "M+T-", "M-T+", "M-T-"]
def mt(o): return ("M+" if o["measurable"] else "M-") + ("T+" if o["timeBound"] else "T-")
c3 = Counter((o["domain"], mt(o)) for o in goals)
table("Goals: domain x measurable/timeBound", DOMAINS, MT, lambda r, k: c3[(r, k)])
c4 = Counter((o["domain"], o["register"]) for o in goals)
table("Goals: domain x register", DOMAINS, REGS, lambda r, k: c4[(r, k)])
print("\nsteps %d goals %d" % (len(steps), len(goals)))
print("%d errors" % len(errs))
for e in errs: print("  " + e)
sys.exit(1 if errs else 0)
