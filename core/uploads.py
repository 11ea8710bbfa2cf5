"""Uploaded evidence and payment proofs: the type is read from the file's first bytes, never from
its name or the browser's word, and the size is capped."""

import filetype
from django import forms

MB = 1024 * 1024
IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"}
PDF = {"application/pdf"}
VIDEOS = {"video/mp4", "video/quicktime", "video/webm", "video/x-matroska"}


def checked_type(upload, *, allowed: set[str], max_mb: int, what: str) -> str:
    """The upload's real content type, or a ValidationError saying what is accepted."""
    if upload.size > max_mb * MB:
        raise forms.ValidationError(f"“{upload.name}” is larger than {max_mb} MB.")
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in allowed:
        raise forms.ValidationError(f"“{upload.name}” is not {what}.")
    return kind.mime


def proof_type(upload) -> str:
    return checked_type(upload, allowed=IMAGES | PDF, max_mb=10, what="an image or a PDF")


def evidence_type(upload) -> str:
    return checked_type(upload, allowed=IMAGES | PDF | VIDEOS, max_mb=50, what="a photo, a video or a PDF")


def inline_response(stored, *, content_type: str, name: str):
    """An uploaded file for the browser to show (not download): typed as checked on upload, never
    sniffed by the browser, never kept by a shared cache. 404 when the file has gone."""
    from django.http import FileResponse, Http404

    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The file is missing.") from missing
    response = FileResponse(handle, content_type=content_type, as_attachment=False, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
