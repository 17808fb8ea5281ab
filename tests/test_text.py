"""Folding for accent-free search, and the Vietnamese order of people's names."""

import random

import pytest

from core.text import fold, name_sort_key, sort_key


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Thượng Thanh", "thuong thanh"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("  ĐÀO   Ngọc  Triệu ", "dao ngoc trieu"),
        ("Phường Ngọc Thụy", "phuong ngoc thuy"),
        ("", ""),
    ],
)
def test_fold_removes_tones_and_letter_marks_and_reads_đ_as_d(text, folded):
    assert fold(text) == folded


# In Vietnamese dictionary order: by given name, letters a ă â b c d đ … o ô ơ …, then tones.
ORDERED = [
    "Lê A",
    "Lê Văn An",
    "Nguyễn Văn Anh",
    "Trần Thị Ánh",
    "Phạm Thị Ăn",
    "Đỗ Văn Âu",
    "Trần B",
    "Bùi Thị Bình",
    "Hồ Văn Dũng",
    "Vũ Văn Đạt",
    "Đặng Văn Ôn",
    "Lý Văn Ông",
    "Ngô Thị Ơn",
    "Nguyễn Thị Yến",
]


def test_sort_key_orders_by_given_name_then_family_in_vietnamese_alphabet():
    shuffled = ORDERED[:]
    random.Random(7).shuffle(shuffled)

    assert sorted(shuffled, key=sort_key) == ORDERED


def test_sort_key_family_and_middle_names_break_ties_on_the_given_name():
    assert sorted(["Trần Văn An", "Lê Thị An", "Lê Văn An"], key=sort_key) == [
        "Lê Thị An",
        "Lê Văn An",
        "Trần Văn An",
    ]


def test_sort_key_is_digits_only_so_every_collation_agrees():
    assert all(sort_key(name).isdigit() for name in ORDERED)


# Long Biên's fourteen wards of 2019 as a byte-wise sort lists them: Đức Giang last.
LONG_BIEN_WARDS = [
    "Bồ Đề",
    "Cự Khối",
    "Gia Thụy",
    "Giang Biên",
    "Long Biên",
    "Ngọc Lâm",
    "Ngọc Thụy",
    "Phúc Đồng",
    "Phúc Lợi",
    "Sài Đồng",
    "Thạch Bàn",
    "Thượng Thanh",
    "Việt Hưng",
    "Đức Giang",
]


def test_name_sort_key_orders_units_word_by_word_in_vietnamese_alphabet():
    shuffled = LONG_BIEN_WARDS[:]
    random.Random(3).shuffle(shuffled)

    assert sorted(shuffled, key=name_sort_key) == [
        "Bồ Đề",
        "Cự Khối",
        "Đức Giang",
        "Gia Thụy",
        "Giang Biên",
        "Long Biên",
        "Ngọc Lâm",
        "Ngọc Thụy",
        "Phúc Đồng",
        "Phúc Lợi",
        "Sài Đồng",
        "Thạch Bàn",
        "Thượng Thanh",
        "Việt Hưng",
    ]


def test_name_sort_key_orders_numbers_by_value_before_words():
    assert sorted(["Phường 10", "Phường Bắc", "Phường 2", "Phường 1"], key=name_sort_key) == [
        "Phường 1",
        "Phường 2",
        "Phường 10",
        "Phường Bắc",
    ]
