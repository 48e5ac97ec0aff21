#!/usr/bin/env python3
"""Assemble steps.jsonl and goals.jsonl from the hand-written drafts in src/<domain>.txt.

Draft line formats (written by hand):
  step: <label><register> <text> [## note]   label a/o/v, register t/s/n
  goal: G <M><T> <due|-> <register> <text>   M,T in {0,1}
"""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
LAB = {"a": "action", "o": "outcome", "v": "vague"}
REG = {"t": "terse", "s": "sentence", "n": "non-native"}

def main():
    steps, goals = [], []
    for d in DOMAINS:
        with open(os.path.join(HERE, "src", d + ".txt"), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                if line.startswith("G "):
                    _, mt, due, reg, text = line.split(" ", 4)
                    goals.append({"text": text.strip(), "measurable": mt[0] == "1",
                                  "timeBound": mt[1] == "1", "due": None if due == "-" else due,
                                  "domain": d, "register": REG[reg]})
                else:
                    code, rest = line.split(" ", 1)
                    note = None
                    if " ## " in rest:
                        rest, note = rest.split(" ## ", 1)
                    item = {"text": rest.strip(), "label": LAB[code[0]], "domain": d,
                            "register": REG[code[1]]}
                    if note:
                        item["note"] = note.strip()
                    steps.append(item)
    with open(os.path.join(HERE, "steps.jsonl"), "w", encoding="utf-8") as f:
        for i, s in enumerate(steps, 1):
            f.write(json.dumps({"id": "s8s%03d" % i, **s}, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "goals.jsonl"), "w", encoding="utf-8") as f:
        for i, g in enumerate(goals, 1):
            f.write(json.dumps({"id": "s8g%03d" % i, **g}, ensure_ascii=False) + "\n")
    print("wrote %d steps, %d goals" % (len(steps), len(goals)))

if __name__ == "__main__":
    main()
