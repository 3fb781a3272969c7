"""Reading back a WeasyPrint PDF without a PDF library: its bookmarks (one per heading) are
PDF strings, in the file itself or in zlib-compressed object streams."""

import re
import zlib


def _pdf_string(raw: bytes) -> str:
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data[2:].decode("utf-16-be") if data[:2] == b"\xfe\xff" else data.decode("latin-1")
    inner = raw[1:-1]
    inner = re.sub(rb"\\([()\\])", rb"\1", inner)
    return inner.decode("latin-1")


def bladwijzers(pdf: bytes) -> list[str]:
    """The titles of the PDF's bookmarks (outline), in file order."""
    delen = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            delen.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    blob = b"\n".join(delen)
    return [
        _pdf_string(match.group(1))
        for match in re.finditer(rb"/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))", blob)
    ]
