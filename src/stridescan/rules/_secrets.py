"""What looks like a secret, shared by the rules about secrets in files and variables."""

from __future__ import annotations

import re
from functools import lru_cache

# A name that ends in one of these words holds a secret; `PASSWORD_FILE`, `TOKEN_URL` or
# `AWS_ACCESS_KEY_ID` do not, so the word must end the name.
_SECRET_NAME = re.compile(
    r"(?:^|_)(?:PASSWORD|PASSWD|PASS|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY"
    r"|SECRET_?KEY|SECRET_KEY_BASE|ENCRYPTION_KEY|SIGNING_KEY|MASTER_KEY|CREDENTIALS?"
    r"|CLIENT_SECRET|AUTH_TOKEN)$"
)
# Switches such as MYSQL_ALLOW_EMPTY_PASSWORD=yes name a secret but hold none.
_NOT_A_SECRET = frozenset(("", "yes", "no", "true", "false", "on", "off", "0", "1"))
_SECRET_FILE_PREFIXES = ("/run/secrets/", "/var/run/secrets/")


# `scheme://user:password@host`: a credential inside a connection string, whatever the name.
_URL_PASSWORD = re.compile(r"^[a-z][a-z0-9+.-]*://[^/\s:@]*:([^/\s@]+)@", re.IGNORECASE)


def url_with_password(value: str | None) -> bool:
    """A URL that carries a literal password (not a `${VAR}` reference)."""
    if value is None:
        return False
    match = _URL_PASSWORD.match(value.strip())
    return match is not None and "$" not in match.group(1)


@lru_cache(maxsize=64)
def extra_names_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """The user's extra secret words or regular expressions, ending a name like ours do."""
    if not words:
        return None
    alternatives = "|".join(f"(?:{word.strip()})" for word in words)
    return re.compile(rf"(?:^|_)(?:{alternatives})$", re.IGNORECASE)


@lru_cache(maxsize=64)
def names_pattern(expressions: tuple[str, ...]) -> re.Pattern[str] | None:
    """Regular expressions matching whole names, any of them, ignoring case."""
    if not expressions:
        return None
    return re.compile("|".join(f"(?:{e.strip()})" for e in expressions), re.IGNORECASE)


def is_secret_name(name: str, extra: re.Pattern[str] | None = None) -> bool:
    """`DB_PASSWORD`, `GITHUB_TOKEN`, `API_KEY`; not `PWD` (the working directory) alone.
    `extra` (from `extra_names_pattern`) adds the user's words."""
    upper = name.strip().upper().replace("-", "_")
    if upper == "PWD":
        return False
    return _SECRET_NAME.search(upper) is not None or (
        extra is not None and extra.search(upper) is not None
    )


def is_literal_secret(name: str, value: str | None, extra: re.Pattern[str] | None = None) -> bool:
    """A secret-like name with a value written in the file (not a reference, switch or path)."""
    if value is None or not is_secret_name(name, extra):
        return False
    text = value.strip()
    if "$" in text or text.lower() in _NOT_A_SECRET:
        return False
    return not text.startswith(_SECRET_FILE_PREFIXES)
