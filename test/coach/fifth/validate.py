import json, re, datetime, collections, itertools
steps=[json.loads(l) for l in open('steps.jsonl')]; goals=[json.loads(l) for l in open('goals.jsonl')]
errs=[]
D={'work','health','learning','money','home','community','sales','engineering'}; RG={'terse','sentence','non-native'}
ids=[o['id'] for o in steps+goals]; assert len(ids)==len(set(ids)),'dup ids'
texts=collections.Counter(o['text'].lower().strip() for o in steps+goals)
for t,c in texts.items():
    if c>1: errs.append('dup text: '+t)
ref=datetime.date(2026,11,18)
for o in steps:
    if not re.fullmatch(r's5s\d{3}',o['id']): errs.append('id '+o['id'])
    if o['label'] not in ('action','outcome','vague'): errs.append('label '+o['id'])
    if o['domain'] not in D or o['register'] not in RG: errs.append('dom/reg '+o['id'])
    n=len(o['text'].split())
    if not 2<=n<=25: errs.append(f"words {n} {o['id']} {o['text']}")
    if set(o)-{'id','text','label','domain','register','note'}: errs.append('keys '+o['id'])
for o in goals:
    if not re.fullmatch(r's5g\d{3}',o['id']): errs.append('id '+o['id'])
    if type(o['measurable']) is not bool or type(o['timeBound']) is not bool: errs.append('bool '+o['id'])
    if o['domain'] not in D or o['register'] not in RG: errs.append('dom/reg '+o['id'])
    if (o['due'] is None)!=(not o['timeBound']): errs.append('due/tb '+o['id'])
    if o['due'] is not None:
        try:
            d=datetime.date.fromisoformat(o['due'])
            if d<ref: errs.append('due before ref '+o['id'])
        except Exception: errs.append('bad date '+o['id'])
    if set(o)-{'id','text','measurable','timeBound','due','domain','register','note'}: errs.append('keys '+o['id'])
# near duplicates
def ws(t): return set(re.findall(r"[a-z0-9']+",t.lower()))-{'the','a','to','of','and','for','i','my','in','by','be','more','will','w','with'}
items=steps+goals
for a,b in itertools.combinations(items,2):
    A,B=ws(a['text']),ws(b['text'])
    if A and B and len(A&B)/min(len(A),len(B))>=0.75 and len(A&B)>=3: errs.append(f"near-dup? {a['id']} {a['text']} || {b['id']} {b['text']}")
print('\n'.join(errs) or 'OK')
print('steps',len(steps),'goals',len(goals))
c=collections.Counter((o['label'],o['register']) for o in steps); print(c)
