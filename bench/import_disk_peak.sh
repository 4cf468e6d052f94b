#!/bin/bash
# The disk and memory an IMDb import takes at its largest (issue 20).
# usage: bench/import_disk_peak.sh DUMP_DIR OUT_DIR SRC_DIR [EXTRA_FLAGS]
#   imports DUMP_DIR into a new SQLite store in OUT_DIR with the code in SRC_DIR/src, sampling every
#   0.3 s the size of OUT_DIR (store, WAL, staging, indexes built ahead) and the summed RSS of the
#   import's process tree; prints the peaks, the finished store's size and the tree's CPU (/usr/bin/time).
rm -rf "$2"; mkdir -p "$2"
( cd "$3" && exec /usr/bin/time -f "cpu_user %U cpu_sys %S wall %e" env MARQUEE_DATABASE_URL="sqlite:///$2/s.db" PYTHONPATH=src \
    "${PYTHON:-python}" -m marquee import imdb "$1" -q $4 > "$2/log" 2>&1 ) &
pid=$!
peak=0; rss=0
tree() { local p=$1; echo "$p"; for c in $(pgrep -P "$p"); do tree "$c"; done; }
while kill -0 $pid 2>/dev/null; do
  s=$(du -sb "$2" 2>/dev/null | cut -f1); s=${s:-0}; [ "$s" -gt "$peak" ] && peak=$s
  r=0; for p in $(tree $pid); do v=$(awk '/VmRSS/{print $2}' /proc/$p/status 2>/dev/null); r=$((r+${v:-0})); done
  [ "$r" -gt "$rss" ] && rss=$r
  sleep 0.3
done
echo "peak_disk_bytes $peak final_bytes $(du -sb "$2" | cut -f1) peak_rss_kib $rss"
tail -2 "$2/log"
