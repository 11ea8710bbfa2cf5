"""Uploaded evidence and payment proofs: the type is read from the file's first bytes, never from
its name or the browser's word. Each file, each picture's pixels and each request's files together
are capped; files are stored under names of our own and served so that no browser runs them."""

import secrets
import warnings
from pathlib import Path

import filetype
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers
from PIL import Image

MB = 1024 * 1024
IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"}
PDF = {"application/pdf"}
VIDEOS = {"video/mp4", "video/quicktime", "video/webm", "video/x-matroska"}
# A stored file's extension comes from the type its content has, never from the uploader's name.
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "application/pdf": ".pdf",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-matroska": ".mkv",
}
TYPES = {extension: content_type for content_type, extension in EXTENSIONS.items()}
# The pictures browsers show and Pillow measures: shown inline, pixels capped. Anything else
# (PDF, video, HEIC) is downloaded.
SHOWN = {"image/jpeg", "image/png", "image/gif", "image/webp"}
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; a decompression bomb unpacks to far more


def checked_type(upload, *, allowed: set[str], max_mb: int, what: str) -> str:
    """The upload's real content type, or a ValidationError saying what is accepted."""
    if isinstance(upload, RefusedUpload):
        raise forms.ValidationError(upload.refusal)
    if upload.size > max_mb * MB:
        raise forms.ValidationError(f"“{upload.name}” is larger than {max_mb} MB.")
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise forms.ValidationError(f"“{upload.name}” is not {what}.")
    if kind.mime in SHOWN:
        _check_picture(upload)
    return kind.mime


def _check_picture(upload) -> None:
    """Refuse a picture with more pixels than a photo has (a few kB can unpack to gigabytes: a
    decompression bomb) or one that does not decode. The size is read from the header, before
    any pixel is."""
    too_big = f"“{upload.name}” has too many pixels: pictures up to {MAX_PIXELS // 1_000_000} megapixels are accepted."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise forms.ValidationError(f"{too_big} It is {width} x {height}.")
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise forms.ValidationError(too_big) from bomb
    except forms.ValidationError:
        raise
    except Exception as broken:  # Pillow raises many kinds for a damaged file
        raise forms.ValidationError(f"“{upload.name}” is a damaged picture.") from broken
    finally:
        upload.seek(0)


def proof_type(upload) -> str:
    return checked_type(upload, allowed=IMAGES | PDF, max_mb=10, what="an image or a PDF")


def evidence_type(upload) -> str:
    return checked_type(upload, allowed=IMAGES | PDF | VIDEOS, max_mb=50, what="a photo, a video or a PDF")


def check_together(uploads: list) -> None:
    """The files of one form together stay within the request caps (`RequestCap` refuses them
    earlier when the request came through a page)."""
    if refusals := list(dict.fromkeys(u.refusal for u in uploads if isinstance(u, RefusedUpload))):
        raise forms.ValidationError(refusals)
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise forms.ValidationError(too_many_files())
    total = sum(upload.size for upload in uploads)
    if total > settings.UPLOAD_MAX_REQUEST_SIZE:
        raise forms.ValidationError(too_large(total))


def too_many_files() -> str:
    return f"At most {settings.UPLOAD_MAX_FILES} files can be sent at once: add the others in another go."


def too_large(total: int) -> str:
    cap = settings.UPLOAD_MAX_REQUEST_SIZE
    return (
        f"The files sent together come to {total / MB:.1f} MB; at most {cap / MB:.0f} MB can be sent at once: "
        "add them a few at a time."
    )


class RefusedUpload(UploadedFile):
    """Stands in for a file the request caps refused: nothing of it was kept. The form's file
    field shows `refusal` (`checked_type`, `check_together`)."""

    def __init__(self, *, name: str, size: int, refusal: str) -> None:
        super().__init__(file=None, name=name, content_type=None, size=size)
        self.refusal = refusal


class RequestCap(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: a request whose body (Content-Length, read before any file)
    is over UPLOAD_MAX_REQUEST_SIZE has all its files refused, and one with more than
    UPLOAD_MAX_FILES files the files past that; a refused file is read off the wire and dropped,
    never stored. The other fields (the CSRF token, the form) are parsed as usual, so the page
    says why on the form instead of answering 413 or 500."""

    total = 0
    files = 0
    refusal = ""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.total, self.files = content_length, 0
        return None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.files += 1
        if self.total > settings.UPLOAD_MAX_REQUEST_SIZE:
            self.refusal = too_large(self.total)
        elif self.files > settings.UPLOAD_MAX_FILES:
            self.refusal = too_many_files()
        else:
            self.refusal = ""
        if self.refusal:
            raise StopFutureHandlers  # the handlers that store files never hear of this one

    def receive_data_chunk(self, raw_data, start):
        return None if self.refusal else raw_data

    def file_complete(self, file_size):
        if self.refusal:
            return RefusedUpload(name=self.file_name, size=file_size, refusal=self.refusal)
        return None


def stored_name(content_type: str) -> str:
    """A name of our own for a stored file, with the extension of the type its content has."""
    return secrets.token_hex(16) + EXTENSIONS.get(content_type, "")


def download_name(name: str, content_type: str) -> str:
    """The uploader's name to save the file as, its extension the real type's: `evil.html`
    holding a PDF downloads as `evil.pdf`. Control characters dropped (they cannot go in a header)."""
    stem = "".join(c for c in Path(name).stem if c.isprintable()).strip() or "file"
    return stem + EXTENSIONS.get(content_type, "")


def proof_response(stored, *, name: str):
    """A stored payment proof for the browser, typed as its content says (checked on upload), never
    as a name could fake: an image or a PDF, anything else a download of bytes. 404 when it is gone."""
    from django.http import Http404

    try:
        with stored.open("rb") as head:
            content_type = filetype.guess_mime(head.read(2048)) or ""
    except FileNotFoundError as missing:
        raise Http404("The payment proof file is missing.") from missing
    if content_type not in IMAGES | PDF:
        content_type = "application/octet-stream"
    return file_response(stored, content_type=content_type, name=name)


def file_response(stored, *, content_type: str, name: str):
    """An uploaded file for the browser: a picture shown inline, anything else downloaded; typed
    as checked on upload and never sniffed; sandboxed, so nothing in it runs even when opened on
    its own; never kept by a shared cache. 404 when the file has gone."""
    from django.http import FileResponse, Http404

    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing.") from missing
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in SHOWN,
        filename=download_name(name, content_type),
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
