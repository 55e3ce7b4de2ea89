"""The small error tree. Every failure that reaches the user is one of these; `cli.main` maps
them to ACLI's exit codes in one place (ACLI "error handling": 255/254/253/157 on POSIX)."""

SUCCESS = 0
CLIENT_ERROR = 255
PARAMETER_PROBLEM = 254
REMOTE_ERROR = 253
UNEXPECTED = 157


class AtlctlError(Exception):
    exit_code = UNEXPECTED
    prefix = "Exception: "

    def __str__(self) -> str:
        return self.args[0] if self.args else self.__class__.__name__

    def line(self) -> str:
        """The one line printed on stderr."""
        return f"{self.prefix}{self}"


class ClientError(AtlctlError):
    """atlctl found a problem with the request (bad credentials for the deployment, a refused
    capability, a TLS failure...). The message says why and what to do."""

    exit_code = CLIENT_ERROR
    prefix = "Client error: "


class ParameterError(AtlctlError):
    """Unknown action or parameter, or a missing required value. Printed as is, like ACLI."""

    exit_code = PARAMETER_PROBLEM
    prefix = ""


class RemoteError(AtlctlError):
    """The server refused the request; carries its own message and, where we know one, a fix."""

    exit_code = REMOTE_ERROR
    prefix = "Remote error: "

    def __init__(self, message: str, status: int | None = None, reason: str | None = None):
        super().__init__(message)
        self.status = status
        # what kind of refusal, where the core acts on it: "lockout" (nothing more is sent for that
        # user), "elevation" (a password confirmation is wanted), "not_permitted" (the credentials are
        # good but lack a permission: a 401 on some servers, which blocks nothing), "scheme_disabled"
        self.reason = reason


class PartlyDone(AtlctlError):
    """An action's main change was made, then a later step of it failed (createIssue's --comment):
    a resumed run must find that change (the action's finder), not make it again. Exits as its cause."""

    def __init__(self, cause: AtlctlError, message: str):
        super().__init__(message)
        self.exit_code, self.prefix = cause.exit_code, cause.prefix



def clause(text: object) -> str:
    """An exception's text as part of a sentence: without its trailing period(s), so the message built
    around it ends with exactly one ("response." + "." never gives "response..")."""
    return str(text).rstrip().rstrip(".").rstrip()
