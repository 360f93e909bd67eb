#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379, installing and starting one if needed.
# Tests of the cache, rate limits and the invalidation bus use a real Redis.
set -euo pipefail

redis_answers() {
  # bash's /dev/tcp avoids depending on redis-cli being installed.
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

if redis_answers; then
  echo "redis: answering on 127.0.0.1:6379"
  exit 0
fi

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis: installing redis-server"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

mkdir -p /var/lib/redis /var/log/redis
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log
for _ in $(seq 1 50); do
  if redis_answers; then
    echo "redis: started on 127.0.0.1:6379"
    exit 0
  fi
  sleep 0.2
done
echo "redis: did not answer on 127.0.0.1:6379 after starting; see /var/log/redis/ci.log" >&2
exit 1
