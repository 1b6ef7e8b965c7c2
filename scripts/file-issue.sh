#!/usr/bin/env bash
# Opens or updates citewatch's link-rot issue from a folder of reports (JSON).
#
# The issue is derived from the confirmed-dead links of the reports, not from one run's "newly
# dead" list: its body ends with a hidden list of the links it announced, so a link is news
# while it is dead and not announced yet. A night whose announcement failed (a rejected push, a
# re-run, GitHub down) is announced the next time this runs; nothing is lost.
#
# Only an open issue whose body starts with the marker `<!-- citewatch:link-rot -->` is
# citewatch's: issues people opened under the same label are never edited.
#
# Usage: file-issue.sh REPORTS_DIR   (needs the gh CLI and GH_TOKEN with `issues: write`;
# the citewatch CLI is bin/citewatch.js next to this script, or $CITEWATCH_CLI)
set -euo pipefail
reports="${1:?usage: file-issue.sh REPORTS_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cli="${CITEWATCH_CLI:-$here/../bin/citewatch.js}"
label="link-rot"
title="Link rot: citations need attention"
marker='<!-- citewatch:link-rot -->'
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run_url=""
if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then
  run_url="$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID"
fi

gh label create "$label" --color B60205 --description "Dead links and unsourced claims found by citewatch" >/dev/null 2>&1 || true

# The open issues under the label, bodies included; ours is the first whose body starts with the
# marker (parsed with node, which citewatch needs anyway, rather than trusting gh's jq).
gh issue list --label "$label" --state open --limit 100 --json number,body > "$work/issues.json"
number="$(MARKER="$marker" node -e '
  const fs = require("node:fs");
  const issues = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  const ours = issues
    .filter((i) => typeof i.body === "string" && i.body.replace(/^\uFEFF/, "").trimStart().startsWith(process.env.MARKER))
    .sort((a, b) => a.number - b.number)[0];
  if (ours) {
    fs.writeFileSync(process.argv[2], ours.body);
    process.stdout.write(String(ours.number));
  }
' "$work/issues.json" "$work/previous.md")"

args=(issue "$reports" --body-out "$work/body.md" --comment-out "$work/comment.md")
[ -n "$number" ] && args+=(--previous "$work/previous.md")
[ -n "$run_url" ] && args+=(--run-url "$run_url")
node "$cli" "${args[@]}" > "$work/counts"
fresh="$(sed -n 's/^fresh=//p' "$work/counts")"
new_unsourced="$(sed -n 's/^new-unsourced=//p' "$work/counts")"
news=$(( ${fresh:-0} + ${new_unsourced:-0} ))

if [ -n "$number" ]; then
  # The body first: it records what is announced, so a failed comment loses nothing.
  if ! cmp -s "$work/body.md" "$work/previous.md"; then
    gh issue edit "$number" --body-file "$work/body.md" >/dev/null
    echo "updated issue #$number"
  fi
  if [ "$news" -gt 0 ]; then
    gh issue comment "$number" --body-file "$work/comment.md" >/dev/null
    echo "announced $fresh newly dead link(s) on issue #$number"
  fi
elif [ "$news" -gt 0 ]; then
  gh issue create --title "$title" --label "$label" --body-file "$work/body.md"
else
  echo "nothing new to announce"
fi
