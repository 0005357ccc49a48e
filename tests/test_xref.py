"""Figures and tables are numbered with captions; references and note markers link to them."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
from IPython.core.formatters import DisplayFormatter
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from maslihat import exporters, i18n
from maslihat.display import enable_report_charts
from maslihat.text import md, table
from maslihat.xref import ReferenceError_, figure, ref


def output(obj) -> dict:
    """The notebook output IPython makes of an object (its MIME bundle and metadata)."""
    data, metadata = DisplayFormatter().format(obj)
    return new_output("display_data", data=data, metadata=metadata)


def chart(title: str) -> alt.Chart:
    frame = pd.DataFrame({"party": ["A", "B"], "seats": [3, 1]})
    return alt.Chart(frame, title=title, description=f"Bars: {title}").mark_bar().encode(
        x="seats:Q", y="party:N"
    )


def markdown_output(text: str) -> dict:
    return new_output("display_data", data={"text/markdown": text})


def sources_output() -> dict:
    page = ('<ol class="maslihat-sources">\n'
            '<li id="source-cec_2021" data-number="1">CEC. Results.</li>\n'
            '<li id="source-kursiv" data-number="2">Kursiv. Counts.</li>\n</ol>')  # fmt: skip
    return new_output("display_data", data={"text/html": page, "text/markdown": "1. CEC"})


def report(*cells) -> dict:
    return new_notebook(cells=list(cells), metadata={"maslihat": {"title": "Test report"}})


def export(nb, lang: str = "en") -> str:
    nb.metadata.setdefault("papermill", {})["parameters"] = {"region": "All", "lang": lang}
    page, _resources = exporters.ReportHTMLExporter(data_downloads=False).from_notebook_node(nb)
    return page


@pytest.fixture(autouse=True)
def report_charts():
    enable_report_charts()


def apparatus_report(reference: str = "fig-seats") -> dict:
    seats = pd.DataFrame({"party": ["A", "B"], "seats": [3, 1]})
    return report(
        new_markdown_cell("# Test report"),
        new_markdown_cell("## Seats\n\nThe seats [1] are in @fig-seats."),
        new_code_cell("say", outputs=[output(md("Counts {r} and {t} [1, 2].", r=ref(reference),
                                                t=ref("tbl-votes")))]),
        new_code_cell("chart", outputs=[output(chart("Unlabelled chart"))]),
        new_code_cell("chart", outputs=[output(figure(chart("Seats by party"), label="fig-seats",
                                                      source="CEC [1]"))]),
        new_markdown_cell("## Votes"),
        new_code_cell("table", outputs=[output(table(seats, {"party": "Party", "seats": "Seats"},
                                                     label="tbl-votes", caption="Votes by party",
                                                     source="Kursiv [2]"))]),
        new_markdown_cell("## Sources"),
        new_code_cell("sources", outputs=[sources_output()]),
    )


def captions(page: str) -> list[str]:
    found = re.findall(r'<figcaption class="maslihat-caption">(.*?)</figcaption>', page, re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in found]


def test_figures_and_tables_are_numbered_in_reading_order_with_their_captions():
    page = export(apparatus_report())
    assert captions(page) == ["Figure 1. Unlabelled chart", "Figure 2. Seats by party",
                              "Table 1. Votes by party"]  # fmt: skip
    # the chart's title is its caption, not a line of the drawn chart (a phone would clip it)
    spec = re.findall(r'class="maslihat-chart-spec"[^>]*>(.*?)</script>', page, re.S)[1]
    assert '"spec":{' in spec and '"title"' not in spec.split('"full"')[0]
    assert re.search(r'<figure [^>]*data-kind="figure" id="fig-seats"', page)
    assert re.search(r'<figure [^>]*data-kind="table" id="tbl-votes"', page)
    # the source line under the chart and the table, its marker linked to the entry
    sources = re.findall(r'<p class="maslihat-source">(.*?)</p>', page, re.S)
    assert [re.sub(r"<[^>]+>", "", s) for s in sources] == ["Source: CEC [1]",
                                                             "Source: Kursiv [2]"]
    assert '<a class="maslihat-note" href="#source-kursiv">2</a>' in sources[1]


def test_references_become_links_with_the_figure_number():
    page = export(apparatus_report())
    refs = re.findall(r'<a class="maslihat-ref" href="#([^"]+)">([^<]+)</a>', page)
    assert ("fig-seats", "Figure 2") in refs  # the Markdown cell's @fig-seats
    assert refs.count(("fig-seats", "Figure 2")) == 2 and ("tbl-votes", "Table 1") in refs
    assert "@fig-" not in page.split("<main")[1] and "@tbl-" not in page.split("<main")[1]


def test_a_reference_to_a_missing_label_fails_naming_it():
    with pytest.raises(ReferenceError_, match=r"'fig-turnout'.*no figure or table.*fig-seats"):
        export(apparatus_report(reference="fig-turnout"))


def test_labels_say_what_they_label():
    with pytest.raises(ReferenceError_, match="must start with 'tbl-'"):
        table(pd.DataFrame({"a": [1]}), {"a": "A"}, label="fig-a")
    with pytest.raises(ReferenceError_, match="'fig-' .* or 'tbl-'"):
        figure(chart("x"), label="turnout")
    with pytest.raises(ReferenceError_):
        ref("see figure 2")


def test_note_markers_link_to_their_source_by_its_id():
    page = export(apparatus_report())
    main = page.split("<main")[1]
    assert re.search(r'\[<a class="maslihat-note" href="#source-cec_2021">1</a>\]', main)
    assert ('[<a class="maslihat-note" href="#source-cec_2021">1</a>, '
            '<a class="maslihat-note" href="#source-kursiv">2</a>]') in main  # fmt: skip
    ids = re.findall(r'<li data-number="\d+" id="([^"]+)"', main)
    assert ids == ["source-cec_2021", "source-kursiv"]
    # every note link has its target in the page
    assert set(re.findall(r'href="#(source-[^"]+)"', main)) <= set(ids)


def test_a_report_of_several_sections_opens_with_linked_contents():
    page = export(apparatus_report())
    toc = re.search(r'<nav [^>]*class="maslihat-toc".*?</nav>', page, re.S)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', toc)
    assert [text for _id, text in links] == ["Seats", "Votes", "Sources"]
    for target, text in links:
        assert re.search(rf'<h2 id="{target}">{text}', page)
    short = report(new_markdown_cell("# Short"), new_markdown_cell("## Only section\n\nText."))
    assert 'class="maslihat-toc"' not in export(short)


@pytest.mark.parametrize(("lang", "figure_2", "table_1", "contents"), [
    # Kazakh joins the number to its noun with a no-break hyphen (2‑сурет is never broken)
    ("kk", "2\u2011сурет", "1\u2011кесте", "Мазмұны"),
    ("ru", "Рисунок 2", "Таблица 1", "Содержание"),
])  # fmt: skip
def test_numbers_and_contents_are_in_the_report_language(lang, figure_2, table_1, contents):
    with i18n.language(lang):
        page = export(apparatus_report(), lang)
    assert captions(page)[1].startswith(figure_2 + ".")
    assert f'href="#tbl-votes">{table_1}</a>' in page
    assert f">{contents}</p>" in page
