#!/usr/bin/env python3
"""Print markdown count tables for steps.jsonl and goals.jsonl."""
import json
from collections import Counter
S = [json.loads(l) for l in open("steps.jsonl", encoding="utf-8")]
G = [json.loads(l) for l in open("goals.jsonl", encoding="utf-8")]
D = ["work","health","learning","money","home","community","sales","engineering"]
L = ["action","outcome","vague"]; R = ["terse","sentence","non-native"]

def table(rows, cols, cnt, rname, cname):
    out = [f"| {rname} \\ {cname} | " + " | ".join(cols) + " | total |",
           "|" + "---|" * (len(cols) + 2)]
    for r in rows:
        vals = [cnt.get((r, c), 0) for c in cols]
        out.append(f"| {r} | " + " | ".join(map(str, vals)) + f" | {sum(vals)} |")
    tot = [sum(cnt.get((r, c), 0) for r in rows) for c in cols]
    out.append("| **total** | " + " | ".join(map(str, tot)) + f" | {sum(tot)} |")
    return "\n".join(out)

print(f"### Steps ({len(S)})\n")
print("Label × register:\n")
print(table(L, R, Counter((s["label"], s["register"]) for s in S), "label", "register"))
print("\nDomain × label:\n")
print(table(D, L, Counter((s["domain"], s["label"]) for s in S), "domain", "label"))
print("\nDomain × label × register (cells are terse/sentence/non-native):\n")
c3 = Counter((s["domain"], s["label"], s["register"]) for s in S)
print("| domain | " + " | ".join(L) + " |\n|---|---|---|---|")
for d in D:
    print(f"| {d} | " + " | ".join("/".join(str(c3.get((d, l, r), 0)) for r in R) for l in L) + " |")
lab = Counter(s["label"] for s in S)
print("\nLabel shares: " + ", ".join(f"{l} {lab[l]} ({100*lab[l]/len(S):.0f}%)" for l in L))
print(f"Steps with a note: {sum('note' in s for s in S)}; marked 'should be split': {sum('should be split' in s.get('note','') for s in S)}")
wl = [len(s["text"].split()) for s in S]
print(f"Word length: min {min(wl)}, max {max(wl)}, mean {sum(wl)/len(wl):.1f}")

def combo(g): return ("M" if g["measurable"] else "not-M") + "+" + ("T" if g["timeBound"] else "not-T")
C = ["M+T", "M+not-T", "not-M+T", "not-M+not-T"]
print(f"\n### Goals ({len(G)})\n")
print("Domain × measurable/timeBound combination:\n")
print(table(D, C, Counter((g["domain"], combo(g)) for g in G), "domain", "combo"))
print("\nRegister × combination:\n")
print(table(R, C, Counter((g["register"], combo(g)) for g in G), "register", "combo"))
print(f"\nGoals with a note: {sum('note' in g for g in G)}")
