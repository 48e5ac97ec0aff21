#!/usr/bin/env python3
"""Assemble hand-written drafts in src/<domain>.txt into steps.jsonl / goals.jsonl.
Draft line formats (written by hand):
  step:  <reg> <label> <text> [## note]      reg: t|s|n   label: a|o|v
  goal:  G <reg> <M 0|1> <T 0|1> <due|null> <text>
No text is generated here; this only parses, orders and numbers."""
import json, os
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
REG = {"t":"terse","s":"sentence","n":"non-native"}
LAB = {"a":"action","o":"outcome","v":"vague"}
here = os.path.dirname(os.path.abspath(__file__))
steps, goals = [], []
for d in DOMAINS:
    for raw in open(os.path.join(here, "src", d + ".txt"), encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("G "):
            _, r, m, t, due, text = line.split(" ", 5)
            goals.append({"text": text.strip(), "measurable": m == "1", "timeBound": t == "1",
                          "due": None if due == "null" else due, "domain": d, "register": REG[r]})
        else:
            r, l, rest = line.split(" ", 2)
            note = None
            if " ## " in rest:
                rest, note = rest.split(" ## ", 1)
            o = {"text": rest.strip(), "label": LAB[l], "domain": d, "register": REG[r]}
            if note:
                o["note"] = note.strip()
            steps.append(o)
with open(os.path.join(here, "steps.jsonl"), "w", encoding="utf-8") as f:
    for i, o in enumerate(steps, 1):
        f.write(json.dumps({"id": "s11s%03d" % i, **o}, ensure_ascii=False) + "\n")
with open(os.path.join(here, "goals.jsonl"), "w", encoding="utf-8") as f:
    for i, o in enumerate(goals, 1):
        f.write(json.dumps({"id": "s11g%03d" % i, **o}, ensure_ascii=False) + "\n")
print("steps", len(steps), "goals", len(goals))
