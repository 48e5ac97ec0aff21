import json, re, datetime, itertools, sys
R={'t':'terse','s':'sentence','n':'non-native'}; L={'a':'action','o':'outcome','v':'vague'}
doms=['work','health','learning','money','home','community','sales','engineering']
steps=[]
for d in doms:
    for line in open(f'src/{d}.txt'):
        line=line.rstrip('\n')
        if not line.strip(): continue
        code,rest=line[:2],line[3:]
        text,_,note=rest.partition(' ## ')
        o={'id':None,'text':text.strip(),'label':L[code[0]],'domain':d,'register':R[code[1]]}
        if note.strip(): o['note']=note.strip()
        steps.append(o)
goals=[]
raw=open('src/goals_a.txt').read().splitlines()+open('src/goals_b.txt').read().splitlines()
raw=sorted([l for l in raw if l.strip()],key=lambda l:doms.index(l.split()[0]))
for line in raw:
    d,mt,due,reg,rest=line.split(' ',4)
    text,_,note=rest.partition(' ## ')
    o={'id':None,'text':text.strip(),'measurable':mt[0]=='y','timeBound':mt[1]=='y','due':None if due=='-' else due,'domain':d,'register':R[reg]}
    if note.strip(): o['note']=note.strip()
    goals.append(o)
for i,o in enumerate(steps,1): o['id']=f's5s{i:03d}'
for i,o in enumerate(goals,1): o['id']=f's5g{i:03d}'
with open('steps.jsonl','w') as f:
    for o in steps: f.write(json.dumps(o,ensure_ascii=False)+'\n')
with open('goals.jsonl','w') as f:
    for o in goals: f.write(json.dumps(o,ensure_ascii=False)+'\n')
