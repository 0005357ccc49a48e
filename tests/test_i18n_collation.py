"""Alphabetical order in the report's language."""

from __future__ import annotations

from maslihat import i18n

# The Kazakh alphabet's order (… К Қ Л …, … Ұ Ү …, Ш … Ы І), not the English
# names' order.
KAZAKH_REGIONS = [
    "Ақмола облысы", "Ақтөбе облысы", "Алматы облысы", "Атырау облысы", "Батыс Қазақстан облысы",
    "Жамбыл облысы", "Қарағанды облысы", "Қостанай облысы", "Қызылорда облысы",
    "Маңғыстау облысы", "Павлодар облысы", "Солтүстік Қазақстан облысы", "Түркістан облысы",
    "Шығыс Қазақстан облысы",
]  # fmt: skip


def test_kazakh_names_sort_in_the_kazakh_alphabet():
    assert i18n.collated(reversed(KAZAKH_REGIONS), "kk") == KAZAKH_REGIONS
    # letters of the Kazakh alphabet in its order: Ә after А, Ғ after Г, Қ after К, Ң after Н,
    # Ө after О, Ұ before Ү, Һ after Х, І after Ы
    letters = ["а", "ә", "б", "г", "ғ", "к", "қ", "н", "ң", "о", "ө", "у", "ұ", "ү", "х", "һ",
               "ы", "і"]  # fmt: skip
    assert i18n.collated(reversed(letters), "kk") == letters


def test_russian_and_english_sort_as_their_alphabets():
    assert i18n.collated(["Ёлки", "Жезказган", "Елец", "Актобе"], "ru") == [
        "Актобе", "Елец", "Ёлки", "Жезказган"
    ]
    assert i18n.collated(["West", "aktobe", "Akmola"], "en") == ["Akmola", "aktobe", "West"]


def test_tables_and_place_lists_follow_the_report_language():
    from maslihat import analysis
    from maslihat.data import load_all
    from maslihat.names import shown
    from maslihat.params import valid_regions

    data = load_all()
    with i18n.language("kk"):
        grid = [shown(r) for r in analysis.regional_seat_grid(data)["region"] if r != "Total"]
        assert grid == KAZAKH_REGIONS
        assert [shown(r) for r in analysis.seats_by_region(data)["region"]] == KAZAKH_REGIONS
        places = [shown(p) for p in valid_regions(data)]
        assert places[1:15] == KAZAKH_REGIONS and places[15:] == ["Алматы", "Нұр-Сұлтан",
                                                                   "Шымкент"]  # fmt: skip
    with i18n.language("en"):
        assert valid_regions(data)[1:4] == ["Akmola", "Aktobe", "Almaty Region"]
