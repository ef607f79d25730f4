"""A database that cannot be reached, in one line: for `qabot migrate` (and every command
that opens the database) and `qabot doctor`. Never a traceback, never a password."""

from __future__ import annotations

import re

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

HINT = "check QABOT_DATABASE_URL"
SUPPORTED = "sqlite:///path/qabot.db or postgresql://user@host/dbname"

_DNS = re.compile(
    r"failed to resolve host|Name or service not known|nodename nor servname|"
    r"Temporary failure in name resolution|could not translate host name|getaddrinfo failed",
    re.I,
)


class DatabaseUnreachable(Exception):
    """The database URL cannot be used; str() is the one line to show."""


def _url(text: str) -> URL | None:
    from store.db import normalise_url

    try:
        return make_url(normalise_url(text))
    except ArgumentError:
        return None


def check_url(text: str) -> None:
    """Refuse, before anything connects, a URL that is not one or names a driver QA Bot does
    not ship (e.g. mysql://): the error would otherwise surface as an import traceback."""
    url = _url(text)
    if url is None:
        raise DatabaseUnreachable(f"QABOT_DATABASE_URL is not a database URL: use {SUPPORTED}.")
    try:
        url.get_dialect().import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise DatabaseUnreachable(
            f"QABOT_DATABASE_URL names a {url.get_backend_name()} database, which QA Bot does not "
            f"support: use {SUPPORTED}."
        ) from None


def describe(text: str, e: BaseException) -> str:
    """What went wrong opening the database at `text`, in words, on one line."""
    if isinstance(e, DatabaseUnreachable):
        return str(e)
    url = _url(text)
    shown = url.render_as_string(hide_password=True) if url is not None else "the database"
    host = (url.host if url is not None else None) or "its host"
    message = " ".join(str(getattr(e, "orig", None) or e).split())
    if _DNS.search(message):
        return (
            f"DNS failure: the database host {host} does not resolve ({shown}); {HINT} or this machine's DNS."
        )
    if "Connection refused" in message:
        where = f"{host}:{url.port or 5432}" if url is not None else host
        return f"nothing accepts connections at {where} ({shown}): is the database server running?"
    if re.search(r"database \".*\" does not exist", message):
        return f"the database {url.database if url else ''} does not exist on {host} ({shown}); {HINT}."
    if "password authentication failed" in message or "no password supplied" in message:
        return f"the database refused the user or password ({shown}); {HINT}."
    if re.search(r"timeout|timed out", message, re.I):
        return f"no answer from {host} in time ({shown}): a firewall, or the wrong host? {HINT}."
    if "unable to open database file" in message:
        return f"cannot open the SQLite file {url.database if url else ''}: is the folder writable? {HINT}."
    first = message[:200] or type(e).__name__
    return f"cannot open {shown} ({type(e).__name__}: {first}); {HINT}."
