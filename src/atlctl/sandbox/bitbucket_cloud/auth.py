"""Who is calling Bitbucket Cloud, and with what (products.md §4.1, SB §5.1-5.2): app passwords
with the Bitbucket user name, scoped API tokens with the account email (both Basic), access tokens
bound to a repository, project or workspace (Bearer only). Account passwords are refused."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from atlctl.sandbox.atlassian import API_TOKEN
from atlctl.sandbox.bitbucket_cloud import errors
from atlctl.sandbox.bitbucket_cloud.scopes import is_api_style
from atlctl.sandbox.product import Call, basic_credentials

# Token types in the shared Atlassian Cloud realm. API tokens are the realm's own API_TOKEN
# (Jira Cloud's too): Bitbucket takes only those with Bitbucket scopes.
APP_PASSWORD = "app_password"
ACCESS = {"repository": "repository_access_token", "project": "project_access_token",
          "workspace": "workspace_access_token"}
KIND_OF = {type_: kind for kind, type_ in ACCESS.items()}
# X-Credential-Type: "apppassword" is recorded [R]; the others are our choice [I].
CREDENTIAL_TYPE = {APP_PASSWORD: "apppassword", API_TOKEN: "api_token", **{t: t for t in ACCESS.values()}}


@dataclass(frozen=True)
class Credential:
    """What authenticated a call: its kind, scopes and, for an access token, the resource it is bound to
    ("ws", "ws/PROJECT" or "ws/repo-slug")."""

    type: str
    scopes: tuple[str, ...]
    resource: str = ""
    token_id: int = 0

    @property
    def access_kind(self) -> str | None:
        return KIND_OF.get(self.type)

    @property
    def api_style(self) -> bool:
        return self.type == API_TOKEN


class BitbucketCall(Call):
    __slots__ = ("credential",)

    def __init__(self, *args):
        super().__init__(*args)
        self.credential: Credential | None = None


async def authenticate(call: BitbucketCall) -> Response | None:
    scheme, value = call.authorization()
    if scheme == "basic":
        call.scheme = "basic"
        return await _basic(call, value)
    if scheme == "bearer":
        call.scheme = "bearer"
        return _bearer(call, value)
    return None


async def _basic(call: BitbucketCall, value: str) -> Response | None:
    product = call.product
    realm = product.realm
    login, secret = basic_credentials(value)
    if "@" in login:  # an Atlassian account email: only an API token goes with it
        user = realm.find_user(login)
        token = realm.token(secret) if user is not None and secret else None
        if token is not None and token.user_key == user.key and token.type == API_TOKEN:
            if not any(is_api_style(s) for s in token.scopes):
                return errors.token_invalid()  # an unscoped (classic) API token: Jira/Confluence only
            call.user, call.credential = user, Credential(API_TOKEN, tuple(token.scopes), token_id=token.id)
            return None
    else:  # a Bitbucket user name: an app password (or, refused, the account password)
        user = product.account_by_username(login)
        token = realm.token(secret) if user is not None and secret else None
        if token is not None and token.user_key == user.key and token.type == APP_PASSWORD:
            call.user, call.credential = user, Credential(APP_PASSWORD, tuple(token.scopes), token_id=token.id)
            return None
    if user is not None and secret and await realm.check_password(user, secret, product.stats):
        return errors.account_password()
    return errors.login_failed()


def _bearer(call: BitbucketCall, raw: str) -> Response | None:
    realm = call.product.realm
    token = realm.token(raw)
    if token is None or token.type not in KIND_OF:
        return errors.access_token_expired()  # what an app password or API token sent as Bearer gets (apa#467)
    call.user = realm.users.get(token.user_key)
    if call.user is None:
        return errors.access_token_expired()
    call.credential = Credential(token.type, tuple(token.scopes), token.name, token.id)
    return None
