import json, collections, datetime, re, sys
S=[json.loads(l) for l in open('steps.jsonl')]; G=[json.loads(l) for l in open('goals.jsonl')]
err=[]
DOM={"work","health","learning","money","home","community","sales","engineering"}; REG={"terse","sentence","non-native"}
ids=[x['id'] for x in S+G]; 
if len(ids)!=len(set(ids)): err.append('dup ids')
seen={}
for x in S+G:
    k=x['text'].lower().strip()
    if k in seen: err.append(f"dup text {x['id']} {seen[k]}")
    seen[k]=x['id']
    if x['domain'] not in DOM or x['register'] not in REG: err.append(f"bad dom/reg {x['id']}")
for s in S:
    if s['label'] not in ('action','outcome','vague'): err.append('label '+s['id'])
    n=len(s['text'].split())
    if not 2<=n<=25: err.append(f"words {s['id']} {n}")
for g in G:
    if not isinstance(g['measurable'],bool) or not isinstance(g['timeBound'],bool): err.append('bool '+g['id'])
    if (g['due'] is None)!=(not g['timeBound']): err.append('due/tb '+g['id'])
    if g['due']:
        d=datetime.date.fromisoformat(g['due'])
        if d<datetime.date(2026,11,18): err.append('early due '+g['id'])
    n=len(g['text'].split())
    if not 2<=n<=25: err.append(f"words {g['id']} {n}")
# near duplicates: jaccard on word sets
def ws(t): return set(re.findall(r"[a-z0-9']+",t.lower()))
items=S+G
for i in range(len(items)):
    a=ws(items[i]['text'])
    for j in range(i+1,len(items)):
        b=ws(items[j]['text'])
        if len(a|b) and len(a&b)/len(a|b)>=0.6: err.append(f"near-dup {items[i]['id']} {items[j]['id']}: {items[i]['text']!r} / {items[j]['text']!r}")
print('ERRORS:',len(err)); [print(' ',e) for e in err]
def tab(rows,cols,pairs,title):
    c=collections.Counter(pairs)
    out=[f"\n{title}\n",'| | '+' | '.join(cols)+' | total |','|'+'---|'*(len(cols)+2)]
    for r in rows:
        out.append(f'| {r} | '+' | '.join(str(c[(r,k)]) for k in cols)+f' | {sum(c[(r,k)] for k in cols)} |')
    out.append('| total | '+' | '.join(str(sum(c[(r,k)] for r in rows)) for k in cols)+f' | {sum(c.values())} |')
    return '\n'.join(out)
DL=["work","health","learning","money","home","community","sales","engineering"]; RL=["terse","sentence","non-native"]; LL=["action","outcome","vague"]
t=[]
t.append(tab(LL,RL,[(s['label'],s['register']) for s in S],'Steps: label × register'))
t.append(tab(DL,LL,[(s['domain'],s['label']) for s in S],'Steps: domain × label'))
t.append(tab(DL,["M+T+","M+T-","M-T+","M-T-"],[(g['domain'],('M+' if g['measurable'] else 'M-')+('T+' if g['timeBound'] else 'T-')) for g in G],'Goals: domain × measurable/timeBound'))
t.append(tab(DL,RL,[(g['domain'],g['register']) for g in G],'Goals: domain × register'))
print('\n'.join(t)); open('tables.md','w').write('\n'.join(t))
print('notes: steps',sum('note' in s for s in S),'goals',sum('note' in g for g in G))
