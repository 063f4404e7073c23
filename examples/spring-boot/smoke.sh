#!/usr/bin/env bash
# Starts the packaged example, checks what rightsize contributes to /actuator/health,
# /actuator/info and /actuator/prometheus, prints it, and stops the application.
#
#   mvn package && ./smoke.sh                 # as is
#   mvn package && sudo ./smoke.sh --limits   # in a cgroup v1 with 768 MiB and 1.5 CPUs (no Docker)
#
# Exits non-zero when a contribution is missing. PORT (default 18080) sets the port.
set -euo pipefail
cd "$(dirname "$0")"
port="${PORT:-18080}"
jar="$(ls target/rightsize-spring-boot-example-*.jar | head -1)"
cmd=(java -jar "$jar" "--server.port=$port")

if [ "${1:-}" = "--limits" ]; then
  # cgroup v1 (as on this project's CI host); on cgroup v2 use
  #   systemd-run --scope -p MemoryMax=768M -p CPUQuota=150% java -jar ...
  for c in memory cpu cpuacct; do mkdir -p "/sys/fs/cgroup/$c/rightsize-example"; done
  echo $((768 * 1024 * 1024)) > /sys/fs/cgroup/memory/rightsize-example/memory.limit_in_bytes
  echo 150000 > /sys/fs/cgroup/cpu/rightsize-example/cpu.cfs_quota_us
  cmd=(sh -c 'for c in memory cpu cpuacct; do echo $$ > /sys/fs/cgroup/$c/rightsize-example/cgroup.procs; done; exec "$@"' sh "${cmd[@]}")
  cleanup_cgroups() { for c in memory cpu cpuacct; do rmdir "/sys/fs/cgroup/$c/rightsize-example" 2>/dev/null || true; done; }
else
  cleanup_cgroups() { :; }
fi

log="$(mktemp)"
"${cmd[@]}" >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; cleanup_cgroups' EXIT

for _ in $(seq 1 120); do
  curl -fs "localhost:$port/actuator/health" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "the application exited" >&2; exit 1; }
  sleep 0.5
done

echo "== startup report in the log"
sed -n '/INFO .* dev.rightsize /,/GC /p' "$log"
echo "== /actuator/health (component rightsize)"
health="$(curl -fs "localhost:$port/actuator/health")"
echo "$health" | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["components"]["rightsize"], indent=2))'
echo "== /actuator/info"
info="$(curl -fs "localhost:$port/actuator/info")"
echo "$info" | python3 -m json.tool
echo "== /actuator/prometheus (container_*)"
prom="$(curl -fs "localhost:$port/actuator/prometheus")"
echo "$prom" | grep '^container_'

status=0
grep -q 'dev.rightsize *: rightsize' "$log" || { echo "FAIL: no startup report in the log" >&2; status=1; }
echo "$health" | python3 -c 'import json,sys; assert json.load(sys.stdin)["components"]["rightsize"]["status"] == "UP"' \
  || { echo "FAIL: no rightsize health component" >&2; status=1; }
echo "$info" | python3 -c 'import json,sys; assert "source" in json.load(sys.stdin)["rightsize"]' \
  || { echo "FAIL: no rightsize info" >&2; status=1; }
echo "$prom" | grep -q '^container_cpu_effective ' || { echo "FAIL: no container_* meters" >&2; status=1; }
[ "$status" = 0 ] && echo "OK: startup report, health, info and container_* meters, with no application code"
exit "$status"
