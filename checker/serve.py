"""`check serve`: the editor's desk in the browser, over the same library API (`checker.check`) and rendered
with the same templates as the static report.

One page shows the sources' report with a form for a draft (pasted, or a file) and one to add a source; a draft
is checked against the sources and its page shows every figure's verdict; each finding and verdict can be
accepted or dismissed, which is written to the reviews.yml beside the sources (the file the CLI reads), and two
organisations taken as one or as two, which is written to the user's entities.yml overlay.

It runs offline, under the report's Content-Security-Policy, on 127.0.0.1 unless told otherwise; bound beyond
this machine it asks for the token printed at start. Every form carries a token of the server's (CSRF). An
upload over UPLOAD_LIMIT or of a kind the CLI cannot read gets a message, and the server goes on.
"""
from __future__ import annotations

import hashlib
import secrets
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml

from .files import write_atomic
from .ingest import InputError, read_document
from .pipeline import Result, check, compile_rules, find_reviews
from .report import render_html
from .review import STATUSES, record_review
from .rules import Rules, RulesError, default_rules, load_rules

UPLOAD_LIMIT = 5 * 2**20  # bytes of one upload: a long article is 100 KB, a page with its scripts 2 MB
READABLE = (".txt", ".md", ".html", ".htm")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


@dataclass
class Desk:
    """What the server serves: the source folders and files, its own folder (drafts and uploaded sources), the
    rules, and the tokens it asks for."""
    sources: list[Path]
    work: Path
    rules: Rules = field(default_factory=default_rules)
    token: str | None = None  # asked of every request when the server listens beyond this machine
    lang: str = "en"
    rule_dirs: list[Path] = field(default_factory=list)  # the user's rules folders (`--rules`), the first one
    # taking the desk's corrections of who is who; without one they go to the desk's own folder
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _checking: threading.Lock = field(default_factory=threading.Lock)

    @property
    def uploads(self) -> Path:
        return self.work / "sources"

    @property
    def reviews(self) -> Path:
        """The reviews file the CLI reads for these sources: the one beside them, or a new one there."""
        found = find_reviews(self.sources)
        first = self.sources[0] if self.sources else self.work
        return found or (first if first.is_dir() else first.parent) / "reviews.yml"

    @property
    def corrections(self) -> Path:
        """The entities.yml the desk's who-is-who corrections are written to (`same` / `different`)."""
        return (self.rule_dirs[0] if self.rule_dirs else self.work / "rules") / "entities.yml"

    def correct(self, a: str, b: str, relation: str) -> None:
        """Take `a` and `b` (ids or names) as one organisation (`same`) or two (`different`), in the user's
        overlay, and read the rules again with it: the checks that follow see the correction."""
        if relation not in ("same", "different") or not a or not b or a == b:
            raise InputError("a correction needs two different organisations and `same` or `different`")
        data = (yaml.safe_load(self.corrections.read_text(encoding="utf-8")) or {}) if self.corrections.is_file() else {}
        pairs = data.setdefault(relation, [])
        if [a, b] not in pairs and [b, a] not in pairs:
            pairs.append([a, b])
        write_atomic(self.corrections, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        rules = load_rules(*dict.fromkeys([*self.rule_dirs, self.corrections.parent]))
        compile_rules(rules)
        with self._checking:
            self.rules = rules

    def inputs(self) -> list[Path]:
        uploaded = [self.uploads] if self.uploads.is_dir() and any(self.uploads.iterdir()) else []
        return [*self.sources, *uploaded]

    def check(self, draft: Path | None = None) -> Result:
        with self._checking:  # one check at a time: each uses every core the run gives it
            return check(self.inputs(), draft=draft, rules=self.rules,
                         reviews=self.reviews if self.reviews.is_file() else None, jobs=1)

    def save_draft(self, name: str, data: bytes) -> str:
        """The draft kept under its content's hash (its page's address), as a file the CLI could read too (a
        Word file as its paragraphs' text)."""
        suffix = Path(name).suffix.lower() if Path(name).suffix.lower() in READABLE else ".txt"
        if Path(name).suffix.lower() == ".docx":
            data = docx_text(data).encode("utf-8")
        key = hashlib.sha256(data).hexdigest()[:16]
        path = self.work / "drafts" / f"{key}{suffix}"
        if not path.exists():
            write_atomic(path, data)
        return key

    def draft(self, key: str) -> Path | None:
        if not key.isalnum():
            return None
        return next((self.work / "drafts").glob(f"{key}.*"), None)

    def add_source(self, name: str, data: bytes) -> str:
        """An uploaded source kept with the others, or why it cannot be (raises InputError)."""
        safe = Path(name.replace("\\", "/")).name.strip() or "upload.txt"
        if Path(safe).suffix.lower() not in READABLE:
            raise InputError(f"{safe}: not a kind of file check reads; fix: upload .txt, .md or .html")
        staging = Path(tempfile.mkdtemp(dir=self.work))
        try:
            (staging / safe).write_bytes(data)
            read_document(staging / safe, safe, None, self.rules)  # binary, empty or undecodable: InputError
            self.uploads.mkdir(parents=True, exist_ok=True)
            target, n = self.uploads / safe, 1
            while target.exists():
                n += 1
                target = self.uploads / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
            (staging / safe).replace(target)
            return target.name
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def page(self, result: Result, note: str = "", draft_text: str = "", back: str = "/", by: str = "") -> str:
        view = {"csrf": self.csrf, "note": note, "draft_text": draft_text, "back": back, "by": by,
                "sources": [str(s) for s in self.inputs()], "reviews": str(self.reviews),
                "corrections": str(self.corrections)}
        return render_html(result, lang=self.lang, desk=view)


def docx_text(data: bytes) -> str:
    """A Word file's paragraphs, one per line (python-docx); a file that is no Word file is InputError."""
    import io
    import zipfile

    import docx
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise InputError(f"not a Word file that can be read ({e})") from e
    return "\n".join(p.text for p in document.paragraphs)


def create_app(desk: Desk):
    """The ASGI app over `desk` (Starlette)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
    from starlette.routing import Route

    from .view import SCRIPT_HASH

    def html(text: str, status: int = 200) -> HTMLResponse:
        return HTMLResponse(text, status_code=status)

    def back_to(where: str, note: str = "") -> RedirectResponse:
        return RedirectResponse(where + (f"?note={quote(note)}" if note else ""), status_code=303)

    too_large = f"That file is larger than {UPLOAD_LIMIT // 2**20} MB: not read."

    async def form_of(request: Request):
        """The form, once its size and CSRF token are right; else the response that says what is wrong."""
        size = int(request.headers.get("content-length") or 0)
        if size > UPLOAD_LIMIT + 64 * 1024:
            return None, back_to(_back(request), too_large)
        form = await request.form(max_files=1, max_fields=20)
        if not secrets.compare_digest(str(form.get("csrf") or ""), desk.csrf):
            return None, PlainTextResponse("This form is not from this desk (CSRF token missing or stale): reload the "
                                           "page and try again.", status_code=403)
        return form, None

    async def file_of(form) -> tuple[str, bytes | None] | None:
        """The uploaded file's name and bytes (None past UPLOAD_LIMIT), or None when the form holds no file."""
        upload = form.get("file")
        if upload is None or not getattr(upload, "filename", ""):
            return None
        data = await upload.read(UPLOAD_LIMIT + 1)
        return upload.filename, None if len(data) > UPLOAD_LIMIT else data

    def home(request: Request) -> Response:
        return html(desk.page(desk.check(), note=request.query_params.get("note", "")))

    async def post_draft(request: Request) -> Response:
        form, refused = await form_of(request)
        if refused:
            return refused
        name, data = await file_of(form) or ("draft.txt", str(form.get("text") or "").encode("utf-8"))
        if data is None:
            return back_to("/", too_large)
        if not data.strip():
            return back_to("/", "Paste a draft or choose a file first.")
        try:
            return back_to(f"/draft/{desk.save_draft(name, data)}")
        except InputError as e:
            return back_to("/", f"The draft could not be read: {e}")

    def draft_page(request: Request) -> Response:
        key = request.path_params["key"]
        path = desk.draft(key)
        if path is None:
            return back_to("/", "That draft is not on this desk any more: paste it again.")
        result = desk.check(path)
        if result.draft is None:  # the draft itself could not be read
            reason = next((e["message"] for e in result.errors if Path(e["path"]).name == path.name), "unreadable")
            return back_to("/", f"The draft could not be read: {reason}")
        text = path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".txt" else ""
        return html(desk.page(result, note=request.query_params.get("note", ""), draft_text=text,
                              back=f"/draft/{key}"))

    async def post_review(request: Request) -> Response:
        form, refused = await form_of(request)
        if refused:
            return refused
        where = _back(request, str(form.get("back") or "/"))
        status, item = str(form.get("status") or ""), str(form.get("id") or "")[:100]  # ids are 16 characters
        if status not in STATUSES or not item:
            return back_to(where, "A decision needs a finding and accept or dismiss.")
        try:
            record_review(desk.reviews, item, status, str(form.get("by") or "")[:80], str(form.get("why") or "")[:400])
        except InputError as e:
            return back_to(where, str(e))
        return back_to(where, f"{item}: {status}, written to {desk.reviews.name}.")

    async def post_upload(request: Request) -> Response:
        form, refused = await form_of(request)
        if refused:
            return refused
        uploaded = await file_of(form)
        if uploaded is None:
            return back_to("/", "Choose a file to add first.")
        if uploaded[1] is None:
            return back_to("/", too_large)
        try:
            name = desk.add_source(*uploaded)
        except InputError as e:
            return back_to("/", f"Not added: {e}")
        return back_to("/", f"Added {name} to the sources.")

    async def post_entities(request: Request) -> Response:
        form, refused = await form_of(request)
        if refused:
            return refused
        a, b, relation = (str(form.get(k) or "") for k in ("a", "b", "relation"))
        try:
            desk.correct(a, b, relation)
        except (InputError, RulesError) as e:
            return back_to("/", f"Not corrected: {e}")
        return back_to("/", f"{a} and {b}: {relation}, written to {desk.corrections}; the checks ran again.")

    class Guard(BaseHTTPMiddleware):
        """The token, when the desk listens beyond this machine, and the report's headers on every answer."""

        async def dispatch(self, request, call_next):
            if desk.token:
                given = request.query_params.get("token") or request.cookies.get("checker_token") or ""
                if not secrets.compare_digest(given, desk.token):
                    return PlainTextResponse("Open the address `check serve` printed at start (it carries the token).",
                                             status_code=403)
            response = await call_next(request)
            if desk.token and request.query_params.get("token"):
                response.set_cookie("checker_token", desk.token, httponly=True, samesite="strict")
            response.headers.update({"Content-Security-Policy": CSP.format(hash=SCRIPT_HASH),
                                     "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                                     "X-Frame-Options": "DENY", "Cache-Control": "no-store"})
            return response

    return Starlette(routes=[Route("/", home), Route("/draft", post_draft, methods=["POST"]),
                             Route("/draft/{key}", draft_page), Route("/review", post_review, methods=["POST"]),
                             Route("/upload", post_upload, methods=["POST"]),
                             Route("/entities", post_entities, methods=["POST"])],
                     middleware=[Middleware(Guard)])


def serve_in_thread(desk: Desk, host: str = "127.0.0.1"):
    """The desk served on a free port of `host` in a thread of this process (for tests and the bench): its
    address and a function that stops it."""
    import socket

    import uvicorn
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(desk), host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.05)

    def stop() -> None:
        server.should_exit = True
        thread.join()
    return f"http://{host}:{port}/", stop


def _back(request, where: str = "/") -> str:
    """Where a form sends the browser back to: a page of this desk only, never another site."""
    return where if where.startswith("/") and not where.startswith("//") else "/"
