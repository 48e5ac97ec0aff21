#!/usr/bin/env python3
"""Build steps.jsonl / goals.jsonl from src/*.txt and validate."""
import json, re, sys, datetime, itertools
from collections import Counter
SRC = "src"
DOMAINS = ["work","health","learning","money","home","community","sales","engineering"]
LAB = {"a":"action","o":"outcome","v":"vague"}
REG = {"t":"terse","s":"sentence","n":"non-native"}

def steps():
    out = []
    for d in DOMAINS:
        for ln, line in enumerate(open(f"{SRC}/{d}.txt", encoding="utf-8"), 1):
            line = line.rstrip("\n")
            if not line.strip(): continue
            parts = line.split("|", 3)
            assert len(parts) >= 3, (d, ln, line)
            lab, reg, text = parts[:3]
            rec = {"text": text.strip(), "label": LAB[lab], "domain": d, "register": REG[reg]}
            if len(parts) == 4 and parts[3].strip(): rec["note"] = parts[3].strip()
            out.append(rec)
    return out

def goals():
    out = []
    for ln, line in enumerate(open(f"{SRC}/goals.txt", encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip(): continue
        parts = line.split("|", 6)
        d, m, t, due, reg, text = parts[:6]
        assert d in DOMAINS, (ln, d)
        rec = {"text": text.strip(), "measurable": m == "1", "timeBound": t == "1",
               "due": None if due == "-" else due, "domain": d, "register": REG[reg]}
        if len(parts) == 7 and parts[6].strip(): rec["note"] = parts[6].strip()
        out.append(rec)
    return out

def toks(s): return set(re.findall(r"[a-z0-9']+", s.lower()))

def neardups(items, thr=0.6):
    res = []
    T = [toks(x["text"]) for x in items]
    for i, j in itertools.combinations(range(len(items)), 2):
        a, b = T[i], T[j]
        if len(a) < 3 or len(b) < 3: continue
        jac = len(a & b) / len(a | b)
        if jac >= thr: res.append((round(jac, 2), items[i]["text"], items[j]["text"]))
    return sorted(res, reverse=True)

def main():
    S, G = steps(), goals()
    for i, r in enumerate(S, 1): r["id"] = f"t3s{i:03d}"
    for i, r in enumerate(G, 1): r["id"] = f"t3g{i:03d}"
    key = lambda r: {k: r[k] for k in ["id"] + [k for k in r if k != "id"]}
    with open("steps.jsonl", "w", encoding="utf-8") as f:
        for r in S: f.write(json.dumps(key(r), ensure_ascii=False) + "\n")
    with open("goals.jsonl", "w", encoding="utf-8") as f:
        for r in G: f.write(json.dumps(key(r), ensure_ascii=False) + "\n")
    validate()

def validate():
    errs = []
    S = [json.loads(l) for l in open("steps.jsonl", encoding="utf-8")]
    G = [json.loads(l) for l in open("goals.jsonl", encoding="utf-8")]
    for coll, n in ((S, "steps"), (G, "goals")):
        ids = Counter(r["id"] for r in coll); texts = Counter(r["text"].lower() for r in coll)
        errs += [f"{n}: dup id {k}" for k, v in ids.items() if v > 1]
        errs += [f"{n}: dup text {k}" for k, v in texts.items() if v > 1]
        for r in coll:
            if r["domain"] not in DOMAINS: errs.append(f"bad domain {r}")
            if r["register"] not in REG.values(): errs.append(f"bad register {r}")
            wc = len(r["text"].split())
            if n == "steps" and not (2 <= wc <= 25): errs.append(f"length {wc}: {r['text']}")
    for r in S:
        if r["label"] not in LAB.values(): errs.append(f"bad label {r}")
    for r in G:
        if r["timeBound"]:
            try:
                dt = datetime.date.fromisoformat(r["due"])
                if dt < datetime.date(2026, 11, 18): errs.append(f"due before ref day {r}")
            except Exception: errs.append(f"bad due {r}")
        elif r["due"] is not None: errs.append(f"due not null {r}")
    print(f"steps {len(S)}  goals {len(G)}  errors {len(errs)}")
    for e in errs: print("ERR", e)
    nd = neardups(S) + neardups(G)
    print(f"near-duplicate pairs (token Jaccard >= 0.6): {len(nd)}")
    for x in nd: print("  ", x)
    return errs

if __name__ == "__main__":
    main()
