#!/usr/bin/env python3
"""Assemble src/<domain>.txt drafts into steps.jsonl and goals.jsonl.
Draft line formats (hand-written):
  S <A|O|V> <t|s|n> <text> [|| note]
  G <M:1/0><T:1/0> <due|-> <t|s|n> <text>
"""
import json, os
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
LAB = {"A":"action","O":"outcome","V":"vague"}
REG = {"t":"terse","s":"sentence","n":"non-native"}
here = os.path.dirname(os.path.abspath(__file__))
steps, goals = [], []
for d in DOMAINS:
    for raw in open(os.path.join(here, "src", d + ".txt"), encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        kind, rest = line.split(" ", 1)
        if kind == "S":
            lab, reg, text = rest.split(" ", 2)
            note = None
            if " || " in text:
                text, note = text.split(" || ", 1)
            o = {"id": None, "text": text.strip(), "label": LAB[lab], "domain": d, "register": REG[reg]}
            if note: o["note"] = note.strip()
            steps.append(o)
        elif kind == "G":
            mt, due, reg, text = rest.split(" ", 3)
            goals.append({"id": None, "text": text.strip(), "measurable": mt[0] == "1",
                          "timeBound": mt[1] == "1", "due": None if due == "-" else due,
                          "domain": d, "register": REG[reg]})
        else:
            raise SystemExit("bad line: " + line)
for i, o in enumerate(steps, 1): o["id"] = "s13s%03d" % i
for i, o in enumerate(goals, 1): o["id"] = "s13g%03d" % i
with open(os.path.join(here, "steps.jsonl"), "w", encoding="utf-8") as f:
    for o in steps: f.write(json.dumps(o, ensure_ascii=False) + "\n")
with open(os.path.join(here, "goals.jsonl"), "w", encoding="utf-8") as f:
    for o in goals: f.write(json.dumps(o, ensure_ascii=False) + "\n")
print("steps", len(steps), "goals", len(goals))
