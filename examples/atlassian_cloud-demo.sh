# Atlassian Cloud beyond API tokens, part of `make demo` (a bash fragment: the caller has started the
# sandbox, set $url and defined step/show/stats). The sandbox's $url/gateway stands for
# https://api.atlassian.com and $url/gateway/auth for https://auth.atlassian.com.
site="$url/cloud"
gateway=(--gateway-url "$url/gateway" --oauth-url "$url/gateway/auth")

step "Cloud, scoped API token: refused on the site URL, so atlctl finds the cloudId and uses the gateway"
export ATLCTL_TOKEN=sandbox-scoped-token-admin   # a token created with scopes
show atlctl jira getCurrentUser --server "$site" --user admin@example.com "${gateway[@]}" --verbose
show atlctl confluence getPage --server "$site/wiki" --user admin@example.com "${gateway[@]}" --space DEMO --title "Getting started"
show atlctl jira getCurrentUser --server "$site" --user admin@example.com --gateway never || echo "(exit code $?)"
unset ATLCTL_TOKEN

step "Cloud service account, OAuth 2.0 client credentials: a Bearer token through the gateway"
export ATLCTL_CLIENT_SECRET=sandbox-bot-secret
show atlctl jira getIssueList --server "$site" --client-id sandbox-bot-client "${gateway[@]}" \
  --jql "project = DEMO ORDER BY key" --outputFormat 101 --count 2
unset ATLCTL_CLIENT_SECRET
