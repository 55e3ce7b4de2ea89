# Confluence part of `make demo` (a bash fragment: the caller has started the sandbox, set $url and
# defined step/show/stats). Confluence DC at $url/confluence; the Cloud site at $url/cloud, with
# Confluence Cloud at $url/cloud/wiki (the same accounts and API tokens as Jira Cloud).
wiki="$url/confluence"
cloudwiki="$url/cloud/wiki"

step "Confluence DC, user + password: the session comes from the first request's cookie (one password check)"
export ATLCTL_PASSWORD=alice
show atlctl confluence getServerInfo --server "$wiki" --user alice
show atlctl confluence addPage --server "$wiki" --user alice --space DEMO --title "Demo notes" \
  --content $'# Notes\n\n- written in **Markdown**\n- stored as storage format' --markdown
show atlctl confluence modifyPage --server "$wiki" --user alice --space DEMO --title "Demo notes" --content "<p>Second version</p>"
show atlctl confluence addLabels --server "$wiki" --user alice --space DEMO --title "Demo notes" --labels demo
show atlctl confluence getPageList --server "$wiki" --user alice --cql "label = demo" --columns Id,Title,Version
stats

step "Confluence DC, personal access token (Bearer, Confluence 7.9+); tokens cannot render web pages"
token=$(atlctl confluence addAccessToken --server "$wiki" --user alice --name demo --expirationDuration 7)
unset ATLCTL_PASSWORD
export ATLCTL_TOKEN="$token"   # from the environment: the new token is not printed with the command
show atlctl confluence getCurrentUser --server "$wiki"
show atlctl confluence renderRequest --server "$wiki" --request /users/viewmyprofile.action || true
unset ATLCTL_TOKEN

step "Confluence Cloud (ACLI client name confluencecloud): account email + API token"
export ATLCTL_TOKEN=sandbox-token-alice   # the seeded Cloud API token
show atlctl confluencecloud getSpaceList --server "$cloudwiki" --user alice@example.com
show atlctl confluencecloud getPage --server "$cloudwiki" --user alice@example.com \
  --space DEMO --title "Getting started"
unset ATLCTL_TOKEN
ATLCTL_PASSWORD=alice show atlctl confluencecloud getSpaceList --server "$cloudwiki" --user alice@example.com || true
ATLCTL_TOKEN=sandbox-token-bob show atlctl confluencecloud getSpaceList --server "$cloudwiki" --user bob@example.com || true
