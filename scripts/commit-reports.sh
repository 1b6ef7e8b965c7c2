#!/usr/bin/env bash
# Commits the reports folder when something in it really changed (citewatch leaves a report
# whose only change is the run's time untouched, and removes the reports of articles no longer
# checked), and pushes. When the branch moved meanwhile (someone pushed during the night), the
# commit is made again on the new tip and pushed again, a few times: the reports are regenerated
# every night, so where they conflict ours win.
#
# Usage: commit-reports.sh REPORTS_DIR   (BRANCH, or GITHUB_REF_NAME, names the branch)
set -euo pipefail
dir="${1:?usage: commit-reports.sh REPORTS_DIR}"
branch="${BRANCH:-${GITHUB_REF_NAME:?set BRANCH or GITHUB_REF_NAME}}"
attempts="${COMMIT_ATTEMPTS:-5}"
message="${COMMIT_MESSAGE:-Nightly citation report}"

git config user.name 'citewatch[bot]'
git config user.email 'citewatch-bot@users.noreply.github.com'

for attempt in $(seq 1 "$attempts"); do
  # -A records deletions too; -f because a repository may ignore the reports folder.
  git add -A -f -- "$dir"
  if git diff --cached --quiet; then
    echo "reports unchanged"
    exit 0
  fi
  git commit -q -m "$message"
  if git push -q origin "HEAD:refs/heads/$branch"; then
    echo "reports committed and pushed"
    exit 0
  fi
  if [ "$attempt" -eq "$attempts" ]; then break; fi
  echo "::warning::push rejected (attempt $attempt of $attempts): $branch moved; committing the reports again on its new tip"
  sleep "$((attempt * ${COMMIT_RETRY_DELAY:-2}))"
  git fetch -q origin "$branch"
  # Onto the new tip: HEAD and the index become the remote's, the working tree keeps our
  # reports, and only the reports folder is staged again — ours win, nothing else is touched.
  git reset -q --mixed FETCH_HEAD
done
echo "::error::could not push the reports after $attempts attempts"
exit 1
