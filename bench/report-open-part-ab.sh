#!/bin/bash
# usage: ab.sh ROUNDS — alternated: base (/work/main) vs mine (/work/wt-totals25), `throughline report`
# as the member (local), new process each; "warm" = nothing written since the last run, "write" =
# one goal open to the workspace written just before (its title set to itself: triggers move its stamps).
cd /tmp/totals25
touchgoal() { node -e "const D=require('/work/wt-totals25/node_modules/better-sqlite3');const d=new D('/tmp/totals25/$1.db');const g=d.prepare(\"select id from goals where visibility='workspace' and status='active' order by id desc limit 1\").get();d.prepare('update goals set title = title || \'\' , updated_at = updated_at where id = ?').run(g.id);d.close()"; }
run() { # root db
  { /usr/bin/time -f "%U %S" env THROUGHLINE_CONFIG=/tmp/totals25/no-login.json node $1/bin/throughline.js report --db /tmp/totals25/$2.db > /tmp/totals25/out-$2.txt; } 2>&1 | tail -1 | awk '{printf "%.0f", ($1+$2)*1000}'
}
for s in small ""; do for v in base mine; do r=/work/main; [ $v = mine ] && r=/work/wt-totals25; run $r ${s:+$s-}$v >/dev/null; done; done
for i in $(seq 1 $1); do
  for s in small large; do
    p=""; [ $s = small ] && p="small-"
    for mode in warm write; do
      line="$s $mode"
      for v in base mine; do
        r=/work/main; [ $v = mine ] && r=/work/wt-totals25
        [ $mode = write ] && touchgoal $p$v
        line="$line $v=$(run $r $p$v)"
      done
      echo "$line $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
