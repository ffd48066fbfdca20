# Sourced by server-config/bin/folio-local and bin/folio-node: what a Folio node on Payara Micro
# needs, so that both run it the same way: the environment the app reads (defaults pointing at the
# services folio-local starts), the built archives, starting the node and waiting until it is ready.

micro_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)   # the repository
micro_work=$micro_root/server-config/target/folio-local
micro_jar=$micro_root/server-config/target/payara/payara-micro.jar
micro_war=$micro_root/web/target/folio.war
micro_rar=$micro_root/resources/target/artemis.rar
micro_rar_resources=$micro_root/resources/target/artemis-resources.war

# Exports the app's settings for a node on HTTP port $1, each kept when already set: the database,
# the broker, Kafka and DynamoDB Local (on the ports bin/local-* use by default), and a node name
# unique on this machine (one node per port).
micro_environment() {
  export FOLIO_DB_PORT=${FOLIO_DB_PORT:-5433}
  export FOLIO_DB_NAME=${FOLIO_DB_NAME:-folio}
  export FOLIO_DB_USER=${FOLIO_DB_USER:-folio}
  export FOLIO_DB_PASSWORD=${FOLIO_DB_PASSWORD:-folio}
  export FOLIO_DB_URL=${FOLIO_DB_URL:-jdbc:postgresql://127.0.0.1:$FOLIO_DB_PORT/$FOLIO_DB_NAME}
  export FOLIO_ARTEMIS_HOST=${FOLIO_ARTEMIS_HOST:-127.0.0.1}
  export FOLIO_ARTEMIS_PORT=${FOLIO_ARTEMIS_PORT:-61616}
  export FOLIO_KAFKA_PORT=${FOLIO_KAFKA_PORT:-9092}
  export FOLIO_KAFKA_BOOTSTRAP=${FOLIO_KAFKA_BOOTSTRAP:-127.0.0.1:$FOLIO_KAFKA_PORT}
  export FOLIO_KAFKA_TOPIC=${FOLIO_KAFKA_TOPIC:-folio.deltas}
  export FOLIO_DYNAMODB_PORT=${FOLIO_DYNAMODB_PORT:-8000}
  export FOLIO_DYNAMODB_ENDPOINT=${FOLIO_DYNAMODB_ENDPOINT:-http://127.0.0.1:$FOLIO_DYNAMODB_PORT}
  export FOLIO_EVENT_TABLE=${FOLIO_EVENT_TABLE:-folio-events}
  export FOLIO_NODE_NAME=${FOLIO_NODE_NAME:-node-$1}
  # DynamoDB Local takes any credentials and region, but an AWS SDK client with the default
  # providers fails without some.
  export AWS_REGION=${AWS_REGION:-us-east-1}
  export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-folio}
  export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-folio}
  # The archive of compacted events: S3Proxy from bin/local-s3 (the same access key), through the
  # AWS SDK's own endpoint variable, so that AWS is configuration only; S3Proxy takes the bucket in
  # the path.
  export FOLIO_S3_PORT=${FOLIO_S3_PORT:-9000}
  export AWS_ENDPOINT_URL_S3=${AWS_ENDPOINT_URL_S3:-http://127.0.0.1:$FOLIO_S3_PORT}
  export FOLIO_ARCHIVE_BUCKET=${FOLIO_ARCHIVE_BUCKET:-folio-archive}
  export FOLIO_ARCHIVE_PATH_STYLE=${FOLIO_ARCHIVE_PATH_STYLE:-true}
  # Sign-in for the local run: the development issuer and its demo users (docs/security.md), with
  # one signing key that every node of this machine shares (made on first use, never committed).
  export FOLIO_AUTH_DEV_ISSUER=${FOLIO_AUTH_DEV_ISSUER:-true}
  if [ "$FOLIO_AUTH_DEV_ISSUER" = true ] && [ -z "${FOLIO_AUTH_SIGNING_KEY_LOCATION:-}" ]; then
    local key=$micro_root/run/auth/signing-key.pem
    if [ ! -f "$key" ]; then
      mkdir -p "$(dirname "$key")"
      (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null) \
        || echo "openssl failed: each node signs with a key of its own, so tokens work on one node only" >&2
    fi
    if [ -f "$key" ]; then export FOLIO_AUTH_SIGNING_KEY_LOCATION=$key; fi
  fi
}

# Exits with a message unless the archives a node deploys were built.
micro_require_built() {
  local file
  for file in "$micro_jar" "$micro_war" "$micro_rar" "$micro_rar_resources"; do
    [ -f "$file" ] || { echo "$file is missing: build first (server-config/bin/folio-local, or mvn -DskipTests package)" >&2; exit 1; }
  done
}

# Exits with a message if something listens on 127.0.0.1:$1.
micro_require_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "port $1 is taken; set FOLIO_HTTP_PORT" >&2
    exit 1
  fi
}

# Starts Payara Micro on HTTP port $1, logging to $micro_work/micro-$1.log, with the environment
# exported so far; sets micro_pid. The resource adapter first, then the resources defined on it,
# then the app (Payara refuses resources that name an adapter it does not have yet). --nocluster:
# nodes share what they accept through Kafka, not through a Hazelcast cluster of their own.
# deployment.resource.validation=false: the app's @Resource lookups name java:global resources of
# another archive (artemis-resources), which Payara's deploy-time check does not see; it would refuse
# the app ("JNDI lookup failed ... java:global/jms/folio"). They resolve at run time.
#
# micro-pre-boot.asadmin: the HTTP listener binds FOLIO_BIND_ADDRESS (127.0.0.1) only, and the
# Hazelcast data grid, which --nocluster still starts listening on every interface from port 6900,
# is off: the nodes share nothing through it, and their timers are not persistent (issue 19).
micro_launch() {
  mkdir -p "$micro_work"
  export FOLIO_BIND_ADDRESS=${FOLIO_BIND_ADDRESS:-127.0.0.1}
  micro_log=$micro_work/micro-$1.log
  # micro-post-boot.asadmin: Tyrus re-arms every session's idle timer on the default managed
  # scheduled executor for each message; without context capture that costs next to nothing
  # (docs/benchmarks.md, "Where the time goes"). The application's own tasks run on threads of its
  # managed thread factory, which carry their context.
  java -Ddeployment.resource.validation=false -jar "$micro_jar" \
    --prebootcommandfile "$micro_root/server-config/stack/micro-pre-boot.asadmin" \
    --postbootcommandfile "$micro_root/server-config/stack/micro-post-boot.asadmin" \
    --deploy "$micro_rar" --deploy "$micro_rar_resources:/artemis-resources" \
    --deploy "$micro_war:/" --port "$1" --nocluster >"$micro_log" 2>&1 &
  micro_pid=$!
}

# Waits up to 3 minutes until Micro says it started and the node on port $1 answers /health/ready
# with the app's checks (database and broker) up; exits with a message if it stops, starts without
# the app, or never gets ready. A 200 alone is not enough: Micro answers 200 with no checks once the
# first archive is deployed, then 503 while it loads the app, and 200 with no checks for good when
# the app failed to deploy (Micro still says ready).
#
# An archive that did not deploy gets one more start: now and then (about one start in thirty on
# 6.2025.10, with the data grid off) Payara fails to deploy artemis-resources or the app with "Error
# while installing policy provider" (a null context class loader on its main thread), and the same
# archives deploy on the next start. The failed start's log is kept beside the new one. Callers that
# launch several nodes with environments of their own set micro_no_retry.
micro_await_ready() {
  local health archive retried=
  for _ in $(seq 1 360); do
    kill -0 "$micro_pid" 2>/dev/null || { echo "Payara Micro exited; see $micro_log" >&2; exit 1; }
    if grep -q 'Payara Micro .* ready in ' "$micro_log"; then
      for archive in artemis artemis-resources folio; do
        grep -q "$archive was successfully deployed" "$micro_log" && continue
        if [ -z "$retried" ] && [ -z "${micro_no_retry:-}" ]; then
          echo "Payara Micro started without $archive; starting it once more (see $micro_log.failed)" >&2
          kill -9 "$micro_pid" 2>/dev/null || true
          wait "$micro_pid" 2>/dev/null || true
          mv "$micro_log" "$micro_log.failed"
          retried=yes
          micro_launch "$1"
          continue 2
        fi
        echo "Payara Micro started without $archive; see $micro_log" >&2
        exit 1
      done
      if health=$(curl -fsS "http://127.0.0.1:$1/health/ready" 2>/dev/null) && grep -q '"name"' <<<"$health"; then
        return 0
      fi
    fi
    sleep 0.5
  done
  echo "Payara Micro was not ready within 3 minutes; see $micro_log" >&2
  exit 1
}

# Stops the node cleanly (SIGTERM: open documents are written back first), if it runs.
micro_stop() {
  if [ -n "${micro_pid:-}" ] && kill -0 "$micro_pid" 2>/dev/null; then
    local open
    # || true: awk stops reading at the line it wants, and curl's write error (23) would otherwise
    # end the script here (set -e, pipefail) before anything is stopped.
    open=$(curl -s --max-time 2 "http://127.0.0.1:$1/metrics" 2>/dev/null \
      | awk '/^folio_documents_open[ {]/ {print $NF; exit}' | cut -d. -f1) || true
    echo "stopping Payara Micro on port $1: saving ${open:-its} open documents first;" \
      "this takes up to about 30 s, and Ctrl-C again does not make it faster..."
    trap 'echo "  (still stopping: Payara Micro is saving and shutting down)"' INT
    kill -TERM "$micro_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$micro_pid" 2>/dev/null; do
      sleep 1
      waited=$((waited + 1))
      if [ $((waited % 10)) -eq 0 ]; then echo "  still stopping Payara Micro (${waited} s)..."; fi
    done
    wait "$micro_pid" 2>/dev/null || true
    echo "Payara Micro stopped after ${waited} s"
  fi
}

# Prints the addresses of the node on port $1 and of what it is connected to.
micro_print() {
  cat <<URLS
  Editor       http://localhost:$1/   (sign in as editor, editor2, viewer or admin; the password is the name)
  Admin        http://localhost:$1/admin.html   (as admin)
  REST API     http://localhost:$1/api/documents
  WebSocket    ws://localhost:$1/ws/documents/{id}   (protocol: docs/protocol.md)
  OpenAPI      http://localhost:$1/openapi
  Health       http://localhost:$1/health/ready
  Metrics      http://localhost:$1/metrics
  Node         $FOLIO_NODE_NAME   (log: ${micro_log#"$micro_root"/})
  PostgreSQL   $FOLIO_DB_URL (user $FOLIO_DB_USER)
  Artemis      tcp://$FOLIO_ARTEMIS_HOST:$FOLIO_ARTEMIS_PORT   Kafka $FOLIO_KAFKA_BOOTSTRAP (topic $FOLIO_KAFKA_TOPIC)   DynamoDB $FOLIO_DYNAMODB_ENDPOINT (table $FOLIO_EVENT_TABLE)
  Archive      S3 $AWS_ENDPOINT_URL_S3 (bucket $FOLIO_ARCHIVE_BUCKET)
URLS
}
