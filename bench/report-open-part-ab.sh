#!/bin/bash
# usage: BASE=built-base-tree NEW=built-new-tree DIR=folder-with-copies bench/report-open-part-ab.sh ROUNDS
# DIR holds small-base.db, small-mine.db, base.db, mine.db (member marked local) and no-login.json.
# Alternated: base vs new, `throughline report` as the member (local), a new process each; "warm" =
# nothing written since the last run, "write" = one goal open to the workspace written just before
# (its title set to itself: triggers move its stamps).
cd ${DIR:?}
touchgoal() { node -e "const D=require('${NEW:?}/node_modules/better-sqlite3');const d=new D('${DIR:?}/$1.db');const g=d.prepare(\"select id from goals where visibility='workspace' and status='active' order by id desc limit 1\").get();d.prepare('update goals set title = title || \'\' , updated_at = updated_at where id = ?').run(g.id);d.close()"; }
run() { # root db
  { /usr/bin/time -f "%U %S" env THROUGHLINE_CONFIG=${DIR:?}/no-login.json node $1/bin/throughline.js report --db ${DIR:?}/$2.db > ${DIR:?}/out-$2.txt; } 2>&1 | tail -1 | awk '{printf "%.0f", ($1+$2)*1000}'
}
for s in small ""; do for v in base mine; do r=${BASE:?}; [ $v = mine ] && r=${NEW:?}; run $r ${s:+$s-}$v >/dev/null; done; done
for i in $(seq 1 $1); do
  for s in small large; do
    p=""; [ $s = small ] && p="small-"
    for mode in warm write; do
      line="$s $mode"
      for v in base mine; do
        r=${BASE:?}; [ $v = mine ] && r=${NEW:?}
        [ $mode = write ] && touchgoal $p$v
        line="$line $v=$(run $r $p$v)"
      done
      echo "$line $(cut -d' ' -f1 /proc/loadavg)"
    done
  done
done
