#!/usr/bin/env bash
# Opens one issue labelled `link-rot`, or updates the open one, with the run's Markdown report.
# Needs the gh CLI and GH_TOKEN (GITHUB_TOKEN with `issues: write`).
set -euo pipefail
body_file="${1:?usage: file-issue.sh REPORT.md}"
label="link-rot"
# GitHub refuses issue bodies over 65 536 characters: keep the head of the report and say so.
limit=60000
if [ "$(wc -c < "$body_file")" -gt "$limit" ]; then
  trimmed="$(mktemp)"
  head -c "$limit" "$body_file" > "$trimmed"
  printf '\n\n…the report is longer; see the workflow artifact for all of it.\n' >> "$trimmed"
  body_file="$trimmed"
fi
title="Link rot: citations need attention"

gh label create "$label" --color B60205 --description "Dead links and unsourced claims found by citewatch" 2>/dev/null || true
number="$(gh issue list --label "$label" --state open --limit 1 --json number --jq '.[0].number // empty')"
if [ -n "$number" ]; then
  gh issue edit "$number" --body-file "$body_file"
  echo "updated issue #$number"
else
  gh issue create --title "$title" --label "$label" --body-file "$body_file"
fi
