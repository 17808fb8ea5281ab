"""Vietnamese text for search and sorting, the same on SQLite and PostgreSQL.

Neither database folds Vietnamese accents in an indexable way on both engines, so the
folded and sortable forms are computed here and stored in indexed columns.
"""

import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A search is a few words of a name or a title. Longer ones find nothing more and cost the
# database: SQLite refuses a condition of a thousand words, PostgreSQL took 10 s over one
# word of 100,000 letters.
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 10

# Marks that make another letter of the alphabet (ă â ê ô ơ ư), as opposed to tones.
LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tones in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc),
# dot below (nặng).
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# The Vietnamese alphabet, with the letters foreign names use in their Latin places.
ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
LETTER_CODES = {letter: f"{20 + index:02d}" for index, letter in enumerate(ALPHABET)}
DIGIT_CODES = {str(digit): f"{10 + digit:02d}" for digit in range(10)}
WORD_BREAK = "00"
NUMBER = "01"  # before a number's length and digits: numbers sort before words of letters
KEY_LENGTH = 300  # the sort keys' columns


# The words of names come back again and again (Nguyễn, Thị, Văn): each is worked out once.
WORDS_REMEMBERED = 65_536


def fold(text):
    """Lower case words without tones, letter marks or punctuation, đ as d:
    “Thượng Thanh” → “thuong thanh”."""
    return " ".join(filter(None, map(fold_word, (text or "").split())))


@functools.lru_cache(maxsize=WORDS_REMEMBERED)
def fold_word(word):
    """`fold` of a word without spaces (punctuation inside it makes several words)."""
    decomposed = unicodedata.normalize("NFD", word.casefold().replace("đ", "d"))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    # Punctuation separates words: “Dân vận khéo”, (Tổ 5), đường-phố.
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def slug(text):
    """A name as a file name takes it: “Thành viên Thượng Thanh” → “thanh-vien-thuong-thanh”."""
    return fold(text).replace(" ", "-")


def letters_and_tones(word):
    """The letters of `word` (ă, ơ … as single letters) and the tone on each."""
    letters, tones = [], []
    for cluster in unicodedata.normalize("NFD", word.casefold()):
        if unicodedata.combining(cluster):
            if cluster in LETTER_MARKS and letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + cluster)
            elif cluster in TONES and tones:
                tones[-1] = TONES[cluster]
            continue
        letters.append(cluster)
        tones.append(0)
    return letters, tones


def sort_key(full_name):
    """A key that sorts people the Vietnamese way: by given name (the last word), then family
    and middle names (`words_key`)."""
    words = (full_name or "").split()
    return words_key(words[-1:] + words[:-1])


def name_sort_key(name):
    """A key that sorts the names of units (wards, managing units) the Vietnamese way: word
    by word as written (`words_key`): Dương Xá, Đức Giang; Phúc Đồng, Phúc Lợi; Thạch Bàn,
    Thượng Thanh; Phường 2, Phường 10."""
    return words_key((name or "").split())


def words_key(words):
    """Each word by its letters in alphabet order (a ă â b c d đ …), then by its tones; a
    number by its value, before any word of letters.

    Made of digits only, so that any collation orders it as a byte string would.
    """
    return "".join(map(word_key, words))[:KEY_LENGTH]


@functools.lru_cache(maxsize=WORDS_REMEMBERED)
def word_key(word):
    """A word's part of `words_key`."""
    letters, tones = letters_and_tones(word)
    parts = []
    if word.isdigit():
        letters = list(word.lstrip("0") or "0")  # 02 is 2: before 3, and 10
        tones = [0] * len(letters)
        parts += [NUMBER, f"{min(len(letters), 99):02d}"]
    parts += [LETTER_CODES.get(letter, DIGIT_CODES.get(letter, "")) for letter in letters]
    parts.append(WORD_BREAK)
    # Equal letters mean as many tones, so the next word's codes still line up.
    parts += [str(tone) for tone in tones]
    return "".join(parts)


def validate_search(query):
    """Refuse a search longer than SEARCH_MAX_LENGTH characters or SEARCH_MAX_WORDS words."""
    if len(query) > SEARCH_MAX_LENGTH or len(query.split()) > SEARCH_MAX_WORDS:
        raise ValidationError(
            _("Search with at most %(words)s words and %(length)s characters."),
            code="search_too_long",
            params={"words": SEARCH_MAX_WORDS, "length": SEARCH_MAX_LENGTH},
        )


def search_filter(query, field="search_text"):
    """Rows whose folded `field` has a word starting with each word of `query`: “nguyen van”
    finds “Nguyễn Văn An”, “thuong” finds “Thượng Thanh”."""
    condition = Q()
    for word in fold(query).split():
        condition &= Q(**{f"{field}__contains": " " + word})
    return condition
