# Sourced by ./mvnw and ./mesh: points JAVA_HOME at a JDK >= 25 without the user exporting anything.
# Order: JAVA_HOME if it already is >= 25, else the newest JDK >= 25 under /usr/lib/jvm, else `java` on PATH.
# A JDK's major version: from its `release` file when it has one (no JVM start, which would add ~60 ms to every CLI
# round trip), else by asking the JVM.
__mesh_java_major() {
  if [ -f "$1/release" ] && grep -q '^JAVA_VERSION="[0-9]' "$1/release"; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
    return
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}
__mesh_find_java() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    major=$(__mesh_java_major "$JAVA_HOME")
    [ "${major:-0}" -ge 25 ] 2>/dev/null && return 0
  fi
  for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate=${candidate%/}
    [ -x "$candidate/bin/java" ] || continue
    major=$(__mesh_java_major "$candidate")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$candidate"; return 0; fi
  done
  if command -v java >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(__mesh_java_major "$candidate")
    if [ "${major:-0}" -ge 25 ] 2>/dev/null; then export JAVA_HOME="$candidate"; return 0; fi
  fi
  echo "Planetary Mesh needs a JDK 25 or newer: install one (e.g. Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}
__mesh_find_java || exit 1
