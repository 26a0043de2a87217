#!/bin/sh
# The figures of issue 13 at 10M responses ("make bench-10m", after "make
# build"): seeding takes minutes, so the database is seeded once into
# $BENCH_10M_DB (default data/bench-500x10M.db) and kept for later runs.
# Prints
#   - the seed's wall time (when it seeds), goal ≤ 300 s;
#   - sipas-scorebench on it: scores, children and trend for whole months,
#     mid-month periods and a day, next to a full scan of the answers
#     (goal ≤ 100 ms and ≤ 0.1× the scan);
#   - start-up: "sipas serve" started until /healthz answers 200 (goal ≤ 1 s);
#   - the server's peak RSS (VmHWM) after $BENCH_10M_LOAD seconds of 4
#     clients asking the API for scores, children and trend of the province
#     and of a department for varied periods (goal ≤ 150 MB).
set -eu
cd "$(dirname "$0")/.."
DB=${BENCH_10M_DB:-data/bench-500x10M.db}
PORT=${BENCH_10M_PORT:-18931}
LOAD=${BENCH_10M_LOAD:-30}

if [ ! -f "$DB" ]; then
	mkdir -p "$(dirname "$DB")"
	start=$(date +%s)
	bin/sipas seed --db "$DB" --agencies 500 --responses 10000000 --demo-users
	echo "seed of 10M responses: $(( $(date +%s) - start )) s (goal ≤ 300 s)"
fi

go run ./cmd/sipas-scorebench --db "$DB" --runs "${BENCH_RUNS:-9}"

# Start-up to ready, twice: the first start after an upgrade may run a
# migration; the second is every restart's.
for run in 1 2; do
	start=$(date +%s%N)
	bin/sipas serve --db "$DB" --addr "127.0.0.1:$PORT" --integrity-every 0 >/tmp/sipas-bench-10m.log 2>&1 &
	pid=$!
	until curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; do
		kill -0 "$pid" 2>/dev/null || { cat /tmp/sipas-bench-10m.log; exit 1; }
		sleep 0.01
	done
	echo "start-up to /healthz 200 (run $run): $(( ($(date +%s%N) - start) / 1000000 )) ms (goal ≤ 1000 ms)"
	[ "$run" = 2 ] || { kill "$pid"; wait "$pid" || true; }
done

# Dashboard load: 4 clients for $LOAD s, then the peak RSS.
base="http://127.0.0.1:$PORT/api/v1"
dept=$(bin/sipas agency list --db "$DB" | awk 'NR > 1 && $(NF-1) == "DEMO" && $NF == "open" {print $1; exit}')
end=$(( $(date +%s) + LOAD ))
clients=""
for c in 1 2 3 4; do
	(
		i=0
		while [ "$(date +%s)" -lt "$end" ]; do
			i=$(( i + 1 ))
			from=$(date -d "-$(( 30 + (i * 7 + c * 13) % 300 )) days" +%F)
			to=$(date -d "-$(( (i * 3 + c) % 29 )) days" +%F)
			for agency in DEMO ${dept:-DEMO}; do
				for path in scores scores/children scores/trend; do
					curl -fsS -u admin:sipas-demo -o /dev/null "$base/$path?agency=$agency&from=$from&to=$to" || echo "GET $path $agency $from $to failed"
				done
			done
		done
	) &
	clients="$clients $!"
done
wait $clients
echo "peak RSS under the dashboard load: $(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status) MB (goal ≤ 150 MB)"
kill "$pid"
wait "$pid" || true
