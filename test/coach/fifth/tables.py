import json, collections
S=[json.loads(l) for l in open('steps.jsonl')]; G=[json.loads(l) for l in open('goals.jsonl')]
D=['work','health','learning','money','home','community','sales','engineering']; R=['terse','sentence','non-native']; L=['action','outcome','vague']
out=[]
def tab(title,rows,cols,f):
    out.append(f'\n### {title}\n'); out.append('| | '+' | '.join(cols)+' | total |'); out.append('|'+'---|'*(len(cols)+2))
    tot=collections.Counter()
    for r in rows:
        v=[f(r,c) for c in cols]; 
        for c,x in zip(cols,v): tot[c]+=x
        out.append(f'| {r} | '+' | '.join(map(str,v))+f' | {sum(v)} |')
    out.append('| total | '+' | '.join(str(tot[c]) for c in cols)+f' | {sum(tot.values())} |')
tab('Steps: label × register',L,R,lambda r,c:sum(1 for o in S if o['label']==r and o['register']==c))
tab('Steps: domain × label',D,L,lambda r,c:sum(1 for o in S if o['domain']==r and o['label']==c))
cols=['M+T+','M+T−','M−T+','M−T−']
def mt(o): return ('M+' if o['measurable'] else 'M−')+('T+' if o['timeBound'] else 'T−')
tab('Goals: domain × measurable/timeBound',D,cols,lambda r,c:sum(1 for o in G if o['domain']==r and mt(o)==c))
tab('Goals: register × measurable/timeBound',R,cols,lambda r,c:sum(1 for o in G if o['register']==r and mt(o)==c))
print('\n'.join(out))
