#!/usr/bin/env bash
# The action's run step: builds the citewatch command line from the INPUT_* variables (never
# interpolated into the script, so titles and paths cannot inject shell code) and always exits 0,
# leaving the exit code in the step's outputs for the next step to act on.
set -uo pipefail
cli="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}/bin/citewatch.js"

args=(check)
read -r -a paths <<< "$(printf '%s' "${INPUT_PATHS:-}" | tr '\n' ' ')"
for p in "${paths[@]}"; do [ -e "$p" ] && args+=("$p"); done
while IFS= read -r title; do
  title="${title#"${title%%[![:space:]]*}"}"; title="${title%"${title##*[![:space:]]}"}"
  [ -n "$title" ] && args+=(--wiki "$title")
done <<< "${INPUT_WIKI:-}"
[ -n "${INPUT_WIKI_LIST:-}" ] && args+=(--wiki-list "$INPUT_WIKI_LIST")
args+=(--out "${INPUT_OUT:-reports}" --state "${INPUT_STATE:-.citewatch/state.sqlite}")
[ -n "${INPUT_FAIL_ON:-}" ] && args+=(--fail-on "$INPUT_FAIL_ON")
[ -n "${CITEWATCH_SPN_ACCESS_KEY:-}" ] && [ -n "${CITEWATCH_SPN_SECRET:-}" ] && args+=(--archive)
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -a extra <<< "$INPUT_ARGS"
  args+=("${extra[@]}")
fi

node "$cli" "${args[@]}"
code=$?
# citewatch writes its own outputs when it ran; make sure exit-code is there even if it did not.
if [ -n "${GITHUB_OUTPUT:-}" ] && ! grep -q '^exit-code=' "$GITHUB_OUTPUT" 2>/dev/null; then
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
fi
exit 0
