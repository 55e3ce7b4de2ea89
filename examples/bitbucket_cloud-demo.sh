# Bitbucket Cloud's part of the demo (sourced by examples/demo.sh, which defines $url, step, show).
# The sandbox serves it at $url/bitbucket-cloud, standing for https://api.bitbucket.org.
bbc="$url/bitbucket-cloud"

step "Bitbucket Cloud: its authentication rows (app password + user name, API token + email, access token)"
show atlctl auth matrix bitbucketcloud --columns "Credentials given,--auth,Scheme used,How it is sent"

step "Bitbucket Cloud, app password with the Bitbucket user name (being retired: prefer an API token)"
ATLCTL_PASSWORD=sandbox-app-password show atlctl bitbucketcloud getCurrentUser --server "$bbc" --user sandbox-admin

step "Bitbucket Cloud, scoped API token with the account email"
export ATLCTL_TOKEN=sandbox-bb-token-admin
show atlctl bitbucketcloud getRepositoryList --server "$bbc" --user admin@example.com --workspace demo \
  --columns Repository,Project,Private
show atlctl bitbucketcloud createBranch --server "$bbc" --user admin@example.com --workspace demo \
  --repository demo-repo --branch feature/demo --startPoint main
show atlctl bitbucketcloud createPullRequest --server "$bbc" --user admin@example.com --workspace demo \
  --repository demo-repo --title "Demo change" --source feature/demo
show atlctl bitbucketcloud getPullRequestList --server "$bbc" --user admin@example.com --workspace demo \
  --repository demo-repo --columns Id,Title,Source,Destination
echo "(deleting a repository needs delete:repository:bitbucket, which this token lacks: atlctl says so)"
show atlctl bitbucketcloud deleteRepository --server "$bbc" --user admin@example.com --workspace demo \
  --repository demo-repo || echo "(exit code $?)"
unset ATLCTL_TOKEN

step "Bitbucket Cloud, the wrong pairings, explained"
ATLCTL_PASSWORD=sandbox-app-password show atlctl bitbucketcloud getCurrentUser --server "$bbc" \
  --user admin@example.com || echo "(exit code $?: refused before any request)"
ATLCTL_PASSWORD=admin show atlctl bitbucketcloud getCurrentUser --server "$bbc" --user sandbox-admin \
  || echo "(exit code $?)"
ATLCTL_TOKEN=sandbox-token-admin show atlctl bitbucketcloud getCurrentUser --server "$bbc" \
  --user admin@example.com || echo "(exit code $?: a classic API token has no Bitbucket scopes)"

step "Bitbucket Cloud, a repository access token (Bearer): bound to demo/demo-repo and its scopes"
export ATLCTL_TOKEN=sandbox-repo-token
show atlctl bitbucketcloud mergePullRequest --server "$bbc" --workspace demo --repository demo-repo --id 1
show atlctl bitbucketcloud getCurrentUser --server "$bbc" || echo "(exit code $?)"
show atlctl bitbucketcloud getProjectList --server "$bbc" --workspace demo || echo "(exit code $?)"
unset ATLCTL_TOKEN
