"""PDFs from strangers: each hostile file gives one SourceError line naming the file, within seconds,
and the child that parses them is held by its caps (memory, CPU, wall clock)."""

from __future__ import annotations

import io
import time
import zlib
from pathlib import Path

import pypdf
import pytest

from canvas_tui.export.pdf import render_pdf
from canvas_tui.importing import pdf_sandbox
from canvas_tui.importing.pdf import import_pdf
from canvas_tui.importing.result import SourceError
from canvas_tui.model import Canvas
from canvas_tui.templates import load_template

WITHIN_SECONDS = 15.0
"""Generous for a loaded CI machine; each case takes about a second here."""


def refused(path: Path) -> tuple[str, float]:
    """The one-line message and the seconds it took to refuse `path`."""
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        import_pdf(path, None)
    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    assert elapsed < WITHIN_SECONDS
    return message, elapsed


def pdf_with(objects: list[bytes]) -> bytes:
    """A PDF of the given numbered objects (1: catalog, 2: pages, 3: page, ...) with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def page_with_content(content_object: bytes) -> bytes:
    return pdf_with(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 596] /Contents 4 0 R >>",
            content_object,
        ]
    )


def deflate_of_zeros(gigabytes: int) -> bytes:
    """A zlib stream that inflates to about `gigabytes` GiB of zeros, built directly (compressing
    that much would take a minute): one fixed-Huffman block of a literal 0 followed by copies of
    258 bytes at distance 1 (13 bits each, so the bytes repeat every 8 copies, 13 bytes)."""
    bits: list[int] = []

    def put(value: int, count: int, *, huffman: bool = False) -> None:
        order = range(count - 1, -1, -1) if huffman else range(count)
        bits.extend((value >> i) & 1 for i in order)

    put(1, 1)  # final block
    put(1, 2)  # fixed Huffman codes
    put(0x30, 8, huffman=True)  # literal 0
    groups = 4
    for _ in range(groups * 8):
        put(0b11000101, 8, huffman=True)  # length code 285: 258 bytes
        put(0, 5, huffman=True)  # distance code 0: distance 1
    packed = bytearray()
    for start in range(0, len(bits) - len(bits) % 8, 8):
        packed.append(sum(bit << i for i, bit in enumerate(bits[start : start + 8])))
    head, period = bytes(packed[:14]), bytes(packed[14:27])  # header + the first 8 copies, then one period
    copies = gigabytes * (1 << 30) // (258 * 8)
    return b"\x78\x9c" + head + period * (copies - 1)  # never finished: a reader must stop on its own


def test_the_bomb_builder_really_inflates_to_what_it_says() -> None:
    small = deflate_of_zeros(1)[: 2 + 14 + 13 * 1000]
    inflated = zlib.decompressobj().decompress(small)
    assert len(inflated) > 1000 * 8 * 258 and set(inflated) == {0}


def test_a_50_mb_pdf_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.write(b"%PDF-1.7\n")
        file.truncate(50 * 1024 * 1024)
    message, _ = refused(path)
    assert "larger than 20 MB" in message


def test_a_stream_that_inflates_to_gigabytes_is_refused(tmp_path: Path) -> None:
    bomb = deflate_of_zeros(2)
    assert len(bomb) < 20 * 1024 * 1024
    path = tmp_path / "bomb.pdf"
    path.write_bytes(
        page_with_content(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"
        )
    )
    refused(path)


def test_objects_nested_100000_deep_are_refused(tmp_path: Path) -> None:
    nested = b"[" * 100_000 + b"]" * 100_000
    path = tmp_path / "nested.pdf"
    path.write_bytes(
        pdf_with(
            [
                b"<< /Type /Catalog /Pages 2 0 R /Deep " + nested + b" >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 596] /Annots " + nested + b" >>",
            ]
        )
    )
    refused(path)


def export_bytes() -> bytes:
    canvas = Canvas(load_template())
    canvas.blocks["background"].text = "Text of our own."
    return render_pdf(canvas).data


def test_a_truncated_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(export_bytes()[:3000])
    refused(path)


def test_garbage_after_the_pdf_marker_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 400)
    refused(path)


def test_a_file_that_is_no_pdf_at_all_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("# Background\nnot a PDF\n")
    message, _ = refused(path)
    assert "not a PDF" in message


def test_an_encrypted_pdf_is_refused_with_what_to_do(tmp_path: Path) -> None:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(export_bytes()))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = tmp_path / "locked.pdf"
    path.write_bytes(buffer.getvalue())
    message, _ = refused(path)
    assert "encrypted" in message


def test_the_memory_cap_holds_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    data = export_bytes()
    limits = pdf_sandbox.Limits(memory_bytes=24 * 1024 * 1024)  # too little for pypdf and a page
    with pytest.raises(SourceError, match="more memory or time"):
        pdf_sandbox.run(data, path, limits)
    assert pdf_sandbox.run(data, path).fragments  # with the default caps the same file reads


def test_the_wall_clock_cap_ends_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    limits = pdf_sandbox.Limits(wall_seconds=0.01)  # shorter than starting Python at all
    started = time.monotonic()
    with pytest.raises(SourceError, match="took longer than"):
        pdf_sandbox.run(export_bytes(), path, limits)
    assert time.monotonic() - started < WITHIN_SECONDS
