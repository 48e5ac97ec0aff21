import json, re, sys, collections, datetime
DOM=["work","health","learning","money","home","community","sales","engineering"]
L={'a':'action','o':'outcome','v':'vague'}; R={'t':'terse','s':'sentence','n':'non-native'}
steps=[];goals=[]
for d in DOM:
    try: lines=open(f'src/{d}.txt').read().splitlines()
    except FileNotFoundError: continue
    for ln in lines:
        if not ln.strip(): continue
        note=None
        if ' || ' in ln: ln,note=ln.split(' || ',1)
        if ln.startswith('G '):
            _,m,t,due,r,text=ln.split(' ',5)
            g={"text":text.strip(),"measurable":m=='1',"timeBound":t=='1',"due":None if due=='-' else due,"domain":d,"register":R[r]}
            if note: g["note"]=note.strip()
            goals.append(g)
        else:
            l,r,text=ln.split(' ',2)
            s={"text":text.strip(),"label":L[l],"domain":d,"register":R[r]}
            if note: s["note"]=note.strip()
            steps.append(s)
with open('steps.jsonl','w') as f:
    for i,s in enumerate(steps,1):
        f.write(json.dumps({"id":f"s6s{i:03d}",**s},ensure_ascii=False)+"\n")
with open('goals.jsonl','w') as f:
    for i,g in enumerate(goals,1):
        f.write(json.dumps({"id":f"s6g{i:03d}",**g},ensure_ascii=False)+"\n")
print(len(steps),len(goals))
