"""Bytes of one .txt file -> its text and the codec it was decoded from, or the reason it is no article.

Compressed and binary files are rejected; a Unicode BOM decides the codec; then UTF-8. A file that is
not UTF-8 is legacy text: cp1252 (Western European, the encoding of older English news files such as
BBC's) when it reads as Latin-script text in cp1252, exactly as before; otherwise charset-normalizer
names the codec (cp1256 Arabic, cp1251 Cyrillic, Shift-JIS, GB18030...). Its answer is taken only
when it reads as another script than Latin: on Western text it may answer cp1250 where the file is
cp1252, which would turn `£` into `Ł`. A codec it is not sure of is stored as `<codec> (uncertain)`
and counted in the loader's summary; a file no codec fits is rejected with that reason.

Mojibake (UTF-8 that went through cp1252 once: `Iraqâ€™s`) is repaired with ftfy where it is sure;
line endings become `\n`.
"""

from __future__ import annotations

import re
import unicodedata

from scripts.build.load.errors import RejectedFile

CONTROL_CHAR_MAX_RATIO = 0.01
# Decoded as cp1252, Western text has few letters outside ASCII (French about 4%, German about 2%);
# Arabic, Cyrillic or Chinese bytes read that way are nearly all such letters (`æÒÇÑÉ ÇáÏÇÎáíÉ`).
# Above this share of letters the file goes to charset-normalizer.
WESTERN_MAX_NON_ASCII_LETTERS = 0.3
# How much of a text the script checks read.
SCRIPT_SAMPLE_CHARS = 100_000
# charset-normalizer's "mess" of its best answer (0 clean .. 1): above this it is not sure.
CERTAIN_MAX_CHAOS = 0.1
# What source_encoding says after a codec the detector was not sure of.
UNCERTAIN = " (uncertain)"

# (magic bytes, format name); checked against the start of each file.
COMPRESSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
BZIP2_BLOCK_MAGIC = (b"\x31\x41\x59\x26\x53\x59", b"\x17\x72\x45\x38\x50\x90")

# BOMs in the order they must be tested (UTF-32 LE starts with the UTF-16 LE BOM).
UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\xfe\xff", "utf-16"),
    (b"\xff\xfe", "utf-16"),
)
UTF8_BOM = b"\xef\xbb\xbf"
# C0 controls other than tab, newline, vertical tab and form feed (CR is already normalised away).
CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\r]")
# A lead byte of a UTF-8 sequence seen through cp1252/latin-1 followed by a continuation byte seen the
# same way (`â€™` for `’`, `Ã©` for `é`): text that may be mojibake. Only such text is given to ftfy.
MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")


def compression_format(data: bytes) -> str | None:
    """The name of the compression/archive format ``data`` starts with, if any."""
    for magic, name in COMPRESSED_MAGIC:
        if data.startswith(magic):
            return name
    # "BZh" alone is plausible text, so also require the block size digit and block magic.
    if data[:3] == b"BZh" and data[3:4].isdigit() and data[4:10] in BZIP2_BLOCK_MAGIC:
        return "bzip2"
    return None


def decode_article(data: bytes) -> tuple[str, str]:
    """Decode the bytes of one article into (text, encoding name) or raise RejectedFile."""
    if not data:
        raise RejectedFile("empty file")
    compressed = compression_format(data)
    if compressed:
        raise RejectedFile(f"compressed file ({compressed})")
    text, encoding = _decode_bytes(data)
    text = _check_text(text)
    repaired = repair_mojibake(text)
    if repaired != text:
        codec, uncertain = encoding.removesuffix(UNCERTAIN), encoding.endswith(UNCERTAIN)
        return repaired, f"{codec}+ftfy{UNCERTAIN if uncertain else ''}"
    return text, encoding


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as cp1252/latin-1 (`Iraqâ€™s` -> `Iraq’s`) where ftfy is sure; else unchanged.

    Only ftfy's encoding fix is applied (no quote or width changes), and only to text that shows the
    byte pattern of mojibake, so clean text is never touched and costs one regex search.
    """
    if not MOJIBAKE_HINT.search(text):
        return text
    import ftfy  # imported lazily: only mojibake needs it

    return ftfy.fix_encoding(text)


def _decode_bytes(data: bytes) -> tuple[str, str]:
    for bom, codec in UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                if codec == "utf-32":
                    continue  # e.g. UTF-16 LE whose first character is U+0000
                raise RejectedFile(f"undecodable ({codec} BOM but invalid {codec})") from None
    if data.startswith(UTF8_BOM):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            raise RejectedFile("undecodable (utf-8 BOM but invalid utf-8)") from None
    if b"\x00" in data:
        raise RejectedFile("binary file (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_legacy(data)


def _decode_legacy(data: bytes) -> tuple[str, str]:
    """A file that is not UTF-8: cp1252 when it reads as Western text, else what charset-normalizer
    finds when that is another script (see the module docstring)."""
    try:
        western: str | None = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _non_ascii_letter_share(western) <= WESTERN_MAX_NON_ASCII_LETTERS:
        return western, "cp1252"
    detected = _detect(data)
    if detected is not None:
        text, codec, certain = detected
        if western is None or _non_latin_letter_share(text) > 0.5:
            return text, codec if certain else codec + UNCERTAIN
        if text == western:
            return western, "cp1252"
    if western is not None:  # Latin script by every reading, but no codec is sure: as before, said so
        return western, "cp1252" + UNCERTAIN
    raise RejectedFile("undecodable (neither UTF-8 nor any legacy encoding charset-normalizer knows)")


def _detect(data: bytes) -> tuple[str, str, bool] | None:
    """charset-normalizer's best reading of ``data``: (text, codec, whether it is sure), or None."""
    from charset_normalizer import from_bytes  # imported lazily: slow import, rarely needed

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding, best.chaos <= CERTAIN_MAX_CHAOS


def _letters(text: str) -> list[str]:
    """The letters of the start of ``text`` (enough to tell a script; a 50 MB file costs no more)."""
    return [ch for ch in text[:SCRIPT_SAMPLE_CHARS] if ch.isalpha()]


def _non_ascii_letter_share(text: str) -> float:
    letters = _letters(text)
    return sum(1 for ch in letters if not ch.isascii()) / len(letters) if letters else 0.0


def _non_latin_letter_share(text: str) -> float:
    """Share of the letters that are not Latin script (Arabic, Cyrillic, CJK...)."""
    letters = _letters(text)
    if not letters:
        return 0.0
    other = sum(1 for ch in letters if not ch.isascii() and not unicodedata.name(ch, "").startswith("LATIN"))
    return other / len(letters)


def _check_text(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise RejectedFile("binary file (NUL bytes)")
    controls = len(CONTROL_CHARS.findall(text))
    if controls > CONTROL_CHAR_MAX_RATIO * len(text):
        raise RejectedFile("binary file (control characters)")
    if not text.strip():
        raise RejectedFile("only whitespace")
    return text
