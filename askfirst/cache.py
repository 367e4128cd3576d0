"""The cache folder (`.askfirst-cache/`), trusted only when this machine made it.

A build keeps compiled templates, rendered pages, site builds and PDFs there and takes them
back by content, unchecked: a compiled template is run as Python code. A folder that came
from elsewhere — carried by a pull request, unpacked from an archive — could hold anything
under the names a build looks for. So a cache folder carries a mark only this machine can
make: a keyed digest (HMAC) of a fixed text, keyed by a secret kept outside every project, in
the user's own cache folder. A cache folder without the right mark is emptied before use;
one made by this machine (by any of its builds, in any folder) is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
from pathlib import Path

from askfirst.errors import AskFirstError, relative

MARK = "made-here"
SECRET_BYTES = 32


def secret_path() -> Path:
    """Where this machine's secret is kept: `askfirst/cache-secret` in the user's cache
    folder (`$XDG_CACHE_HOME`, or `~/.cache`)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "askfirst" / "cache-secret"


def _secret() -> bytes | None:
    """This machine's secret, made the first time it is needed; None when it can be neither
    read nor made (then no cache folder is trusted)."""
    try:
        path = secret_path()
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            # Written whole under another name, then linked into place: a build starting at
            # the same moment finds either no secret or the whole of the first one made.
            partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
            handle = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "wb") as file:
                file.write(secrets.token_bytes(SECRET_BYTES))
            try:
                os.link(partial, path)
            except FileExistsError:
                pass  # made by another build meanwhile: that one is the secret
            finally:
                partial.unlink()
        secret = path.read_bytes()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return secret if len(secret) == SECRET_BYTES else None


def _mark(secret: bytes) -> str:
    return hmac.new(secret, b"an Ask First cache folder made on this machine",
                    hashlib.sha256).hexdigest()


def trusted_cache(folder: Path) -> str | None:
    """Make `folder` a cache folder this machine can trust: kept as it is when it carries this
    machine's mark, otherwise emptied (or made) and marked; without a secret it is emptied and
    left unmarked, and every build starts from nothing. Returns what a user should be told
    when a cache could not be used (None when all is as expected); stops with an error when a
    folder it does not trust cannot be emptied (a build must not read it)."""
    secret = _secret()
    expected = _mark(secret) if secret else None
    mark = folder / MARK
    shown = relative(folder)
    try:
        if expected and not folder.is_symlink() and mark.is_file() and \
                hmac.compare_digest(mark.read_text(encoding="ascii", errors="replace"),
                                    expected):
            return None
        had = folder.is_symlink() or (folder.exists() and (
            folder.is_file() or any(folder.iterdir())))
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
        elif folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)  # another build may be emptying it too
    except OSError:
        pass
    if folder.is_symlink() or folder.exists():
        raise AskFirstError(f"{shown}: this cache folder was not made on this machine and "
                            "cannot be emptied; remove it by hand, then build again")
    if expected is None:
        return (f"cache: {shown} is not used: no secret can be kept in {_secret_folder()} to "
                "mark it as made here; every build starts from nothing")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = mark.with_name(f"{MARK}.{os.getpid()}.partial")
        partial.write_text(expected, encoding="ascii")
        partial.replace(mark)
    except OSError as exc:  # nothing is in it: what the build writes there is its own
        return f"cache: {shown} is not used: {exc.strerror or exc}"
    if had:
        return (f"cache: {shown} was not made on this machine (or its secret, in "
                f"{_secret_folder()}, is new); emptied it, so this build starts from nothing")
    return None


def _secret_folder() -> str:
    try:
        return str(secret_path().parent)
    except RuntimeError:
        return "the user's cache folder"


def keep_file(path: Path, text: str) -> bool:
    """Write a file of the cache whole or not at all (under another name, then renamed into
    place); best effort: False when it cannot be written, and the next build makes it again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError:
        return False
    return True
