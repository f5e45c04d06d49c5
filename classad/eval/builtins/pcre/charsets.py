"""Byte sets: a set of bytes is a 256-bit mask (bit ``c`` for byte ``c``).  The C-locale (ASCII)
classes and case folding of PCRE2's 8-bit non-UTF mode, the POSIX class names, and the Latin-1
code points of the Unicode properties ``\\p{..}`` names."""

from __future__ import annotations

import unicodedata

from classad.eval.builtins.pcre.errors import PatternError

ALL = (1 << 256) - 1


def _bits(*ranges: tuple[int, int]) -> int:
    m = 0
    for lo, hi in ranges:
        m |= ((1 << (hi - lo + 1)) - 1) << lo
    return m


def _chars(s: bytes) -> int:
    m = 0
    for c in s:
        m |= 1 << c
    return m


NEWLINE = 1 << 10
DIGIT = _bits((0x30, 0x39))
UPPER = _bits((0x41, 0x5A))
LOWER = _bits((0x61, 0x7A))
ALPHA = UPPER | LOWER
ALNUM = ALPHA | DIGIT
WORD = ALNUM | (1 << 0x5F)
SPACE = _bits((0x09, 0x0D), (0x20, 0x20))
HSPACE = _chars(b"\x09\x20\xa0")
VSPACE = _bits((0x0A, 0x0D)) | (1 << 0x85)
GRAPH = _bits((0x21, 0x7E))
POSIX = {
    b"alpha": ALPHA,
    b"digit": DIGIT,
    b"alnum": ALNUM,
    b"upper": UPPER,
    b"lower": LOWER,
    b"space": SPACE,
    b"blank": _chars(b"\t "),
    b"cntrl": _bits((0x00, 0x1F), (0x7F, 0x7F)),
    b"graph": GRAPH,
    b"print": _bits((0x20, 0x7E)),
    b"punct": GRAPH & ~ALNUM,
    b"xdigit": DIGIT | _bits((0x41, 0x46), (0x61, 0x66)),
    b"word": WORD,
    b"ascii": _bits((0x00, 0x7F)),
}


def fold(mask: int) -> int:
    """Add the other ASCII case of every letter in ``mask`` (PCRE2's C-locale tables)."""
    return mask | ((mask & UPPER) << 32) | ((mask & LOWER) >> 32)


def _category_mask(pred: object) -> int:
    m = 0
    for c in range(256):
        if pred(unicodedata.category(chr(c))):  # type: ignore[operator]
            m |= 1 << c
    return m


_CATEGORIES = (
    "C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs"
).split()
# Unicode 11 script names PCRE2 10.32 knows; only Latin and Common have code points below 256.
_SCRIPTS = frozenset(
    (
        "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak "
        "Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian "
        "Caucasian_Albanian Chakma Cham Cherokee Common Coptic Cuneiform Cypriot Cyrillic Deseret "
        "Devanagari Dogra Duployan Egyptian_Hieroglyphs Elbasan Ethiopic Georgian Glagolitic Gothic "
        "Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran "
        "Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian "
        "Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi Khmer Khojki Khudawadi Lao Latin "
        "Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic "
        "Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive "
        "Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean New_Tai_Lue Newa Nko "
        "Nushu Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian "
        "Old_Sogdian Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene "
        "Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada "
        "Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri "
        "Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai "
        "Tibetan Tifinagh Tirhuta Ugaritic Vai Warang_Citi Yi Zanabazar_Square"
    ).split()
)
_PROPS: dict[bytes, int] | None = None
"""The table of :func:`_property`, built on first use.  It is built whole in a local and then
published with one store, so a thread never sees it half filled (two threads may both build it)."""


def _property_table() -> dict[bytes, int]:
    props: dict[bytes, int] = {}
    for cat in _CATEGORIES:
        if len(cat) == 1:
            props[cat.encode()] = _category_mask(lambda c, cat=cat: c[0] == cat)
        else:
            props[cat.encode()] = _category_mask(lambda c, cat=cat: c == cat)
    props[b"Any"] = ALL
    props[b"L&"] = props[b"Lu"] | props[b"Ll"] | props[b"Lt"]
    letters = props[b"L"]
    numbers = props[b"N"]
    props[b"Xan"] = letters | numbers
    props[b"Xwd"] = letters | numbers | (1 << 0x5F)
    props[b"Xsp"] = props[b"Z"] | _chars(b"\t\n\x0b\x0c\r")
    props[b"Xps"] = props[b"Xsp"]
    props[b"Xuc"] = _chars(b"$@`") | _bits((0xA0, 0xFF))
    latin = letters & ~_chars(b"\xb5")  # MICRO SIGN is Common
    props[b"Latin"] = latin
    props[b"Common"] = ALL & ~latin
    for s in _SCRIPTS:
        props.setdefault(s.encode(), 0)
    return props


def _property(name: bytes) -> int:
    """The Latin-1 code points with Unicode property ``name`` (``\\p{name}``)."""
    global _PROPS
    props = _PROPS
    if props is None:
        props = _PROPS = _property_table()
    m = props.get(name)
    if m is None:
        raise PatternError("unknown property name")
    return m
