#!/usr/bin/env python3
"""Assemble hand-written drafts src/<domain>.txt into steps.jsonl and goals.jsonl.
Draft line formats (fields separated by '|'):
  S|<reg>|<lab>|<text>[|<note>]          reg: t/s/n, lab: a/o/v
  G|<reg>|<M 1/0>|<due YYYY-MM-DD or ->|<text>[|<note>]
No text is generated here; this only assigns ids and converts codes."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REG = {"t": "terse", "s": "sentence", "n": "non-native"}
LAB = {"a": "action", "o": "outcome", "v": "vague"}
steps, goals = [], []
for d in DOMAINS:
    with open(os.path.join(HERE, "src", d + ".txt"), encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            p = line.split("|")
            if p[0] == "S":
                assert len(p) in (4, 5), (d, ln, line)
                o = {"id": "s9s%03d" % (len(steps) + 1), "text": p[3].strip(), "label": LAB[p[2]],
                     "domain": d, "register": REG[p[1]]}
                if len(p) == 5 and p[4].strip():
                    o["note"] = p[4].strip()
                steps.append(o)
            elif p[0] == "G":
                assert len(p) in (5, 6), (d, ln, line)
                due = None if p[3] == "-" else p[3]
                o = {"id": "s9g%03d" % (len(goals) + 1), "text": p[4].strip(), "measurable": p[2] == "1",
                     "timeBound": due is not None, "due": due, "domain": d, "register": REG[p[1]]}
                if len(p) == 6 and p[5].strip():
                    o["note"] = p[5].strip()
                goals.append(o)
            else:
                raise SystemExit("bad line %s:%d: %s" % (d, ln, line))
for name, rows in (("steps.jsonl", steps), ("goals.jsonl", goals)):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        for o in rows:
            f.write(json.dumps(o, ensure_ascii=False) + "\n")
print("built %d steps, %d goals" % (len(steps), len(goals)))
