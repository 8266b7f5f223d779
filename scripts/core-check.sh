#!/usr/bin/env bash
# `npm run test:valgrind`: builds native/check/core_check.cc with every native/core/**/*.cc into
# build-check/ (g++, -O1 -g, the addon's floating-point flags) and runs it under valgrind memcheck.
# Any invalid read or write, use of uninitialised memory, bad free or definite leak fails the run;
# so does a failed check of the harness itself (non-finite outputs, two runs that differ, a result
# that depends on the thread count).
#
#   CORE_CHECK_NO_VALGRIND=1  run the harness without valgrind (a quick look; not the check)
#   CORE_CHECK_JOBS=N         parallel compile jobs (default 2)
#   CXX                       the compiler (default g++)
#   extra arguments are passed to the harness (--quick: one run, no determinism comparison)
set -euo pipefail
cd "$(dirname "$0")/.."

CXX=${CXX:-g++}
JOBS=${CORE_CHECK_JOBS:-2}
OUT=build-check
# The addon's flags (binding.gyp, CMakeLists.txt) at -O1 -g: the same floating-point semantics,
# readable stacks, and code valgrind can follow.
FLAGS=(-std=c++17 -O1 -g -fno-omit-frame-pointer -fno-math-errno -fno-trapping-math -ffp-contract=off -pthread -Wno-psabi -Inative)

# Valgrind: in CI (CI set) or with CORE_CHECK_INSTALL=1 it is installed with apt-get when missing.
if ! command -v valgrind > /dev/null && [ -z "${CORE_CHECK_NO_VALGRIND:-}" ]; then
  if { [ -n "${CI:-}" ] || [ -n "${CORE_CHECK_INSTALL:-}" ]; } && command -v apt-get > /dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    echo "core-check: installing valgrind with apt-get"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq valgrind > /dev/null
  fi
  if ! command -v valgrind > /dev/null; then
    echo "core-check: valgrind not found (Debian/Ubuntu: sudo apt-get install -y valgrind)" >&2
    exit 2
  fi
fi

mkdir -p "$OUT/obj"
start=$(date +%s)
# A change of compiler or flags rebuilds everything.
stamp="$CXX ${FLAGS[*]}"
if [ "$(cat "$OUT/flags" 2> /dev/null)" != "$stamp" ]; then
  rm -f "$OUT"/obj/*.o "$OUT"/obj/*.d
  printf '%s' "$stamp" > "$OUT/flags"
fi
mapfile -t sources < <(find native/core -name '*.cc' | sort)
sources+=(native/check/core_check.cc)

# One object per source, rebuilt when the source or any header it includes (the -MMD list) changed.
stale=()
for src in "${sources[@]}"; do
  obj="$OUT/obj/$(echo "${src%.cc}" | tr '/' '_').o"
  dep="${obj%.o}.d"
  rebuild=0
  if [ ! -f "$obj" ] || [ ! -f "$dep" ]; then
    rebuild=1
  else
    for f in $(sed -e 's/\\$//' -e 's/^[^:]*://' "$dep"); do
      if [ "$f" -nt "$obj" ]; then rebuild=1; break; fi
    done
  fi
  [ "$rebuild" = 1 ] && stale+=("$src")
done
if [ "${#stale[@]}" -gt 0 ]; then
  echo "core-check: compiling ${#stale[@]} of ${#sources[@]} sources ($CXX, -O1 -g, $JOBS jobs)"
  printf '%s\n' "${stale[@]}" | xargs -P "$JOBS" -I{} sh -c '
    src="$1"; shift
    obj="'"$OUT"'/obj/$(echo "${src%.cc}" | tr "/" "_").o"
    exec "$@" -MMD -MP -c "$src" -o "$obj"' _ {} "$CXX" "${FLAGS[@]}"
fi
objs=()
for src in "${sources[@]}"; do objs+=("$OUT/obj/$(echo "${src%.cc}" | tr '/' '_').o"); done
"$CXX" -pthread -g "${objs[@]}" -o "$OUT/core_check"
built=$(date +%s)
echo "core-check: built $OUT/core_check in $((built - start)) s"

log="$OUT/valgrind.log"
if [ -n "${CORE_CHECK_NO_VALGRIND:-}" ]; then
  "$OUT/core_check" "$@"
  exit $?
fi
status=0
# --fair-sched: the pool's workers spin briefly between jobs; fair scheduling keeps them from
# starving the thread that holds the work. Definite leaks are errors; the deliberately leaked
# global pool object ("still reachable") is not.
valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --track-origins=yes --fair-sched=yes --log-file="$log" \
  "$OUT/core_check" "$@" || status=$?
end=$(date +%s)
summary=$(grep -E 'ERROR SUMMARY|definitely lost|in use at exit' "$log" | sed 's/^==[0-9]*== *//' || true)
echo "$summary"
if [ "$status" -ne 0 ]; then
  echo "core-check: FAILED (exit $status) after $((end - built)) s under valgrind; full log: $log" >&2
  grep -E -A25 'Invalid|uninitialised|definitely lost in|Mismatched|free\(\)' "$log" | head -200 >&2 || true
  exit "$status"
fi
echo "core-check: valgrind memcheck clean in $((end - built)) s (log: $log)"
