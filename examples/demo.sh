#!/usr/bin/env bash
# `make demo`: start the sandbox on a free port, run a sample of actions against it with each way
# of authenticating, stop the sandbox. Needs `atlctl` on PATH (the Makefile puts .venv/bin first).
set -euo pipefail

log=$(mktemp)
atlctl sandbox --port 0 >"$log" 2>&1 &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null; wait "$sandbox" 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q "Sandbox ready at" "$log" && break
  kill -0 "$sandbox" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^Sandbox ready at //p' "$log")
jira="$url/jira"
cloud="$url/cloud"
source "$(dirname "$0")/style.sh"  # step: a heading, bold only on a terminal (NO_COLOR, FORCE_COLOR)
show() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }
stats() { python3 -c "import json,sys,urllib.request as u; s=json.load(u.urlopen('$url/_sandbox/stats')); print('sandbox stats: password checks', s['password_checks'], '| logins', s['logins'], '| requests by auth', s['requests_by_auth'])"; }

step "Sandbox ready at $url (Jira DC at /jira, Atlassian Cloud at /cloud, Confluence DC at /confluence, Bitbucket DC at /bitbucket, Bitbucket Cloud at /bitbucket-cloud, Slack at /slack)"
show atlctl jira getServerInfo --server "$jira"

step "The authentication matrix atlctl chooses by (the first row that matches is used)"
show atlctl auth matrix jira --columns "Deployment,Credentials given,--auth,Scheme used,Minimum version"

step "Server/DC, user + password: session auth with automatic login (the password is checked once)"
export ATLCTL_PASSWORD=admin   # better than --password: not visible in ps or shell history
show atlctl jira createIssue --server "$jira" --user admin --project DEMO --type Task --summary "Rotate the deploy keys"
show atlctl jira transitionIssue --server "$jira" --user admin --issue DEMO-4 --transition "Start Progress"
show atlctl jira addComment --server "$jira" --user admin --issue DEMO-4 --comment "Started from the demo"
show atlctl jira getIssueList --server "$jira" --user admin --jql "project = DEMO ORDER BY key"
stats

step "Server/DC, --auth basic: the password travels (and is checked) on every request"
show atlctl jira getIssue --server "$jira" --user admin --auth basic --issue DEMO-4 --columns Key,Status,Summary

step "Server/DC, personal access token (Bearer); tokens cannot do web-session actions"
token=$(atlctl jira addAccessToken --server "$jira" --user admin --name demo --expirationDuration 7)
unset ATLCTL_PASSWORD
export ATLCTL_TOKEN="$token"
show atlctl jira getCurrentUser --server "$jira"
show atlctl jira renderRequest --server "$jira" --request /secure/ViewProfile.jspa || echo "(exit code $?)"
unset ATLCTL_TOKEN

step "Explicit session: login once, reuse it with --login, then logout"
session=$(ATLCTL_PASSWORD=admin atlctl jira login --server "$jira" --user admin)
echo "(the session token is passed on standard input with '--login -', so it never shows in ps or here)"
show atlctl jira getProjectList --server "$jira" --login - <<<"$session"
show atlctl jira logout --server "$jira" --login - <<<"$session"

step "Jira Cloud: account email + API token (the web password is refused, with the reason)"
export ATLCTL_TOKEN=sandbox-token-admin   # the seeded Cloud API token
show atlctl jira getCurrentUser --server "$cloud" --user admin@example.com
show atlctl jira getCurrentUser --server "$cloud" --user admin || echo "(exit code $?)"
unset ATLCTL_TOKEN
ATLCTL_PASSWORD=admin show atlctl jira getCurrentUser --server "$cloud" --user admin@example.com || echo "(exit code $?)"
echo "(ACLI's client name jiracloud is Jira with the Cloud deployment: no discovery needed)"
ATLCTL_TOKEN=sandbox-token-admin show atlctl jiracloud getServerInfo --server "$cloud" --user admin@example.com

step "Jira depth: custom fields by name, links, labels, work, a resolution on the Done transition"
export ATLCTL_PASSWORD=admin
show atlctl jira createIssue --server "$jira" --user admin --project DEMO --type Story --summary "Demo depth" \
  --field "Story Points=5" --field Team --values Blue
show atlctl jira linkIssue --server "$jira" --user admin --issue DEMO-5 --toIssue DEMO-4 --link blocks
show atlctl jira addLabels --server "$jira" --user admin --issue DEMO-5 --labels release,demo
show atlctl jira addWork --server "$jira" --user admin --issue DEMO-5 --timeSpent "1h 30m" --comment "Reviewed"
show atlctl jira transitionIssue --server "$jira" --user admin --issue DEMO-5 --transition Done --resolution Fixed
show atlctl jira getIssue --server "$jira" --user admin --issue DEMO-5 --columns "Key,Status,Labels,Story Points,Team"
unset ATLCTL_PASSWORD

step "A script of actions: one session for the whole run, @issue@ variables"
work=$(mktemp -d)
export ATLCTL_CONFIG="$work/config.toml"   # keep the demo's profile out of your own config
cat >"$work/release.txt" <<'SCRIPT'
# ACLI syntax: one action per line, "" inside quotes, @name@ variables
--action createIssue --project DEMO --type Story --summary "Release ""2.0"" notes" --reference story
--action addComment --issue @story@ --comment "Drafted by the demo script"
--action transitionIssue --issue @story@ --transition "Start Progress"
--action getIssue --issue @story@ --columns Key,Status,Summary
SCRIPT
export ATLCTL_PASSWORD=admin
show atlctl jira run --file "$work/release.txt" --server "$jira" --user admin
printf 'summary,priority\nBulk one,High\nBulk two,Low\nBulk three,Medium\n' >"$work/issues.csv"
show atlctl jira runFromCsv --file "$work/issues.csv" --common "--action createIssue --project DEMO --type Task" \
  --threads 3 --server "$jira" --user admin
stats

step "A profile: auth login verifies and stores the secret, then the profile stands in for the product"
show atlctl auth login demo --server "$jira" --user admin --insecure-storage   # no desktop keyring here
unset ATLCTL_PASSWORD
show atlctl auth status demo
show atlctl demo getIssue --issue DEMO-1 --columns Key,Summary
show atlctl auth logout demo
rm -rf "$work"

# Each product's own part of the demo (examples/PRODUCT-demo.sh), with the helpers above.
for part in "$(dirname "$0")"/*-demo.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done

step "Done. The sandbox stops now; start your own with: atlctl sandbox"
