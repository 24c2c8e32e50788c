"""Attachments: downloads that are never shown inline, and files a caseworker adds to a reply."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from bot.config import Attachments
from bot.web.common import deps, user
from bot.words import human_size
from store.actions import ActionError
from store.models import Case, Contact, StoredAttachment
from store.replies import FileToSend

_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|]+')
# The file types an office sends, by extension; anything else (.bat, .html, .js, ...) is never attached.
TYPES_BY_EXTENSION = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".gif": "image/gif", ".txt": "text/plain", ".csv": "text/csv", ".rtf": "application/rtf",
    ".doc": "application/msword", ".odt": "application/vnd.oasis.opendocument.text",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def safe_filename(name: str) -> str:
    """A name without paths, quotes or control characters, never empty."""
    name = unicodedata.normalize("NFC", name).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" ._")
    return name[:200] or "attachment"


def content_disposition(name: str) -> str:
    """RFC 6266 `attachment`: an ASCII fallback and the UTF-8 name (RFC 5987)."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def download(request: Request) -> Response:
    """One stored file of a case, always as a download: the sender's content type is not trusted."""
    user(request)  # staff only: the guard has signed them in (caseworker or manager)
    ref, att_id = request.path_params["ref"], request.path_params["id"]
    d = deps(request)

    def load() -> tuple[str, bytes]:
        with d.sessions() as s:
            row = s.execute(
                select(StoredAttachment.filename, StoredAttachment.data)
                .join(Contact, StoredAttachment.contact_id == Contact.id)
                .join(Case, Contact.case_id == Case.id)
                .where(StoredAttachment.id == att_id, Case.reference == ref)
            ).one_or_none()
        if row is None:
            raise HTTPException(404, f"no attachment {att_id} on case {ref}")
        return safe_filename(row[0]), row[1] or b""

    name, data = await run_in_threadpool(load)
    # octet-stream + attachment + nosniff (security.py): the browser saves it and never renders it.
    return Response(data, media_type="application/octet-stream",
                    headers={"Content-Disposition": content_disposition(name)})


def allowed_kinds(rules: Attachments) -> str:
    """The allowed file name endings, for the form's hint and its error messages."""
    return ", ".join(e for e, t in TYPES_BY_EXTENSION.items() if t in rules.allowed_types)


def read_uploads(items: Sequence[object], rules: Attachments) -> list[FileToSend]:
    """The files of a reply form, checked against attachments.* in the config.

    The type is judged from the file name's extension, never from what the browser claims.

    Raises:
        ActionError: too many files, one too large, or one of a type not allowed.
    """
    uploads = [u for u in items if isinstance(u, UploadFile) and u.filename]
    if len(uploads) > rules.max_files:
        raise ActionError(f"attach at most {rules.max_files} files")
    files = []
    for u in uploads:
        name = safe_filename(u.filename or "")
        kind = TYPES_BY_EXTENSION.get(Path(name).suffix.lower())
        if kind is None or kind not in rules.allowed_types:
            raise ActionError(f"{name}: this type of file cannot be attached (allowed: {allowed_kinds(rules)})")
        data = u.file.read(rules.max_bytes + 1)
        if len(data) > rules.max_bytes:
            raise ActionError(f"{name} is larger than the limit of {human_size(rules.max_bytes)}")
        if not data:
            raise ActionError(f"{name} is empty")
        files.append(FileToSend(name, kind, data))
    return files
