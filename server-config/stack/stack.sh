# Sourced by server-config/bin/local-{artemis,kafka,dynamodb}: what the three have in common.
# Each service runs as one JVM in the background, with its data, log and pid file in
# $FOLIO_STACK_DIR/<service>; its jars come from Maven Central through Maven and are cached in
# server-config/stack/<service>/target/lib-<version>.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)   # server-config
root=$(cd "$here/.." && pwd)
# Outside target/ so that `mvn clean` never deletes the journal of a running broker (/run/ is git-ignored).
stack_dir=${FOLIO_STACK_DIR:-$root/run/stack}

# The value of a property of the parent pom, e.g. stack_version kafka.version
stack_version() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml" | head -n 1
}

# The folder of jars of server-config/stack/$1/pom.xml at version $2, copied by Maven once.
stack_lib() {
  local pom=$here/stack/$1/pom.xml lib=$here/stack/$1/target/lib-$2
  if [ ! -d "$lib" ]; then
    echo "fetching $1 $2 from Maven Central (once)..." >&2
    rm -rf "$lib.tmp"
    mvn -B -q -Dstyle.color=never -o -f "$pom" dependency:copy-dependencies -DoutputDirectory="$lib.tmp" >/dev/null 2>&1 \
      || mvn -B -q -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DoutputDirectory="$lib.tmp" >&2
    mv "$lib.tmp" "$lib"
  fi
  echo "$lib"
}

# Sets tool to the java arguments that run dev.folio.tools.$2 with the jars in $1: from
# server-config/target/classes when compiled from the current source (mvn compile), else straight
# from the source file (Java's source launcher; about 4 s slower).
stack_tool() {
  local source=$here/src/main/java/dev/folio/tools/$2.java class=$here/target/classes/dev/folio/tools/$2.class
  if [ -f "$class" ] && [ "$class" -nt "$source" ]; then
    tool=(-cp "$here/target/classes:$1/*" "dev.folio.tools.$2")
  else
    tool=(-cp "$1/*" "$source")
  fi
}

# The pid in pid file $1 if that process is alive and names folder $2 on its command line.
stack_pid() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "$2" || return 1
  echo "$pid"
}

# Whether something listens on 127.0.0.1:$1
stack_listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Runs "$@" in the background with output to log $1, holding none of this script's other open
# files (a caller's lock file or pipe would otherwise stay open as long as the service runs); sets
# launched_pid.
stack_launch() {
  local log=$1
  shift
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done 2>/dev/null || true
    exec nohup "$@" </dev/null >>"$log" 2>&1
  ) &
  launched_pid=$!
}

# Prints $2 and the tail of log $1, then exits 1.
stack_fail() {
  echo "$2; the end of $1:" >&2
  tail -n 40 "$1" >&2 || true
  exit 1
}

# Waits up to $4 seconds until 127.0.0.1:$1 accepts connections, while pid $2 lives (log $3).
stack_await_port() {
  local deadline=$((SECONDS + $4))
  until stack_listening "$1"; do
    kill -0 "$2" 2>/dev/null || stack_fail "$3" "the process exited"
    [ "$SECONDS" -lt "$deadline" ] || stack_fail "$3" "nothing listened on port $1 within $4 s"
    sleep 0.1
  done
}

# Stops process $3 that pid file $1 names (folder $2, as for stack_pid): SIGTERM, then SIGKILL after 30 s.
stack_stop() {
  local pid
  if pid=$(stack_pid "$1" "$2"); then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "stopped $3 (pid $pid)"
  else
    echo "$3 was not running"
  fi
  rm -f "$1"
}
