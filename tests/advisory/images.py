"""Real image files, honest and hostile, made in the test with Pillow or by hand."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image, PngImagePlugin


def png(size: tuple[int, int] = (120, 60), colour: str = "#1f4e79", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG", **save)
    return out.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-author-name")
    info.add_text("Comment", "<script>alert(1)</script>")
    out = io.BytesIO()
    image = Image.new("RGBA", (80, 40), (200, 30, 30, 128))
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def jpeg(size: tuple[int, int] = (120, 60), *, exif_note: str = "") -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, "#335577")
    extra = {}
    if exif_note:
        exif = Image.Exif()
        exif[0x010E] = exif_note  # ImageDescription
        exif[0x013B] = "Photographer Name"  # Artist
        extra["exif"] = exif.tobytes()
    image.save(out, format="JPEG", quality=90, **extra)
    return out.getvalue()


def png_with_trailing_script() -> bytes:
    """A valid PNG with an HTML script after its end: a polyglot a browser might sniff."""
    return png() + b"<html><script>alert(document.cookie)</script></html>"


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small JPEG whose frame header claims ``width`` × ``height`` pixels."""
    data = bytearray(jpeg((16, 16)))
    for marker in (b"\xff\xc0", b"\xff\xc2"):
        at = data.find(marker)
        if at != -1:
            # SOFn: marker, length (2), precision (1), height (2), width (2)
            data[at + 5 : at + 9] = struct.pack(">HH", height, width)
            return bytes(data)
    raise AssertionError("no SOF marker")


def png_bomb(side: int = 20_000) -> bytes:
    """A tiny PNG that decodes to side × side pixels of zeros (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def truncated_png() -> bytes:
    """The first half of a real (noisy, so barely compressible) PNG."""
    out = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(out, format="PNG")
    return out.getvalue()[: len(out.getvalue()) // 2]


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 64
    + b"PE\x00\x00"
    + b"\x00" * 200
)
TEXT = b"This is not an image, whatever its name says.\n"
