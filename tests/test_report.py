"""Tests of the HTML review report.

The browser tests render reports in real headless Chromium, driven through the DevTools
protocol over a pipe with only the standard library, and check through the DOM what a reviewer
sees: one highlight per edit, filters hiding the right edits, keyboard navigation, pagination,
contrast, and that hostile OCR text stays text. They skip, saying why, when no Chromium is
installed (Debian: ``apt-get install chromium``; or point ``TEXTFIX_CHROMIUM`` at a binary).

``TEXTFIX_UPDATE_SCREENSHOT=1`` makes ``test_screenshot`` refresh ``docs/report.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import textfix
from textfix.edits import Edit, Fixed
from textfix.errors import ConfigError, OverlappingEditsError, TextfixError
from textfix.report import register_cli, render_report, write_report

REPO = Path(__file__).resolve().parents[1]

# Invented OCR text: ligatures, no-break spaces, mojibake, a control character, and markup
# that must stay text.
HOSTILE = (
    "<script>window.__pwned = 1</script> &amp; &lt;b&gt; \"double\" 'single' "
    '</textarea> ]]> <!-- --> <img src=x onerror="window.__pwned=2"> `tick`'
)
SAMPLE = (
    "The ﬁrst\u00a0chapter of the Ã©tude ends here.\n"
    "A con\x07trol char, an oﬃce and a ﬂoor.\n"
    f"{HOSTILE}\n"
    "Caf\u00c3\u00a9 au lait\u00a0and the ﬁnal line.\n"
)


def _hand_fixed() -> Fixed:
    """A Fixed made by hand: three stages, one merged edit, mixed confidences."""
    source = "Tbe qnick brown fox jum-\nped over tlie lazy dog ."
    edits = (
        Edit(1, 2, "h", "fix_ocr_confusions", "b->h", 0.95),
        Edit(5, 6, "u", "fix_ocr_confusions", "n->u", 0.55),
        Edit(23, 25, "", "dehyphenate", "join"),
        Edit(35, 37, "h", "fix_ocr_confusions+normalize_variants", "li->h+x", 0.7),
        Edit(47, 48, "", "remove_space_before_punct", "space"),
    )
    text = textfix.apply_edits(source, edits)
    return Fixed(text, (), source, edits)


# ---------------------------------------------------------------------------------------------
# Without a browser: markup, escaping, options, streaming, CLI.


class _TextOf(HTMLParser):
    """Recover the cleaned or original text of each document from the report markup."""

    def __init__(self, skip: str) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = skip
        self.docs: list[str] = []
        self.depth_text = 0
        self.skipping = 0
        self.buf: list[str] = []
        self.scripts = 0
        self.tags: set[str] = set()
        self.attrs_seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs_seen.update(name for name, _ in attrs)
        cls = dict(attrs).get("class") or ""
        if tag == "script":
            self.scripts += 1
        if tag == "div" and "text" in cls.split():
            self.depth_text = 1
            self.buf = []
        elif self.depth_text:
            if tag == "div":
                self.depth_text += 1
            if self.skipping or tag == self.skip:
                self.skipping += 1
            elif tag == "span" and "cc" in cls.split():
                code = dict(attrs)["title"] or ""
                self.buf.append(chr(int(code.removeprefix("U+"), 16)))
                self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if not self.depth_text:
            return
        if self.skipping:
            self.skipping -= 1
            return
        if tag == "div":
            self.depth_text -= 1
            if not self.depth_text:
                self.docs.append("".join(self.buf))

    def handle_data(self, data: str) -> None:
        if self.depth_text and not self.skipping:
            self.buf.append(data)


def _parse(page: str, skip: str) -> _TextOf:
    parser = _TextOf(skip)
    parser.feed(page)
    parser.close()
    return parser


def test_markup_round_trips_cleaned_and_original_text() -> None:
    fixed = textfix.explain(SAMPLE)
    assert fixed.edits
    page = render_report([("sample.txt", fixed), ("hand.txt", _hand_fixed())])
    assert _parse(page, "del").docs == [fixed.text, _hand_fixed().text]
    assert _parse(page, "ins").docs == [SAMPLE, _hand_fixed().source]
    assert page.count('<mark class="e ') == len(fixed.edits) + len(_hand_fixed().edits)


@given(st.text(), st.text(alphabet="<>&\"'ﬁ\u00a0\r\n\x07Ã© ab", max_size=40))
def test_markup_round_trips_any_text(text: str, markup: str) -> None:
    source = text + markup
    fixed = textfix.explain(source)
    page = render_report([(markup, fixed)], title=markup)
    assert _parse(page, "del").docs == [fixed.text]
    assert _parse(page, "ins").docs == [source]
    assert page.count('<mark class="e ') == len(fixed.edits)
    assert _parse(page, "del").scripts == 1


def test_hostile_text_is_escaped_everywhere() -> None:
    evil = Fixed(
        HOSTILE,
        (),
        HOSTILE + "x",
        (Edit(len(HOSTILE), len(HOSTILE) + 1, "", 'st"age<script>', "ru'le</textarea>", 0.2),),
    )
    page = render_report(
        [(HOSTILE, evil)], title=HOSTILE, signature='sig"<script>window.__pwned=3</script>'
    )
    parsed = _parse(page, "del")
    assert parsed.scripts == 1  # only the report's own script
    assert not parsed.tags & {"img", "textarea"}
    assert "onerror" not in parsed.attrs_seen
    assert parsed.docs == [HOSTILE]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page


def test_self_contained_with_strict_content_security_policy() -> None:
    page = render_report([("sample.txt", textfix.explain(SAMPLE))])
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:|//)", page)
    assert "@import" not in page
    assert "url(" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    assert "default-src 'none'" in csp.group(1)
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", csp.group(1))


def test_big_text_is_chunked_at_line_ends() -> None:
    line = "Tbe ﬁrst line of a long\u00a0text that goes on and on.\n"
    source = line * 4000  # about 200 KB
    fixed = textfix.explain(source, preset="characters")  # keep the lines: no reflow
    page = render_report([("big.txt", fixed)])
    chunks = page.count('<div class="chunk">')
    assert chunks > 10
    assert _parse(page, "del").docs == [fixed.text]
    # Every chunk but the last ends right after a newline (no edit, no line is split).
    assert page.count('\n</div><div class="chunk">') == chunks - 1


def test_pages_split_large_batches() -> None:
    docs = [(f"p{i}.txt", textfix.explain(f"Page {i} ﬁne.\n")) for i in range(1, 121)]
    page = render_report(iter(docs), page_files=50)
    assert page.count('<section class="page"') == 3
    assert '<a href="#page-3">3</a>' in page
    assert page.count('<a href="#f') == 120


def test_write_report_file_and_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fixed = textfix.explain(SAMPLE)
    out = tmp_path / "r.html"
    write_report(out, (d for d in [("a.txt", fixed)]))
    text = out.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    write_report("-", [("a.txt", fixed)])
    assert capsys.readouterr().out == text


def test_lone_surrogates_do_not_break_writing(tmp_path: Path) -> None:
    source = "bad \udc80 byte ﬁ"
    write_report(tmp_path / "r.html", [("s.txt", textfix.explain(source))])
    assert "\\udc80" in (tmp_path / "r.html").read_text("utf-8")


@pytest.mark.parametrize(
    "options",
    [{"low_confidence": 1.5}, {"low_confidence": -0.1}, {"page_files": 0}, {"page_chars": 0}],
)
def test_bad_options_raise_config_error(options: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        render_report([], **options)


def test_inconsistent_edits_raise() -> None:
    bad = Fixed("x", (), "ab", (Edit(0, 2, "x", "s"), Edit(1, 2, "y", "s")))
    with pytest.raises(OverlappingEditsError):
        render_report([("bad.txt", bad)])


def test_empty_batch_and_clean_text() -> None:
    assert "<main" in render_report([])
    page = render_report([("clean.txt", textfix.explain("Nothing to fix here.\n"))])
    assert "<mark" not in page
    assert _parse(page, "del").docs == ["Nothing to fix here.\n"]


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="textfix")
    register_cli(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_cli_review_writes_report(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(SAMPLE, "utf-8")
    out = tmp_path / "out.html"
    assert _cli(["review", str(src), "-o", str(out), "--preset", "default"]) == 0
    page = out.read_text("utf-8")
    assert page.count('<mark class="e ') == len(textfix.explain(SAMPLE).edits)
    assert "normalize_newlines" in page  # the pipeline signature is shown


def test_cli_review_stdin_to_stdout(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SAMPLE.encode("utf-8"))))
    assert _cli(["review", "-"]) == 0
    page = capsysbinary.readouterr().out.decode("utf-8")
    assert page.count('<mark class="e ') == len(textfix.explain(SAMPLE).edits)
    assert "&lt;stdin&gt;" in page


def test_cli_review_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_bytes(b"caf\xe9\n")
    with pytest.raises(TextfixError, match="cannot decode"):
        _cli(["review", str(src), "-o", str(tmp_path / "o.html")])
    assert _cli(["review", str(src), "-o", str(tmp_path / "o.html"), "--encoding", "latin-1"]) == 0
    with pytest.raises(TextfixError, match="over the input"):
        _cli(["review", str(src), "-o", str(src)])
    with pytest.raises(TextfixError, match="cannot read"):
        _cli(["review", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "o.html")])
    with pytest.raises(TextfixError, match="unknown encoding"):
        _cli(["review", str(src), "-o", str(tmp_path / "o.html"), "--encoding", "nope-8"])


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    nums = re.findall(r"[\d.]+", css)
    if css.startswith("#"):
        return (int(css[1:3], 16), int(css[3:5], 16), int(css[5:7], 16))
    return (int(float(nums[0])), int(float(nums[1])), int(float(nums[2])))


def test_palette_contrast() -> None:
    from textfix.report import _PALETTE

    for background, border in _PALETTE:
        assert _contrast(_rgb("#1b1b1b"), _rgb(background)) >= 7.0  # WCAG AAA for text
        # The removal/insertion markers are drawn in the border colour on the background.
        assert _contrast(_rgb(border), _rgb(background)) >= 4.5
        # The low-confidence outline is a non-text indicator: WCAG asks 3:1.
        assert _contrast(_rgb("#b3001b"), _rgb(background)) >= 3.0


# ---------------------------------------------------------------------------------------------
# In a real browser.


def _chromium() -> str | None:
    env = os.environ.get("TEXTFIX_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """Headless Chromium driven through the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, binary: str, profile: str) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # runs in the child: the protocol pipe is fds 3 (in) and 4 (out)
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,  # only dup2 before exec
            close_fds=False,  # our descriptors are not inheritable; dup2 made 3 and 4 so
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)[
            "sessionId"
        ]
        self.call("Page.enable", session=True)
        self.call("Runtime.enable", session=True)
        self.call("Log.enable", session=True)
        self.call("Network.enable", session=True)
        # A headless page never has window focus; without this, :focus styles never apply.
        self.call("Emulation.setFocusEmulationEnabled", session=True, enabled=True)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=1280,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )

    def _read(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_child], [], [], left)[0]:
                msg = "Chromium did not answer in time"
                raise TimeoutError(msg)
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                msg = "Chromium closed the DevTools pipe"
                raise ConnectionError(msg)
            self._buf += chunk
        raw, _, self._buf = self._buf.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(60)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 60, *, keep: bool = False) -> None:
        deadline = time.monotonic() + timeout
        while True:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    if not keep:
                        del self.events[: i + 1]
                    return
            self.events.append(self._read(max(0.01, deadline - time.monotonic())))

    def open(self, url: str, *, scripts: bool = True) -> None:
        self.call("Emulation.setScriptExecutionDisabled", session=True, value=not scripts)
        for target in ("about:blank", url):  # via a blank page: a new fragment is a new load
            self.events.clear()
            self.call("Page.navigate", session=True, url=target)
            self.wait_event("Page.loadEventFired", keep=True)

    def problems(self) -> list[Any]:
        """Script exceptions and error log entries (CSP violations among them) since ``open``."""
        return [
            e["params"]
            for e in self.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
        ]

    def requests(self) -> list[str]:
        """URLs the page asked for since ``open``."""
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def js(self, expression: str) -> Any:
        reply = self.call(
            "Runtime.evaluate",
            session=True,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def key(self, key: str) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call(
                "Input.dispatchKeyEvent",
                session=True,
                type=kind,
                key=key,
                text=key if kind == "keyDown" else "",
                code=f"Key{key.upper()}",
                windowsVirtualKeyCode=ord(key.upper()),
            )

    def screenshot(self) -> bytes:
        import base64

        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture(scope="module")
def browser() -> Any:
    binary = _chromium()
    if binary is None:
        pytest.skip(
            "no Chromium found (install Debian's 'chromium' package, or set TEXTFIX_CHROMIUM)"
        )
    with tempfile.TemporaryDirectory(prefix="textfix-chromium-") as profile:
        b = Browser(binary, profile)
        try:
            yield b
        finally:
            b.close()


# Visible highlight = not filtered out and drawn with a background; JS evaluated in the page.
_VISIBLE = (
    "[...document.querySelectorAll('mark.e')].filter(m => !m.classList.contains('off')"
    " && getComputedStyle(m).backgroundColor !== 'rgba(0, 0, 0, 0)')"
)


def _write(tmp_path: Path, docs: list[tuple[str, Fixed]], **options: Any) -> str:
    path = tmp_path / "report.html"
    write_report(path, docs, **options)
    return path.as_uri()


def test_browser_highlights_every_edit(browser: Browser, tmp_path: Path) -> None:
    sample, hand = textfix.explain(SAMPLE), _hand_fixed()
    url = _write(tmp_path, [("sample.txt", sample), ("hand.txt", hand)])
    browser.open(url)
    assert browser.js("document.documentElement.dataset.ready") == "1"
    assert browser.requests() == [url]  # self-contained: nothing else is fetched
    assert browser.problems() == []  # no script error, no CSP violation
    total = len(sample.edits) + len(hand.edits)
    assert browser.js(f"{_VISIBLE}.length") == total
    assert browser.js("document.querySelectorAll('#f1 mark.e').length") == len(sample.edits)
    assert browser.js("document.querySelectorAll('#f2 mark.e').length") == len(hand.edits)
    assert browser.js("document.getElementById('shown').textContent") == str(total)
    # Low-confidence edits stand out: a dashed outline that other edits do not have.
    styles = browser.js(
        "[...document.querySelectorAll('#f2 mark.e')].map(m => getComputedStyle(m).outlineStyle)"
    )
    assert styles == ["none", "dashed", "none", "dashed", "none"]
    # The details are on the element: original, replacement, stage, rule, confidence.
    tip = browser.js("document.querySelector('#f2 mark.e.lo').title")
    assert tip.splitlines() == ["“n” → “u”", "fix_ocr_confusions · n->u", "confidence 0.55 (low)"]
    # Focusing an edit shows those details in a box (the ::after tooltip).
    shown = browser.js(
        "(() => { const m = document.querySelector('#f2 mark.e.lo'); m.focus();"
        " return getComputedStyle(m, '::after').content; })()"
    )
    assert "fix_ocr_confusions · n->u" in shown
    assert browser.problems() == []


def test_browser_text_matches_both_views(browser: Browser, tmp_path: Path) -> None:
    sample = textfix.explain(SAMPLE)
    browser.open(_write(tmp_path, [("sample.txt", sample)]))
    collect = (
        "(() => { const out = [];"
        " const walk = n => { for (const c of n.childNodes) {"
        "  if (c.nodeType === 3) out.push(c.data);"
        "  else if (c.classList && c.classList.contains('cc'))"
        "   out.push(String.fromCodePoint(parseInt(c.title.slice(2), 16)));"
        "  else if (getComputedStyle(c).display !== 'none') walk(c); } };"
        " walk(document.querySelector('#f1 .text')); return out.join(''); })()"
    )
    assert browser.js(collect) == sample.text
    # The original view (pure CSS, works without JS): removals struck through, insertions hidden.
    browser.js("document.getElementById('view-original').click()")
    assert browser.js(collect) == SAMPLE
    struck = browser.js(
        "getComputedStyle(document.querySelector('#f1 mark.e del')).textDecorationLine"
    )
    assert "line-through" in struck


def test_browser_filter_by_stage(browser: Browser, tmp_path: Path) -> None:
    hand = _hand_fixed()
    url = _write(tmp_path, [("hand.txt", hand)])
    browser.open(url)
    ids = f"{_VISIBLE}.map(m => m.id)"
    assert len(browser.js(ids)) == 5
    box = "document.querySelector('input[value=\"{}\"]')"
    browser.js(f"{box.format('fix_ocr_confusions')}.click()")
    # The merged edit stays: it belongs to normalize_variants too.
    assert browser.js(ids) == ["e1-2", "e1-3", "e1-4"]
    browser.js(f"{box.format('normalize_variants')}.click()")
    assert browser.js(ids) == ["e1-2", "e1-4"]
    # Hidden edits read as plain text and leave the keyboard order.
    assert browser.js("document.getElementById('e1-0').tabIndex") == -1
    assert browser.js("document.getElementById('shown').textContent") == "2"
    browser.js("document.getElementById('low-only').click()")
    assert browser.js(ids) == []
    # The same filters from the URL, so a filtered view can be shared.
    browser.open(url + "?stages=fix_ocr_confusions")
    assert browser.js(ids) == ["e1-0", "e1-1", "e1-3"]
    browser.open(url + "?low=1")
    assert browser.js(ids) == ["e1-1", "e1-3"]
    browser.open(url + "?view=original")
    assert browser.js("document.getElementById('view-original').checked") is True


def test_browser_injected_markup_is_inert(browser: Browser, tmp_path: Path) -> None:
    # Character stages only: word correction would (rightly) split "onerror" in the sample.
    evil = textfix.explain(SAMPLE, preset="characters")
    browser.open(_write(tmp_path, [(HOSTILE, evil)], title=HOSTILE))
    assert browser.js("document.scripts.length") == 1
    assert browser.js("typeof window.__pwned") == "undefined"
    assert browser.problems() == []  # nothing even tried to run (the CSP would log it)
    assert browser.js("document.querySelectorAll('img, textarea, b').length") == 0
    assert browser.js("document.querySelectorAll('[onerror]').length") == 0
    assert HOSTILE in browser.js("document.querySelector('#f1 .text').textContent")
    assert browser.js("document.querySelector('#f1 h2').textContent") == HOSTILE
    assert browser.js("document.title") == HOSTILE


def test_browser_keyboard_navigation(browser: Browser, tmp_path: Path) -> None:
    hand = _hand_fixed()
    browser.open(_write(tmp_path, [("a.txt", hand), ("b.txt", hand)]))
    active = "document.activeElement.id"
    browser.key("n")
    assert browser.js(active) == "e1-0"
    browser.key("n")
    browser.key("j")
    assert browser.js(active) == "e1-2"
    browser.key("p")
    assert browser.js(active) == "e1-1"
    # Navigation skips filtered edits and crosses files.
    browser.js("document.querySelector('input[value=\"dehyphenate\"]').click()")
    browser.js("document.querySelector('input[value=\"remove_space_before_punct\"]').click()")
    browser.key("n")
    assert browser.js(active) == "e1-3"
    browser.key("n")
    assert browser.js(active) == "e2-0"
    browser.key("k")
    assert browser.js(active) == "e1-3"
    assert "Edit 4 of 10" in browser.js("document.getElementById('position').textContent")


def test_browser_pagination(browser: Browser, tmp_path: Path) -> None:
    docs = [(f"p{i}.txt", textfix.explain(f"Page {i} ﬁne.\n")) for i in range(1, 121)]
    url = _write(tmp_path, docs, page_files=50)
    shown_pages = (
        "[...document.querySelectorAll('section.page')].filter(p => !p.hidden).map(p => p.id)"
    )
    browser.open(url)
    assert browser.js(shown_pages) == ["page-1"]
    assert browser.js(f"{_VISIBLE}.length") == 120  # in the DOM; page 1's are on screen
    browser.js("location.hash = '#f101'")
    deadline = time.monotonic() + 10  # hashchange is handled asynchronously
    while browser.js(shown_pages) != ["page-3"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert browser.js(shown_pages) == ["page-3"]
    assert browser.js("document.querySelector('.pager a[aria-current]').textContent") == "3"
    browser.open(url + "#f60")
    assert browser.js(shown_pages) == ["page-2"]
    # Next edit crosses into the following page.
    browser.js("document.getElementById('e100-0').focus()")
    browser.key("n")
    assert browser.js("document.activeElement.id") == "e101-0"
    assert browser.js(shown_pages) == ["page-3"]


def test_browser_reads_without_javascript(browser: Browser, tmp_path: Path) -> None:
    docs = [(f"p{i}.txt", textfix.explain(f"Page {i} ﬁne.\n")) for i in range(1, 121)]
    browser.open(_write(tmp_path, docs, page_files=50), scripts=False)
    try:
        assert browser.js("document.documentElement.dataset.ready") is None
        # Every page and every highlight is there; the filter controls say they need JS.
        assert browser.js("[...document.querySelectorAll('section.page')].every(p => !p.hidden)")
        assert browser.js(f"{_VISIBLE}.length") == 120
        assert browser.js("document.getElementById('next-edit').disabled") is True
        assert browser.js("!!document.querySelector('[data-no-js]').offsetParent") is True
        # The original-text toggle is CSS only.
        browser.js("document.getElementById('view-original').click()")
        assert browser.js("getComputedStyle(document.querySelector('mark.e del')).display") == (
            "inline"
        )
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", session=True, value=False)


def test_browser_contrast(browser: Browser, tmp_path: Path) -> None:
    stages = [f"stage_{i}" for i in range(12)]
    source = " ".join(f"w{i}" for i in range(12))
    edits = tuple(
        Edit(3 * i + (i > 9) * (i - 9), 3 * i + 1 + (i > 9) * (i - 9), "W", s)
        for i, s in enumerate(stages)
    )
    fixed = Fixed(textfix.apply_edits(source, edits), (), source, edits)
    browser.open(_write(tmp_path, [("c.txt", fixed)]))
    pairs = browser.js(
        "[...document.querySelectorAll('mark.e ins')].map(e => [getComputedStyle(e).color,"
        " getComputedStyle(e.parentElement).backgroundColor])"
    )
    assert len(pairs) == 12
    for fg, bg in pairs:
        assert _contrast(_rgb(fg), _rgb(bg)) >= 7.0, (fg, bg)
    # High-contrast modes drop backgrounds; every edit keeps a border there.
    browser.call(
        "Emulation.setEmulatedMedia",
        session=True,
        features=[{"name": "forced-colors", "value": "active"}],
    )
    try:
        widths = browser.js(
            "[...document.querySelectorAll('mark.e')].map(m => getComputedStyle(m).borderTopWidth)"
        )
        assert widths == ["1px"] * 12
    finally:
        browser.call("Emulation.setEmulatedMedia", session=True, features=[])


def test_screenshot(browser: Browser, tmp_path: Path) -> None:
    docs = [("chapter-1.txt", textfix.explain(SAMPLE)), ("letter-7.txt", _hand_fixed())]
    browser.open(_write(tmp_path, docs, signature=textfix.load_preset("default").signature()))
    browser.js("document.getElementById('e2-1').focus()")
    png = browser.screenshot()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    if os.environ.get("TEXTFIX_UPDATE_SCREENSHOT") == "1":
        (REPO / "docs" / "report.png").write_bytes(png)
