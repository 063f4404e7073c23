#!/bin/sh
# Container entrypoint: size the JVM's memory regions (heap, metaspace, code cache, direct memory,
# thread stacks) from the container's memory limit, then start the application with them.
#
# Use (Dockerfile):
#   COPY target/rightsize-*-cli.jar /opt/rightsize/
#   COPY examples/entrypoint.sh /opt/app/entrypoint.sh
#   ENTRYPOINT ["/opt/app/entrypoint.sh"]
#   CMD ["-jar", "/opt/app/app.jar"]
# Try it locally:
#   RIGHTSIZE_JAR=target/rightsize-0.1.0-SNAPSHOT-cli.jar sh examples/entrypoint.sh -version
#
# Sizing inputs come from the environment (the CLI reads them itself): RIGHTSIZE_THREADS,
# RIGHTSIZE_LOADED_CLASSES, RIGHTSIZE_DIRECT_MEMORY, RIGHTSIZE_CODE_CACHE, RIGHTSIZE_COLLECTOR, and
# RIGHTSIZE_PROFILE=/data/footprint.properties: the footprint the previous run wrote at exit
# (JvmFootprint.writeAtExit, or Spring Boot's rightsize.footprint.file). Keep that file on a volume
# that outlives the container; on the first start it does not exist yet and the other inputs size.
#
# Options in JAVA_OPTS come after the computed ones, so they win (HotSpot takes the last occurrence
# of a flag) -- but the computed heap did not budget for them: pin a region by setting it here AND
# remember the others were sized assuming the defaults.
set -eu

jar="${RIGHTSIZE_JAR:-}"
if [ -z "$jar" ]; then
  for candidate in /opt/rightsize/rightsize-*-cli.jar; do jar="$candidate"; done
fi
if [ ! -f "$jar" ]; then
  echo "entrypoint: rightsize CLI jar not found (set RIGHTSIZE_JAR)" >&2
  exit 1
fi

# A small, short-lived JVM for the calculation itself: it exits before the application starts.
# Exit 3 (the memory limit is unknown: a limit file could not be read) or 4 (nothing could be
# read): no heap is sized from a guess, and the JVM starts without heap flags, sizing itself with
# its own container support. Exit 1 (the limit cannot hold the JVM's fixed regions) or 5 (the flags
# could not be written): refuse to start rather than run a JVM the kernel will OOM-kill (to start
# anyway with the JVM's own defaults, replace `exit 1` with `flags=""`).
status=0
flags="$(java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -jar "$jar" --jvm-flags)" || status=$?
case "$status" in
  0) ;;
  3|4)
    echo "entrypoint: the memory limit is unknown (see above); starting the JVM without heap flags" >&2
    flags=""
    ;;
  *)
    echo "entrypoint: could not size the JVM for this container (see above)" >&2
    exit 1
    ;;
esac

JAVA_OPTS="$flags ${JAVA_OPTS:-}"
echo "entrypoint: JAVA_OPTS=$JAVA_OPTS" >&2
# JAVA_OPTS is split on spaces on purpose; the computed flags contain no quotes or globs.
# shellcheck disable=SC2086
exec java $JAVA_OPTS "$@"
