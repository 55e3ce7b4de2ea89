# Bitbucket Data Center part of the demo (sourced by examples/demo.sh: $url, step, show, stats).
bitbucket="$url/bitbucket"

step "Bitbucket DC at /bitbucket: its authentication rows"
show atlctl auth matrix bitbucket --columns "Credentials given,--auth,Scheme used,Minimum version"

step "Bitbucket, user + password: a session from the first request (one password check for the run)"
ATLCTL_PASSWORD=alice show atlctl bitbucket getPullRequestList --server "$bitbucket" --user alice \
  --project DEMO --repository demo-repo --columns Id,Title,State,From,To

step "Bitbucket, a repository access token: Bearer only, no user, within its permissions"
repo_token=$(ATLCTL_PASSWORD=admin atlctl bitbucket addAccessToken --server "$bitbucket" --user admin \
  --project DEMO --repository demo-repo --name demo --permission REPO_WRITE --expiryDays 7)
export ATLCTL_TOKEN="$repo_token"   # not on the command line: show prints it
show atlctl bitbucket getCurrentUser --server "$bitbucket"
show atlctl bitbucket createBranch --server "$bitbucket" --project DEMO --repository demo-repo \
  --branch demo/topic --startPoint main
show atlctl bitbucket createRepository --server "$bitbucket" --project DEMO --repository nope \
  || true   # REPO_WRITE does not reach: the message names PROJECT_ADMIN and what the token has
show atlctl bitbucket getProjectList --server "$bitbucket" --auth basic || true   # refused up front
unset ATLCTL_TOKEN repo_token
stats
