import json, re, sys
REG = {'t':'terse','s':'sentence','n':'non-native'}
LAB = {'a':'action','o':'outcome','v':'vague'}
steps, goals = [], []
for fn in ['src/part1.txt','src/part2.txt']:
    dom = None
    for ln in open(fn, encoding='utf-8'):
        ln = ln.rstrip('\n')
        if not ln.strip(): continue
        if ln.startswith('## '): dom = ln[3:].strip(); continue
        p = ln.split('|')
        if p[0] == 'G':
            _, m, t, due, r, text, note = p
            g = {"text": text, "measurable": m == 'y', "timeBound": t == 'y',
                 "due": due or None, "domain": dom, "register": REG[r]}
            if note: g["note"] = note
            goals.append(g)
        else:
            l, r, text, note = p
            s = {"text": text, "label": LAB[l], "domain": dom, "register": REG[r]}
            if note: s["note"] = note
            steps.append(s)
with open('steps.jsonl','w',encoding='utf-8') as f:
    for i, s in enumerate(steps, 1):
        f.write(json.dumps({"id": f"s4s{i:03d}", **s}, ensure_ascii=False) + '\n')
with open('goals.jsonl','w',encoding='utf-8') as f:
    for i, g in enumerate(goals, 1):
        f.write(json.dumps({"id": f"s4g{i:03d}", **g}, ensure_ascii=False) + '\n')
print(len(steps), len(goals))
