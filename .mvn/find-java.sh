# Sourced by ./mvnw and ./mesh: points JAVA_HOME at a JDK >= 25 without the user exporting anything.
# Order: JAVA_HOME if it already is >= 25, else the newest JDK >= 25 under /usr/lib/jvm, else `java` on PATH.
__mesh_java_major() {
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
