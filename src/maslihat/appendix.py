"""The back of every report: methodology, data quality and corrections, said once here.

`show_methodology(data, topics)` prints the short definitions a report relies on (which turnout
is used where, what pooled votes are, the indices, the threshold's base); `show_data_quality`
lists only the audit's problems, counting the checks that pass in one sentence;
`show_corrections` prints what changed in the data that a reader of an earlier report should know
(data/corrections.csv).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from IPython.display import Markdown, display

from maslihat.audit import Finding, findings_for_region
from maslihat.data import ElectionData
from maslihat.i18n import N_, _, current, long_date, n_
from maslihat.i18n.abbreviations import spelled_out
from maslihat.params import ALL
from maslihat.text import md, num, pct

# Each topic a report can rely on, as one bullet: a bold term and its definition. The numbers in
# them are filled from the data (METHOD_VALUES); translators see each bullet whole.
METHODS = {
    "turnout": N_(
        "**Turnout.** The national figure is the official final turnout of the Mazhilis "
        "election held the same day on the same voter lists ({mazhilis}, Central Election "
        "Commission): no official turnout of the mäslihat elections alone is published (the "
        "Wikipedia article's {local} names no source). Regions and cities are compared at the "
        "last count of polling day ({as_of}, preliminary), so every place is measured alike."
    ),
    "pooled": N_(
        "**Pooled votes.** Each party's votes added up over every mäslihat election, as the "
        "Wikipedia article's summary gives them. A voter votes for two or three mäslihats at "
        "once (the regional one and a city or district one), so pooled votes count ballots, not "
        "voters, and their shares are not a national vote share."
    ),
    "levels": N_(
        "**Regional and municipal seats.** The regional seats ({regional}) are those of the 14 "
        "regional mäslihats. The capital and the cities of republican significance elect "
        "mäslihats of the same level, reported separately and shown beside the regions, not "
        "added to them; their seats count among the municipal seats ({municipal}), with those of "
        "the city and district mäslihats."
    ),
    "threshold": N_(
        "**Threshold.** A party list wins seats only with at least {threshold} of the votes of "
        "all voters who took part, invalid ballots included. The published shares are shares of "
        "the valid votes, so a list just above {threshold} of them may still fall short of the "
        "legal threshold; the data has no count of invalid ballots for most mäslihats, so the "
        "reports measure the threshold against the valid votes and say so."
    ),
    "enp": N_(
        "**Effective number of parties** (Laakso and Taagepera): 1 divided by the sum of the "
        "squared seat shares. It is 1 when one party holds every seat and 2 for two equal "
        "parties."
    ),
    "gallagher": N_(
        "**Gallagher index**: the square root of half the sum of the squared differences "
        "between each party's share of the votes and its share of the seats, in points; 0 when "
        "seats follow votes exactly."
    ),
    "allocation": N_(
        "**Seat allocation.** Seats go to the lists over the threshold by largest remainders on "
        "a Hare quota (the qualifying votes divided by the seats). Where a city published its "
        "votes, the reports allocate its seats this way and compare them with the published "
        "seats."
    ),
}
TOPICS = tuple(METHODS)


def _method_values(data: ElectionData) -> dict[str, str]:
    """The figures the methodology bullets quote, in the report's language."""
    from maslihat.analysis import final_turnout, latest_count
    from maslihat.figures import count

    return {
        "mazhilis": pct(final_turnout(data, "Mazhilis"), None),
        "local": pct(final_turnout(data, "maslihats"), None),
        "as_of": latest_count(data),
        "regional": num(count(data, "seats", "regional")),
        "municipal": num(count(data, "seats", "municipal")),
        "threshold": pct(float(data.facts["threshold_pct"]), None),
    }


def show_methodology(data: ElectionData, topics: Sequence[str] = TOPICS) -> None:
    """The methodology bullets of the topics a report relies on, in the report's language."""
    unknown = [t for t in topics if t not in METHODS]
    if unknown:
        raise ValueError(f"unknown methodology topics {unknown}; valid topics: {', '.join(TOPICS)}")
    values = _method_values(data)
    display(Markdown("\n".join(f"- {md(METHODS[t], **values).data}" for t in topics)))


Cite = Callable[[Iterable[str]], str]


def show_data_quality(
    findings: list[Finding], cite: Cite, region: str = ALL, topics: tuple[str, ...] = ()
) -> None:
    """The audit's problems that touch a report (its place, and tables whose names start with
    one of `topics`, or all), each with its sources' markers; the checks that pass counted in
    one sentence, not listed."""
    relevant = [
        f
        for f in findings_for_region(findings, region, include_ok=True)
        if not topics or any(t.startswith(p) for t in f.tables for p in topics)
    ]
    problems = [f for f in relevant if not f.ok]
    passed = len(relevant) - len(problems)
    if not problems:
        display(Markdown(n_(
            "The {n} check of these figures finds no problem.",
            "All {n} checks of these figures find no problem.", len(relevant), n=num(len(relevant)),
        )))  # fmt: skip
        return
    display(Markdown(n_(
        "{passed} of the {n} check of these figures finds no problem; the sources disagree, or "
        "do not add up, in these:",
        "{passed} of the {n} checks of these figures find no problem; the sources disagree, or "
        "do not add up, in these:", len(relevant), passed=num(passed), n=num(len(relevant)),
    )))  # fmt: skip
    listed = "\n".join(f"- {f.summary} {cite(f.sources)}".rstrip() for f in problems)
    display(Markdown(spelled_out(listed)))  # running text: 'ЦИК (…)' the first time


def show_corrections(data: ElectionData) -> None:
    """The data's corrections that a reader of an earlier report should know, newest first, in
    the report's language (English where a text is missing)."""
    rows = data.corrections
    if rows.empty:
        display(Markdown(_("No figure has been corrected.")))
        return
    lang = current()
    chosen = rows[rows["lang"] == lang]
    if chosen.empty:
        chosen = rows[rows["lang"] == "en"]
    chosen = chosen.sort_values(["published", "version"], ascending=False, kind="stable")
    lines = [
        md("**{version}** ({date}): {text}", version=r.version, date=long_date(r.published),
           text=r.text).data
        for r in chosen.itertuples()
    ]  # fmt: skip
    display(Markdown("\n".join(f"- {line}" for line in lines)))

