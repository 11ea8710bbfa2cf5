"""Buyer evidence as an attacker or a careless user would upload it: a name that lies about the
type, too much at once, a decompression bomb, evidence on a closed case; and how it is served."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from aftersales import services
from aftersales.models import Case, CaseAttachment, CaseType
from core.errors import Refused
from refunds.services import refund_confirm
from tests.factories import PDF_MINIMAL, PNG_1PX, make_attachment, make_case, make_refund, png_bomb, shipped_order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def _case(owner):
    return make_case(order=shipped_order(tenant=owner.tenant), actor=owner)


def _add(client, case, *files):
    return client.post(reverse("aftersales:attachment-add", args=[case.pk]), {"evidence": list(files)})


def _png(name: str, padding: int = 0) -> SimpleUploadedFile:
    """A valid one-pixel PNG, made `padding` bytes larger (after its end, where viewers stop)."""
    return SimpleUploadedFile(name, PNG_1PX + b"\0" * padding, "image/png")


# --- stored under a name of our own ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "content_type", "stored_as", "disposition"),
    [
        (PDF_MINIMAL, "application/pdf", ".pdf", 'attachment; filename="evil.pdf"'),
        (PNG_1PX, "image/png", ".png", 'inline; filename="evil.png"'),
    ],
    ids=["pdf", "picture"],
)
def test_evidence_named_html_is_stored_and_served_under_the_type_its_content_has(
    owner, login, media, content, content_type, stored_as, disposition
):
    # given a case, when its operator uploads a PDF or a picture named evil.html
    case = _case(owner)
    client = login(owner)
    response = _add(client, case, SimpleUploadedFile("evil.html", content, "text/html"))
    # then it is stored under a random name ending as what it really is, the given name kept to show
    assert response.status_code == 302
    attachment = case.attachments.get()
    assert attachment.file.name.endswith(stored_as) and "evil" not in attachment.file.name
    assert [p.suffix for p in media.rglob("*.*")] == [stored_as]
    assert attachment.name == "evil.html" and "evil.html" in client.get(response.url).content.decode()
    # and it is served sandboxed: a PDF downloaded, a picture shown, neither under the .html name
    served = client.get(reverse("aftersales:attachment", args=[attachment.pk]))
    assert served["Content-Type"] == content_type and served["Content-Disposition"] == disposition
    assert served["Content-Security-Policy"] == "sandbox"
    assert served["X-Content-Type-Options"] == "nosniff" and served["Cache-Control"] == "private, no-store"
    assert b"".join(served.streaming_content) == content


def test_a_name_with_control_characters_is_served_without_them(owner, login):
    attachment = make_attachment(
        case=_case(owner), name="box\r\nSet-Cookie: x.pdf", content=PDF_MINIMAL, content_type="application/pdf"
    )
    served = login(owner).get(reverse("aftersales:attachment", args=[attachment.pk]))
    assert served["Content-Disposition"] == 'attachment; filename="boxSet-Cookie: x.pdf"'


# --- caps on one request ------------------------------------------------------------------------------


def test_five_large_files_at_once_are_refused_on_the_form_before_any_is_stored(
    owner, login, media, settings, monkeypatch
):
    # given a cap of 2 MB a request (60 MB in production), and the handlers that would store a file
    settings.UPLOAD_MAX_REQUEST_SIZE = 2 * 1024 * 1024
    stored = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        monkeypatch.setattr(handler, "new_file", lambda self, *a, **k: stored.append(a))
    case = _case(owner)
    # when five files of 600 kB (3 MB together) are sent at once
    response = _add(login(owner), case, *(_png(f"photo{n}.png", padding=600_000) for n in range(5)))
    # then the case page says why, and no byte of them was handed on to be stored
    assert response.status_code == 200
    html = response.content.decode()
    assert "The files sent together come to 2.9 MB; at most 2 MB can be sent at once" in html
    assert html.count("can be sent at once") == 1  # said once, not once a file
    assert not stored and not CaseAttachment.objects.exists() and not list(media.rglob("*.*"))


def test_more_files_than_the_cap_at_once_are_refused_on_the_form(owner, login, media, settings):
    settings.UPLOAD_MAX_FILES = 3
    case = _case(owner)
    response = _add(login(owner), case, *(_png(f"photo{n}.png") for n in range(4)))
    assert response.status_code == 200
    assert "At most 3 files can be sent at once" in response.content.decode()
    assert not CaseAttachment.objects.exists() and not list(media.rglob("*.*"))


def test_files_within_the_caps_are_all_added(owner, login, settings):
    settings.UPLOAD_MAX_FILES = 3
    case = _case(owner)
    assert _add(login(owner), case, *(_png(f"photo{n}.png", padding=1000) for n in range(3))).status_code == 302
    assert case.attachments.count() == 3


def test_create_after_sales_order_with_too_much_evidence_says_why_and_creates_nothing(owner, login, settings):
    settings.UPLOAD_MAX_REQUEST_SIZE = 1024 * 1024
    order = shipped_order(tenant=owner.tenant)
    item = order.items.get()
    data = {
        "type": CaseType.RETURN_REFUND,
        f"item_{item.pk}_on": "on",
        f"item_{item.pk}_qty": "2",
        "evidence": [_png("a.png", padding=700_000), _png("b.png", padding=700_000)],
    }
    response = login(owner).post(f"{reverse('aftersales:create')}?order={order.pk}", data)
    assert response.status_code == 200
    assert "at most 1 MB can be sent at once" in response.content.decode()
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


# --- pictures -----------------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_before_it_is_unpacked(owner, login, media):
    bomb = png_bomb()
    assert len(bomb) < 100_000  # some kilobytes, 400 megapixels
    case = _case(owner)
    response = _add(login(owner), case, SimpleUploadedFile("parcel.png", bomb, "image/png"))
    assert response.status_code == 200
    assert "“parcel.png” has too many pixels: pictures up to 50 megapixels are accepted." in response.content.decode()
    assert not CaseAttachment.objects.exists() and not list(media.rglob("*.*"))


def test_a_picture_just_over_the_pixel_cap_says_its_size(owner, login, monkeypatch):
    monkeypatch.setattr("core.uploads.MAX_PIXELS", 100 * 100)
    case = _case(owner)
    response = _add(login(owner), case, SimpleUploadedFile("big.png", png_bomb(side=101), "image/png"))
    assert "It is 101 x 101." in response.content.decode()
    assert not CaseAttachment.objects.exists()


def test_a_damaged_picture_is_refused(owner, login):
    crc = PNG_1PX.index(b"IDAT") + 4 + 13  # the pixel data's checksum, after its 13 bytes
    broken = PNG_1PX[:crc] + b"\0\0\0\0" + PNG_1PX[crc + 4 :]
    response = _add(login(owner), _case(owner), SimpleUploadedFile("parcel.png", broken, "image/png"))
    assert "“parcel.png” is a damaged picture." in response.content.decode()
    assert not CaseAttachment.objects.exists()


# --- closed cases -------------------------------------------------------------------------------------


def _completed(owner):
    refund = make_refund(case=_case(owner))
    refund_confirm(refund=refund, actor=owner)
    return Case.objects.get(pk=refund.case_id)


def _cancelled(owner):
    return services.case_cancel(case=_case(owner), actor=owner, reason="Buyer changed mind")


@pytest.mark.parametrize("closed", [_completed, _cancelled], ids=["completed", "cancelled"])
def test_evidence_is_refused_on_a_closed_case(owner, login, closed):
    case = closed(owner)
    # the service refuses it, whoever calls
    with pytest.raises(Refused) as refused:
        make_attachment(case=case)
    assert refused.value.code == "case_closed"
    assert f"Case {case.number} is {case.get_status_display()}: no more evidence can be added." == str(refused.value)
    # the page offers no upload form, and a forged post is refused on it
    client = login(owner)
    page = client.get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    assert reverse("aftersales:attachment-add", args=[case.pk]) not in page
    response = client.post(
        reverse("aftersales:attachment-add", args=[case.pk]), {"evidence": [_png("late.png")]}, follow=True
    )
    assert "no more evidence can be added" in response.content.decode()
    assert not case.attachments.exists()


def test_evidence_is_still_taken_while_the_case_is_open(owner, login):
    case = _case(owner)
    assert (
        reverse("aftersales:attachment-add", args=[case.pk])
        in login(owner).get(reverse("aftersales:detail", args=[case.pk])).content.decode()
    )
    assert make_attachment(case=case).case == case
