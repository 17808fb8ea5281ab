"""Evidence uploads, checked by what they contain: a photo, a PDF or an Office document
whose bytes are what its name says, of a bounded size, under a plain file name."""

import dataclasses
import hashlib
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Evidence

# suffix: (kind, content type, what the bytes must be)
ALLOWED = {
    ".jpg": (Evidence.Kind.PHOTO, "image/jpeg", "jpeg"),
    ".jpeg": (Evidence.Kind.PHOTO, "image/jpeg", "jpeg"),
    ".png": (Evidence.Kind.PHOTO, "image/png", "png"),
    ".pdf": (Evidence.Kind.PDF, "application/pdf", "pdf"),
    ".docx": (
        Evidence.Kind.DOCUMENT,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
    ),
    ".xlsx": (
        Evidence.Kind.SPREADSHEET,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
    ),
    ".pptx": (
        Evidence.Kind.PRESENTATION,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/presentation.xml",
    ),
}
MAGIC = {"jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF-"}
ZIP_MAGIC = b"PK\x03\x04"
MAX_ZIP_MEMBERS = 5000


@dataclasses.dataclass(frozen=True)
class CheckedUpload:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def checked_upload(upload):
    """The facts of an uploaded evidence file, or a ValidationError saying in Vietnamese
    why it is refused: a name with a folder in it, a type not allowed, bytes that are not
    what the name says (an executable renamed .pdf), a file over the size limit."""
    name = upload.name or ""
    if any(mark in name for mark in ("/", "\\", "\x00")) or name.startswith(".") or ".." in name:
        raise ValidationError(
            _("The file name “%(name)s” names a folder: give the file a plain name."),
            params={"name": name},
            code="path",
        )
    name = unicodedata.normalize("NFC", name).strip()
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ALLOWED:
        raise ValidationError(
            _("Files of this type are not accepted. Accepted: %(types)s."),
            params={"types": ", ".join(sorted(ALLOWED))},
            code="type",
        )
    limit = settings.EVIDENCE_MAX_MB * 2**20
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s MB; evidence files of up to %(limit)s MB are accepted."),
            params={"size": round(upload.size / 2**20, 1), "limit": settings.EVIDENCE_MAX_MB},
            code="size",
        )
    kind, content_type, expected = ALLOWED[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not _is(expected, head, upload):
        raise ValidationError(
            _("The content of “%(name)s” is not a %(kind)s file, as its name says."),
            params={"name": name, "kind": suffix[1:].upper()},
            code="content",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name[:200], kind, content_type, upload.size, digest.hexdigest())


def _is(expected, head, upload):
    if expected in MAGIC:
        return head.startswith(MAGIC[expected])
    if not head.startswith(ZIP_MAGIC):
        return False
    # An Office file is a zip with its main part; one with macros is refused.
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    if len(names) > MAX_ZIP_MEMBERS or any(n.endswith("vbaProject.bin") for n in names):
        return False
    return "[Content_Types].xml" in names and expected in names
