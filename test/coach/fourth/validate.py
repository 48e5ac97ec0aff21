import json, re, datetime, collections, itertools
DOM = ['work','health','learning','money','home','community','sales','engineering']
REGS = ['terse','sentence','non-native']
steps = [json.loads(l) for l in open('steps.jsonl', encoding='utf-8')]
goals = [json.loads(l) for l in open('goals.jsonl', encoding='utf-8')]
err = []
ids = [x['id'] for x in steps + goals]
if len(ids) != len(set(ids)): err.append('dup ids')
texts = collections.Counter(x['text'].strip().lower() for x in steps + goals)
err += [f'dup text: {t}' for t, c in texts.items() if c > 1]
ref = datetime.date(2026, 11, 18)
for s in steps:
    if not re.fullmatch(r's4s\d{3}', s['id']): err.append('bad id ' + s['id'])
    if s['label'] not in ('action','outcome','vague'): err.append('label ' + s['id'])
    if s['domain'] not in DOM or s['register'] not in REGS: err.append('dom/reg ' + s['id'])
    n = len(s['text'].split())
    if not 2 <= n <= 25: err.append(f"words {n} {s['id']} {s['text']}")
    if set(s) - {'id','text','label','domain','register','note'}: err.append('keys ' + s['id'])
for g in goals:
    if not re.fullmatch(r's4g\d{3}', g['id']): err.append('bad id ' + g['id'])
    if not isinstance(g['measurable'], bool) or not isinstance(g['timeBound'], bool): err.append('bool ' + g['id'])
    if g['domain'] not in DOM or g['register'] not in REGS: err.append('dom/reg ' + g['id'])
    if g['timeBound'] != (g['due'] is not None): err.append('due/timeBound ' + g['id'])
    if g['due'] is not None:
        d = datetime.date.fromisoformat(g['due'])
        if d < ref: err.append('due before ref ' + g['id'])
    n = len(g['text'].split())
    if not 2 <= n <= 30: err.append(f"words {n} {g['id']}")
    if set(g) - {'id','text','measurable','timeBound','due','domain','register','note'}: err.append('keys ' + g['id'])
# near-duplicates: Jaccard on lowercase word sets
def ws(t): return set(re.findall(r"[a-z0-9£$%']+", t.lower()))
items = [(x['id'], ws(x['text'])) for x in steps + goals]
for (i, a), (j, b) in itertools.combinations(items, 2):
    if len(a) >= 3 and len(b) >= 3:
        jac = len(a & b) / len(a | b)
        if jac >= 0.6: err.append(f'near-dup {i} {j} {jac:.2f}')
# counts
C = collections.Counter
print('steps', len(steps), 'goals', len(goals))
print('label x register'); lr = C((s['label'], s['register']) for s in steps)
for l in ['action','outcome','vague']: print(' ', l, [lr[(l, r)] for r in REGS], sum(lr[(l, r)] for r in REGS))
print('domain x label'); dl = C((s['domain'], s['label']) for s in steps)
for d in DOM: print(' ', d, [dl[(d, l)] for l in ['action','outcome','vague']])
print('goals domain x M/T'); 
for d in DOM:
    gs = [g for g in goals if g['domain'] == d]
    print(' ', d, len(gs), 'M', sum(g['measurable'] for g in gs), 'T', sum(g['timeBound'] for g in gs))
print('goals by register', C(g['register'] for g in goals))
print('steps by register', C(s['register'] for s in steps))
for d in DOM:
    if sum(1 for s in steps if s['domain']==d) < 75: err.append('few steps ' + d)
    if sum(1 for g in goals if g['domain']==d) < 19: err.append('few goals ' + d)
for r in REGS:
    if sum(1 for s in steps if s['register']==r) < 200: err.append('few steps ' + r)
    if sum(1 for g in goals if g['register']==r) < 50: err.append('few goals ' + r)
if len(steps) < 640 or len(goals) < 160: err.append('too few')
print('ERRORS:', len(err)); print('\n'.join(err))
