"""Firm logos: decoded and re-encoded by the app itself before anything is stored.

An upload is only trusted once Pillow has decoded every pixel of it as a PNG or JPEG within the
limits below. What is stored is a fresh PNG made from those pixels, without the uploaded
file's metadata or anything appended to it, so a file that merely looks like an image (an
SVG, a PDF, a renamed executable, a polyglot with a script after the image data) is either
refused or reduced to its pixels. Files go through Django's storage API, named by their
SHA-256; memo versions keep referring to the logo they were made with, so a replaced logo's
file is never deleted.
"""

from __future__ import annotations

import hashlib
import io
import math
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageFile, UnidentifiedImageError

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 4000
# What is kept: plenty for the memo's title block at print resolution and for a retina header.
STORED_MAX_SIZE = (1200, 600)
FORMATS = ("PNG", "JPEG")
FOLDER = "logos"


class LogoError(ValueError):
    """The upload is not a logo the app accepts; the message says why and what is expected."""


def _refuse(reason: str) -> LogoError:
    return LogoError(f"{reason} Upload a PNG or JPEG of at most 2 MB and 4,000 × 4,000 pixels.")


_strict = threading.Lock()


@contextmanager
def _strict_decoding() -> Iterator[None]:
    """Pillow's decoders refuse a truncated file for the length of the block.

    WeasyPrint switches Pillow's process-wide LOAD_TRUNCATED_IMAGES on when it is imported
    (the worker, the tests), and a truncated logo would then be padded with grey instead of
    refused. The setting is global, so it is changed under a lock and put back at once.
    """
    with _strict:
        before = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = before


def logo_clean(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload re-encoded as a metadata-free PNG, or LogoError."""
    if size is not None and size > MAX_BYTES:
        raise _refuse(f"The file is {math.ceil(size / 1024):,} KB, over the limit.")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse("The file is over the size limit.")
    if not data:
        raise _refuse("The file is empty.")
    try:
        with _strict_decoding(), warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns; a decompression bomb is refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            # The header is read; the pixels are not yet. Check the declared size before
            # decoding, so a small file claiming to be enormous is never expanded.
            width, height = image.size
            if width > MAX_SIDE or height > MAX_SIDE:
                raise _refuse(f"The image is {width:,} × {height:,} pixels.")
            image.load()
    except LogoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("The image claims to be far larger than the limit.") from None
    except UnidentifiedImageError:
        raise _refuse("This file is not a PNG or JPEG image.") from None
    except (OSError, SyntaxError, ValueError, EOFError):
        # Pillow's ways of saying the image data is truncated or corrupt.
        raise _refuse("This image could not be read in full; it may be damaged.") from None
    return _reencoded(image)


def _reencoded(image: Image.Image) -> bytes:
    if image.mode not in ("RGB", "RGBA"):
        has_alpha = image.mode in ("LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail(STORED_MAX_SIZE, Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)  # a new image: no text chunks, EXIF, ICC profile or comments carried over
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def logo_store(content: bytes) -> str:
    """Stores a cleaned logo and returns its name in storage. The same logo twice is one file."""
    name = f"{FOLDER}/{hashlib.sha256(content).hexdigest()}.png"
    if not default_storage.exists(name):
        stored = default_storage.save(name, ContentFile(content))
        if stored != name:  # a race with an identical upload; keep one copy
            default_storage.delete(stored)
    return name


def logo_read(name: str) -> bytes | None:
    """A stored logo's bytes, or None when there is none or it cannot be read."""
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None
