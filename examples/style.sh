# Sourced by the demos: headings in bold only where styling is wanted. NO_COLOR (set, non-empty)
# turns it off, then FORCE_COLOR (set, not 0) turns it on, else it is on when stdout is a terminal.
if [ -n "${NO_COLOR:-}" ]; then
  _bold="" _plain=""
elif [ -n "${FORCE_COLOR:-}" ] && [ "${FORCE_COLOR}" != 0 ]; then
  _bold=$'\033[1m' _plain=$'\033[0m'
elif [ -t 1 ]; then
  _bold=$'\033[1m' _plain=$'\033[0m'
else
  _bold="" _plain=""
fi
step() { printf '\n%s== %s%s\n' "$_bold" "$*" "$_plain"; }
