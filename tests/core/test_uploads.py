"""core.uploads.RequestCap with the production caps: the request's length decides before a byte of
any file is read, so 5 x 30 MB is refused without being stored or even buffered."""

import pytest
from django.core.files.uploadhandler import StopFutureHandlers

from core.uploads import MB, RefusedUpload, RequestCap, download_name


def _announce(cap: RequestCap, name: str) -> None:
    cap.new_file("evidence", name, "image/png", None)


def test_a_request_of_five_times_30_mb_has_every_file_refused_from_its_length():
    cap = RequestCap()
    cap.handle_raw_input(None, {}, 5 * 30 * MB + 1000, b"boundary")
    for n in range(5):
        with pytest.raises(StopFutureHandlers):  # the handlers that store files never see it
            _announce(cap, f"photo{n}.png")
        assert cap.receive_data_chunk(b"x" * 64 * 1024, 0) is None  # read off the wire, dropped
        refused = cap.file_complete(64 * 1024)
        assert isinstance(refused, RefusedUpload) and refused.name == f"photo{n}.png"
        assert refused.refusal.startswith("The files sent together come to 150.0 MB; at most 60 MB can be sent at once")


def test_within_the_caps_files_pass_through_to_the_storing_handlers():
    cap = RequestCap()
    cap.handle_raw_input(None, {}, 59 * MB, b"boundary")
    for n in range(10):
        _announce(cap, f"photo{n}.png")
        assert cap.receive_data_chunk(b"data", 0) == b"data"
        assert cap.file_complete(4) is None
    with pytest.raises(StopFutureHandlers):  # the eleventh
        _announce(cap, "photo10.png")
    assert cap.file_complete(4).refusal.startswith("At most 10 files can be sent at once")


@pytest.mark.parametrize(
    ("name", "content_type", "served_as"),
    [
        ("evil.html", "application/pdf", "evil.pdf"),
        ("parcel.JPG", "image/jpeg", "parcel.jpg"),
        ("clip", "video/mp4", "clip.mp4"),
        ("\x00\x1b.png", "image/png", "file.png"),
    ],
)
def test_a_file_downloads_under_its_given_name_with_the_extension_of_its_real_type(name, content_type, served_as):
    assert download_name(name, content_type) == served_as
