"""`check serve`, the editor's desk: drafts judged, decisions written where the CLI reads them, uploads
refused with a reason, forms only from the desk, the token when it listens beyond this machine."""
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from checker.serve import UPLOAD_LIMIT, Desk, create_app

from .conftest import SEEDS

pytestmark = pytest.mark.filterwarnings("ignore:.*httpx:DeprecationWarning")  # Starlette's TestClient names a successor

CONTRADICTED_ZH = "微软2019年向OpenAI投资20亿美元。"  # the sources say 10亿美元
CONTRADICTED_EN = "Microsoft invested $2 billion in OpenAI in 2019."


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "sources"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def client(sources, tmp_path):
    from starlette.testclient import TestClient
    desk = Desk([sources], tmp_path / "desk")
    desk.work.mkdir()
    return TestClient(create_app(desk)), desk


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def notes(page: str) -> list[str]:
    return re.findall(r'class="note"[^>]*>([^<]+)<', page)


def verdicts(page: str) -> dict[str, str]:
    """Each verdict card's id and verdict."""
    found = re.findall(r'data-verdict="(\w+)">[\s\S]*?<code>(DRAFT-[0-9a-f]+)</code>', page)
    return {vid: verdict for verdict, vid in found}


@pytest.mark.parametrize("draft", [CONTRADICTED_ZH, CONTRADICTED_EN])
def test_a_pasted_draft_is_judged_and_an_accepted_contradiction_is_written_where_the_cli_reads_it(client, sources, draft):
    web, desk = client
    home = web.get("/")
    assert home.status_code == 200 and "seeds" not in notes(home.text)
    posted = web.post("/draft", data={"csrf": csrf_of(home.text), "text": draft}, follow_redirects=False)
    assert posted.status_code == 303 and posted.headers["location"].startswith("/draft/")
    page = web.get(posted.headers["location"]).text
    found = verdicts(page)
    (contradiction,) = [vid for vid, verdict in found.items() if verdict == "contradicted"]
    draft_file = desk.draft(posted.headers["location"].rsplit("/", 1)[1])
    cli = [sys.executable, "-m", "checker", str(draft_file), "--against", str(sources), "--out", str(desk.work / "o"),
           "-q", "--format", "json"]
    assert subprocess.run(cli, capture_output=True).returncode == 1  # before: an unreviewed contradiction
    reviewed = web.post("/review", data={"csrf": csrf_of(page), "id": contradiction, "status": "accepted",
                                         "by": "Li Wei", "why": "desk has the filing", "back": posted.headers["location"]})
    assert reviewed.status_code == 200 and any(contradiction in n for n in notes(reviewed.text))
    written = yaml.safe_load((sources / "reviews.yml").read_text(encoding="utf-8"))
    assert {"id": contradiction, "status": "accepted", "by": "Li Wei", "why": "desk has the filing"} in written["reviews"]
    again = web.get(posted.headers["location"]).text  # reloaded: shown as reviewed
    assert re.search(rf'card verdict conflict reviewed"[^>]*>[\s\S]*?{contradiction}', again)
    assert subprocess.run(cli, capture_output=True).returncode == 0  # the CLI agrees with the page


def test_a_form_from_elsewhere_is_refused(client, sources):
    web, _ = client
    r = web.post("/review", data={"id": "CC001-x", "status": "accepted", "by": "x"})
    assert r.status_code == 403 and not (sources / "reviews.yml").exists()
    r = web.post("/review", data={"csrf": "guessed", "id": "CC001-x", "status": "accepted", "by": "x"})
    assert r.status_code == 403


@pytest.mark.parametrize("name, data, says", [
    ("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 100, "not a kind of file check reads"),
    ("data.txt", bytes(range(256)) * 40, "binary file"),
    ("big.txt", b"a" * (UPLOAD_LIMIT + 1), "larger than"),
])
def test_an_upload_it_cannot_read_gets_a_message_and_the_desk_goes_on(client, name, data, says):
    web, desk = client
    csrf = csrf_of(web.get("/").text)
    r = web.post("/upload", data={"csrf": csrf}, files={"file": (name, data, "application/octet-stream")})
    assert r.status_code == 200 and any(says in n for n in notes(r.text)), notes(r.text)
    assert not desk.uploads.exists() or not any(desk.uploads.iterdir())
    assert web.get("/").status_code == 200


def test_an_uploaded_source_is_checked_with_the_others(client):
    web, desk = client
    csrf = csrf_of(web.get("/").text)
    article = "据报道，微软2019年向OpenAI投资30亿美元。".encode("gb18030")  # any encoding the CLI reads
    r = web.post("/upload", data={"csrf": csrf}, files={"file": ("../../evil.txt", article, "text/plain")})
    assert any("Added evil.txt" in n for n in notes(r.text))
    assert [p.name for p in desk.uploads.iterdir()] == ["evil.txt"]  # its name, never its path
    assert "30亿美元" in r.text and "CC001" in r.text  # it now disagrees with the seeds


def test_beyond_this_machine_every_request_needs_the_token(sources, tmp_path):
    from starlette.testclient import TestClient
    desk = Desk([sources], tmp_path / "desk", token="s3cret")
    desk.work.mkdir()
    web = TestClient(create_app(desk))
    assert web.get("/").status_code == 403
    assert web.get("/?token=wrong").status_code == 403
    assert web.get("/?token=s3cret").status_code == 200
    assert web.get("/").status_code == 200  # the token is kept as a cookie for the session


def test_pages_carry_the_report_s_content_security_policy(client):
    web, _ = client
    r = web.get("/")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "form-action 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"


def test_two_names_taken_as_one_organisation_are_compared_from_then_on(tmp_path):
    from starlette.testclient import TestClient
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text("澄光能源集团2024年营收为10亿元。", encoding="utf-8")
    (sources / "b.txt").write_text("Blue Whale Energy Group reported revenue of 2 billion yuan in 2024.", encoding="utf-8")
    desk = Desk([sources], tmp_path / "desk")
    desk.work.mkdir()
    web = TestClient(create_app(desk))
    home = web.get("/").text
    assert "CC001" not in home  # two organisations as far as the linker can tell
    options = dict(re.findall(r'<option value="([^"]+)">([^<]+)</option>', home.split('action="/entities"')[1]))
    a = next(e for e, name in options.items() if "澄光" in name)
    b = next(e for e, name in options.items() if "Blue Whale" in name)
    after = web.post("/entities", data={"csrf": csrf_of(home), "a": a, "b": b, "relation": "same"}).text
    assert "CC001" in after and "10亿元" in after  # one company, two revenues for 2024
    assert yaml.safe_load(desk.corrections.read_text(encoding="utf-8")) == {"same": [[a, b]]}
    back = web.post("/entities", data={"csrf": csrf_of(after), "a": a, "b": b, "relation": "different"}).text
    assert any("different" in n for n in notes(back))


def test_a_draft_may_be_a_word_file(client):
    import io

    import docx
    web, _ = client
    document = docx.Document()
    document.add_paragraph("Draft: OpenAI funding")
    document.add_paragraph(CONTRADICTED_EN)
    buffer = io.BytesIO()
    document.save(buffer)
    csrf = csrf_of(web.get("/").text)
    page = web.post("/draft", data={"csrf": csrf, "text": ""},
                    files={"file": ("draft.docx", buffer.getvalue(), "application/octet-stream")}).text
    assert "contradicted" in verdicts(page).values()
    refused = web.post("/draft", data={"csrf": csrf},
                       files={"file": ("fake.docx", b"PK not really a zip", "application/octet-stream")}).text
    assert any("could not be read" in n for n in notes(refused))
