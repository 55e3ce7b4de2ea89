# Slack: a bash fragment called by examples/demo.sh, with $url the sandbox root and the demo's
# step/show helpers (defined here too when missing). The sandbox's workspace is at $url/slack.
slack="$url/slack"
type step >/dev/null 2>&1 || source "$(dirname "${BASH_SOURCE[0]}")/style.sh"
type show >/dev/null 2>&1 || show() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

step "Slack: a bot token (xoxb-) sent as Bearer; auth.test shows the workspace, the bot and its scopes"
export ATLCTL_TOKEN=xoxb-sandbox-bot   # the seeded bot token; on slack.com, your app's Bot User OAuth Token
show atlctl slack getServerInfo --server "$slack"
show atlctl slack sendMessage --server "$slack" --channel general --text "Deploy finished"
show atlctl slack getMessageList --server "$slack" --channel general --columns Ts,User,Text
printf 'release notes\n' >"${TMPDIR:-/tmp}/slack-demo-notes.txt"
show atlctl slack addAttachment --server "$slack" --channel general --file "${TMPDIR:-/tmp}/slack-demo-notes.txt" --comment "Notes attached"
rm -f "${TMPDIR:-/tmp}/slack-demo-notes.txt"
show atlctl slack getUser --server "$slack" --userId alice@example.com --columns Id,Name,Email

step "Slack: what goes wrong is explained (one line, exit code 253 or 254)"
show atlctl slack searchMessages --server "$slack" --query deploy || echo "(exit code $?)"   # a bot token on a user-token method
ATLCTL_TOKEN=xoxb-sandbox-limited show atlctl slack getUserList --server "$slack" || echo "(exit code $?)"   # missing_scope
ATLCTL_TOKEN=xoxb-sandbox-revoked show atlctl slack getServerInfo --server "$slack" || echo "(exit code $?)"
show env -u ATLCTL_TOKEN atlctl slack getServerInfo --server "$slack" || echo "(exit code $?)"   # no token

step "Slack: user-token methods go to the user token (xoxp-), the bot token does the rest"
ATLCTL_SLACK_USER_TOKEN=xoxp-sandbox-user show atlctl slack searchMessages --server "$slack" --query deploy --columns Channel,Text
unset ATLCTL_TOKEN
