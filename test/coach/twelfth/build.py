#!/usr/bin/env python3
"""Assemble hand-written drafts in src/<domain>.txt into steps.jsonl and goals.jsonl.
Draft line formats (written by hand):
  S|<a|o|v>|<t|s|n>|text[|note]
  G|<M 0/1>|<T 0/1>|<due or empty>|<t|s|n>|text
"""
import json, os
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
LAB = {"a": "action", "o": "outcome", "v": "vague"}
REG = {"t": "terse", "s": "sentence", "n": "non-native"}
here = os.path.dirname(os.path.abspath(__file__))
steps, goals = [], []
for d in DOMAINS:
    for ln, line in enumerate(open(os.path.join(here, "src", d + ".txt"), encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        p = line.split("|")
        if p[0] == "S":
            o = {"id": None, "text": p[3].strip(), "label": LAB[p[1]], "domain": d, "register": REG[p[2]]}
            if len(p) > 4 and p[4].strip():
                o["note"] = p[4].strip()
            steps.append(o)
        elif p[0] == "G":
            o = {"id": None, "text": p[5].strip(), "measurable": p[1] == "1", "timeBound": p[2] == "1",
                 "due": p[3].strip() or None, "domain": d, "register": REG[p[4]]}
            goals.append(o)
        else:
            raise SystemExit(f"{d}.txt:{ln}: bad line {line!r}")
for i, o in enumerate(steps, 1):
    o["id"] = f"s12s{i:03d}"
for i, o in enumerate(goals, 1):
    o["id"] = f"s12g{i:03d}"
with open(os.path.join(here, "steps.jsonl"), "w", encoding="utf-8") as f:
    for o in steps:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
with open(os.path.join(here, "goals.jsonl"), "w", encoding="utf-8") as f:
    for o in goals:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(f"wrote {len(steps)} steps, {len(goals)} goals")
