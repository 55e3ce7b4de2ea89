"""Redaction (no secret in any output) and the failure classifier (one message per server
behaviour of server-behaviour.md, each with a fix)."""

import httpx

from atlctl.auth.strategy import LOGIN
from atlctl.errors import ClientError, RemoteError
from atlctl.http import classify as classifier
from atlctl.http.dialect import Situation
from atlctl.products.registry import product
from atlctl.redact import MASK, Redactor

JIRA = product("jira")


def classify(response, situation):
    """Jira's dialect explains its bodies first, as on a Jira connection."""
    situation.title = "Jira"
    return classifier.classify(response, situation, JIRA)


def test_known_secret_masked_anywhere():
    r = Redactor()
    r.add("s3cr3t-value")
    assert r.text("login with s3cr3t-value failed") == f"login with {MASK} failed"


def test_user_name_equal_to_password_stays_readable():
    r = Redactor()
    r.add("admin")
    r.public("admin")
    assert r.text("user admin") == "user admin"


def test_secret_headers_masked_whatever_their_value():
    r = Redactor()
    assert r.header("Authorization", "Basic YWRtaW46YWRtaW4=") == f"Basic {MASK}"
    assert r.header("Cookie", "JSESSIONID=abc; atlassian.xsrf.token=x") == f"JSESSIONID={MASK}; atlassian.xsrf.token={MASK}"
    assert r.header("Set-Cookie", "JSESSIONID=abc; Path=/; HttpOnly") == f"JSESSIONID={MASK}; Path=/; HttpOnly"


def test_secret_json_and_form_fields_masked():
    r = Redactor()
    body = r.body(b'{"username": "a", "password": "pw1", "session": {"name": "JSESSIONID", "value": "S"}}', "application/json")
    assert "pw1" not in body and '"S"' not in body and '"username": "a"' in body
    assert r.body(b"webSudoPassword=pw1&x=1", "application/x-www-form-urlencoded") == f"webSudoPassword={MASK}&x=1"


def response(status, body="", headers=None, method="GET", path="/jira/rest/api/2/myself", content_type="application/json",
             login=False):
    request = httpx.Request(method, "http://jira.test" + path, extensions={LOGIN: True} if login else None)
    return httpx.Response(status, content=body.encode(), headers={"Content-Type": content_type, **(headers or {})},
                          request=request)


def test_captcha_gives_login_url_and_no_retry_advice():  # §1.4
    error = classify(response(403, "<html>Basic Authentication Failure - Reason : AUTHENTICATION_DENIED</html>", {
        "X-Seraph-LoginReason": "AUTHENTICATION_DENIED",
        "X-Authentication-Denied-Reason": "CAPTCHA_CHALLENGE; login-url=http://jira.test/jira/login.jsp"},
        content_type="text/html"), Situation(user="alice", scheme="basic"))
    assert isinstance(error, RemoteError)
    assert "CAPTCHA" in str(error) and "http://jira.test/jira/login.jsp" in str(error) and "alice" in str(error)


def test_websudo_without_password_explains_options():  # §0.5
    error = classify(response(401, '{"status-code":401,"message":"This resource requires WebSudo."}'), Situation())
    text = str(error)
    assert "secure administrator session" in text and "--password" in text and "--auth basic" in text


def test_basic_auth_disabled():  # §1.1
    error = classify(response(403, '{"message":"Basic Authentication has been disabled on this instance."}'),
                     Situation(scheme="basic"))
    assert "Basic authentication is disabled" in str(error) and "--token" in str(error)


def test_cloud_password_refused():  # §4.1
    error = classify(response(401, "Basic authentication with passwords is deprecated.  For more information, see: x",
                              content_type="text/plain"), Situation(deployment="cloud", scheme="basic"))
    assert "API token" in str(error) and "id.atlassian.com" in str(error)


def test_bearer_on_cloud_is_wrong_scheme():  # §4.1
    error = classify(response(403, '{"error":"Failed to parse Connect Session Auth Token"}'), Situation(deployment="cloud"))
    assert "basic auth" in str(error) and "email" in str(error)


def test_html_login_page_means_sso_proxy():
    error = classify(response(200, "<html><form><input type=password name=pw>Sign in</form></html>",
                              content_type="text/html"), Situation())
    assert isinstance(error, ClientError) and "single sign-on proxy" in str(error) and "login page" in str(error)


def test_login_failure_mentions_user_and_captcha_risk():  # §1.2
    error = classify(response(401, '{"errorMessages":["Login failed"],"errors":{}}', method="POST",
                              path="/jira/rest/auth/1/session", login=True), Situation(user="alice", scheme="session"))
    assert "Login failed for user alice" in str(error) and "CAPTCHA" in str(error)


def test_jira_error_collection_is_the_message():  # §1.8
    error = classify(response(404, '{"errorMessages":["Issue Does Not Exist"],"errors":{}}'), Situation())
    assert isinstance(error, RemoteError) and str(error) == "Issue Does Not Exist"
    error = classify(response(400, '{"errorMessages":[],"errors":{"project":"project is required"}}'), Situation())
    assert str(error) == "project: project is required"


def test_rate_limit_mentions_retry_after():  # §1.9
    error = classify(response(429, "", {"Retry-After": "30"}), Situation())
    assert "429" in str(error) and "30 s" in str(error)


def test_short_secret_masked_as_a_word_only():
    r = Redactor()
    r.add("admin", "sandbox-token-admin-1234567890")
    # issue 16: a weak secret (< 6 characters) is masked only where secrets go, never in messages
    assert r.text("a secure administrator session for admin") == "a secure administrator session for admin"
    assert r.place("--action login --password admin") == f"--action login --password {MASK}"
    assert r.place("administrator") == "administrator"
    assert r.text("Bearer xsandbox-token-admin-1234567890y") == f"Bearer x{MASK}y"


# issue 16: masking without false positives


def test_weak_password_leaves_atlctl_and_server_words_alone():
    warned = []
    r = Redactor(warn=lambda kind, value: warned.append(kind))
    r.add("wrong")
    message = "Login failed for user bob: wrong user name or password."
    assert r.text(message) == message
    assert r.text("Wrong user name or password") == "Wrong user name or password"
    assert warned == ["weak"]
    r.add("wrong")
    assert warned == ["weak"]  # once


def test_weak_secret_masked_in_the_places_that_carry_secrets():
    r = Redactor()
    r.add("wrong")
    assert r.url("http://bob:wrong@jira.test/rest?os_password=wrong&x=1") == \
        f"http://bob:{MASK}@jira.test/rest?os_password={MASK}&x=1"
    assert r.url("http://jira.test/rest?q=wrong") == f"http://jira.test/rest?q={MASK}"
    assert r.header("X-Echo", "wrong") == MASK
    assert r.header("Location", "http://jira.test/?token=wrong") == f"http://jira.test/?token={MASK}"
    assert "wrong" not in r.body(b'{"note": "wrong", "password": "wrong"}', "application/json")
    assert r.argv("--action getIssue --password wrong") == f"--action getIssue --password {MASK}"


def test_a_secret_of_one_or_two_characters_is_masked_in_script_lines_only():
    """Review of issue 16: `--password ab` on a script line was echoed as it is ("Run: ... --password
    ab"): secrets under 3 characters were never masked. In a script line they are, as whole words;
    elsewhere (atlctl's and a server's words, URLs) they still are not, which would garble them."""
    r = Redactor()
    r.add("ab", "x")
    assert r.argv("--action getIssue --password ab --token=x -u alice") == f"--action getIssue --password {MASK} --token={MASK} -u alice"
    assert r.argv("--comment 'ab' --summary cab") == f"--comment '{MASK}' --summary cab"
    assert r.text("ab x") == "ab x" and r.url("http://jira.test/ab/x") == "http://jira.test/ab/x"
    r.public("ab")  # a user named like the password is shown
    assert r.argv("-u ab --password ab") == "-u ab --password ab"


def test_strong_secret_masked_in_text_as_a_token():
    r = Redactor()
    r.add("hunter2x")
    assert r.text("password hunter2x refused") == f"password {MASK} refused"
    assert r.text("hunter2xyz") == "hunter2xyz"  # another word that contains it is not rewritten


def test_user_named_like_the_password_is_shown_and_warned_once():
    warned = []
    r = Redactor(warn=lambda kind, value: warned.append(kind))
    r.add("administrator")
    r.public("administrator")
    r.public("administrator")
    assert r.text("user administrator") == "user administrator"
    assert warned == ["public"]


def test_a_refused_cloud_token_keeps_the_status_it_names():
    from atlctl.products.atlassian import cloud_token_refused

    for status, said in ((401, "HTTP 401"), (403, "HTTP 403"), (200, "answered as anonymous")):
        refused = cloud_token_refused("Confluence", "a@example.com", status)
        assert said in str(refused) and refused.status == (401 if status == 200 else status)
