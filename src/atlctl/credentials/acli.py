"""Reading ACLI's `acli.properties`: site shortcuts `name = client -s URL -u USER -p SECRET ...`
(../shared/reference/acli.md §3) as entries that `atlctl config import-acli` turns into profiles.

The file is read as Java reads a .properties file (the `javaproperties` package): `#` and `!`
comment lines, `=`, `:` or blanks between key and value, a trailing backslash continues a line,
`\\uXXXX` and the other escapes decoded; a later entry of the same name wins. `${NAME}` refers to
another entry of the file or else to an environment variable, as in ACLI; `${env:NAME}` and `${secret:NAME}` are kept as references."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from atlctl.files import drop_bom

# ACLI's clients -> (atlctl product, deployment it implies): ACLI's vocabulary, which an acli.properties
# may use before atlctl supports the product; for the products it does, their declared `clients`
# must say the same (tests/contract/test_matrix.py checks it).
CLIENTS = {
    "jira": ("jira", None), "jiracloud": ("jira", "cloud"),
    "confluence": ("confluence", None), "confluencecloud": ("confluence", "cloud"),
    "bitbucket": ("bitbucket", None), "bitbucketcloud": ("bitbucket_cloud", None),
    "slack": ("slack", None),
}
OPTIONS = {"-s": "server", "--server": "server", "-u": "user", "--user": "user",
           "-p": "password", "--password": "password", "-t": "token", "--token": "token"}
SECRETS = ("password", "token")
STRAY = "a value without an option"  # how a word that follows no option is reported (it might be a secret)
PLAIN_REFERENCE = re.compile(r"\$\{([^}:]+)\}")


@dataclass
class Entry:
    name: str
    line: int
    product: str | None = None
    deployment: str | None = None
    settings: dict[str, str] = field(default_factory=dict)  # server, user (references kept as ${env:...})
    secrets: dict[str, str] = field(default_factory=dict)  # password/token -> a literal, or ${secret:...}/${env:...}
    ignored: list[str] = field(default_factory=list)  # option names atlctl has no profile setting for
    problem: str | None = None  # why the entry cannot be imported


def read(text: str) -> list[Entry]:
    properties = _properties(text)
    raw = {key: value for key, (_, value) in properties.items()}
    return [_entry(key, line, value, raw) for key, (line, value) in properties.items()]


def is_literal(value: str) -> bool:
    """A secret written in the file itself (as opposed to a ${...} reference)."""
    return not re.fullmatch(r"\$\{(secret|env):[^}]+\}", value)


def decode(data: bytes) -> tuple[str, str]:
    """(the text, the encoding it was read in): UTF-8 when the bytes are UTF-8 (what editors write
    today), else ISO-8859-1, Java's encoding for .properties files, which decodes any bytes."""
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def _properties(text: str) -> dict[str, tuple[int, str]]:
    """key -> (the line it starts on, its value), as java.util.Properties.load reads them (a leading
    byte-order mark dropped); a malformed \\uXXXX escape is a ValueError, as Java refuses the file."""
    import javaproperties

    found: dict[str, tuple[int, str]] = {}
    line = 1
    for element in javaproperties.parse(drop_bom(text)):
        if isinstance(element, javaproperties.KeyValue):
            key = element.key.encode("utf-8", "backslashreplace").decode()  # a lone \\uD800 is shown, not kept
            found.pop(key, None)  # the later one wins, and is listed where it stands
            found[key] = (line, element.value.strip())
        source = element.source  # Java ends a line at \n, \r or \r\n
        line += source.count("\n") + source.count("\r") - source.count("\r\n")
    return found


def _entry(name: str, line: int, value: str, raw: dict[str, str]) -> Entry:
    entry = Entry(name, line)
    try:
        words = shlex.split(value)
    except ValueError as exc:
        entry.problem = f"cannot split its value into words ({exc})"
        return entry
    if not words:
        entry.problem = "it has no value"
        return entry
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        entry.problem = "its value has a lone \\uD800-\\uDFFF escape (half of a character)"
        return entry
    if words[0].lower() not in CLIENTS:  # a plain property (`pw = s3cret`, for ${pw}) or another client
        entry.problem = (f"its value does not start with a client atlctl knows ({', '.join(CLIENTS)}), and is not "
                         "shown: it might be a secret")
        return entry
    entry.product, entry.deployment = CLIENTS[words[0].lower()]
    rest = words[1:]
    while rest:
        option, value = _split(rest.pop(0))
        key = OPTIONS.get(option)
        if key is None:  # reported by name only: its value might be a secret
            entry.ignored.append(option if option.startswith("-") else STRAY)
            if value is None and option.startswith("-") and rest and not rest[0].startswith("-"):
                rest.pop(0)  # its value
            continue
        if value is None and rest:
            value = rest.pop(0)
        if not value:
            entry.problem = f"option {option} has no value"
            return entry
        (entry.secrets if key in SECRETS else entry.settings)[key] = _expand(value, raw, name)
    if not entry.settings.get("server"):
        entry.problem = "it names no server (-s)"
    return entry


def _split(word: str) -> tuple[str, str | None]:
    """(option, value given in the same word): `--password=VALUE` and `-pVALUE` as ACLI reads them."""
    if word.startswith("--"):
        option, equals, value = word.partition("=")
        return option, value if equals else None
    if word.startswith("-") and len(word) > 2:
        return word[:2], word[2:]
    return word, None


def _expand(value: str, raw: dict[str, str], own: str) -> str:
    """ACLI's plain ${NAME}: another entry of the file, else an environment variable."""

    def one(match: re.Match) -> str:
        name = match[1]
        return raw[name] if name in raw and name != own else "${env:" + name + "}"

    return PLAIN_REFERENCE.sub(one, value)
