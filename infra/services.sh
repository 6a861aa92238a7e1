#!/usr/bin/env bash
# Makes sure the local Redis and MariaDB that rushgate needs are running: checks each one and
# starts it only when it does not answer. Used by `pnpm start` and by .ci/run.
set -euo pipefail

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
mariadb_up() { mariadb-admin --protocol=tcp -h 127.0.0.1 -P 3306 -uroot ping >/dev/null 2>&1; }

if ! redis_up; then
  echo "rushgate: starting Redis on 127.0.0.1:6379" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
fi
if ! mariadb_up; then
  echo "rushgate: starting MariaDB on 127.0.0.1:3306" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi

for _ in $(seq 1 60); do
  if redis_up && mariadb_up; then exit 0; fi
  sleep 0.5
done
redis_up || echo "rushgate: Redis did not come up on 127.0.0.1:6379" >&2
mariadb_up || echo "rushgate: MariaDB did not come up on 127.0.0.1:3306" >&2
exit 1
