#!/usr/bin/env python3
"""Assemble hand-written drafts in src/<domain>.txt into steps.jsonl and goals.jsonl.
Draft line formats (| separated):
  S|register|label|text|note          register t/s/n, label a/o/v
  G|register|M|T|due|text             M,T in 0/1, due YYYY-MM-DD or empty
No text is generated here; this only converts codes and numbers the ids."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
DOMAINS = ["work", "health", "learning", "money", "home", "community", "sales", "engineering"]
REG = {"t": "terse", "s": "sentence", "n": "non-native"}
LAB = {"a": "action", "o": "outcome", "v": "vague"}

def main():
    steps, goals = [], []
    for d in DOMAINS:
        with open(os.path.join(HERE, "src", d + ".txt"), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("|")
                if parts[0] == "S":
                    if len(parts) != 5:
                        raise SystemExit(f"{d}:{ln}: bad step line: {line}")
                    _, r, l, text, note = parts
                    obj = {"id": None, "text": text.strip(), "label": LAB[l], "domain": d, "register": REG[r]}
                    if note.strip():
                        obj["note"] = note.strip()
                    steps.append(obj)
                elif parts[0] == "G":
                    if len(parts) != 6:
                        raise SystemExit(f"{d}:{ln}: bad goal line: {line}")
                    _, r, m, t, due, text = parts
                    goals.append({"id": None, "text": text.strip(), "measurable": m == "1",
                                  "timeBound": t == "1", "due": due.strip() or None,
                                  "domain": d, "register": REG[r]})
                else:
                    raise SystemExit(f"{d}:{ln}: unknown line kind: {line}")
    for i, s in enumerate(steps, 1):
        s["id"] = f"s7s{i:03d}"
    for i, g in enumerate(goals, 1):
        g["id"] = f"s7g{i:03d}"
    with open(os.path.join(HERE, "steps.jsonl"), "w", encoding="utf-8") as f:
        for s in steps:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "goals.jsonl"), "w", encoding="utf-8") as f:
        for g in goals:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    print(f"wrote {len(steps)} steps, {len(goals)} goals")

if __name__ == "__main__":
    main()
