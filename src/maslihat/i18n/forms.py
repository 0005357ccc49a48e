"""Grammatical forms a translation can ask of a placeholder's value with a format spec.

    Kazakh:  {n:acc} → '3 246-ны', {time:attr} → '22:10-дағы', {share:adj} → '7 пайыздық',
             {body:loc} → 'Ақмола облыстық мәслихатында' (an inflected name's own form)
    Russian: {body:gen} → 'Акмолинского областного маслихата', {body:prep} → '… маслихате'

An `Inflected` value (a name with its forms from the data, such as `body_name`) gives the form it
holds; any other value in Kazakh gets the case suffix `maslihat.i18n.kazakh.with_case` chooses.
"""

from __future__ import annotations

# The specs a translation may use, by language, with what they mean.
CASES = {
    "kk": {
        "nom": "nominative",
        "gen": "genitive",
        "dat": "dative",
        "acc": "accusative",
        "loc": "locative",
        "abl": "ablative",
        "ins": "instrumental",
        "attr": "attributive locative (-дағы/-дегі)",
        "adj": "adjective (-лық/-дық/-тық)",
    },
    "ru": {
        "nom": "nominative",
        "gen": "genitive",
        "dat": "dative",
        "acc": "accusative",
        "ins": "instrumental",
        "prep": "prepositional",
    },
    "en": {"nom": "nominative"},
}
FORM_NAMES = {
    "nom": "nominative", "gen": "genitive", "dat": "dative", "acc": "accusative",
    "loc": "locative", "abl": "ablative", "ins": "instrumental", "prep": "prepositional",
}  # fmt: skip


class Inflected(str):
    """A name that prints in the nominative and holds its other forms (by FORM_NAMES value)."""

    forms: dict[str, str]

    def __new__(cls, nominative: str, forms: dict[str, str] | None = None) -> Inflected:
        name = super().__new__(cls, nominative)
        name.forms = {"nominative": nominative, **{k: v for k, v in (forms or {}).items() if v}}
        return name

    def form(self, form: str) -> str:
        """The name in a form ('genitive' or its spec 'gen'); KeyError naming the forms held."""
        wanted = FORM_NAMES.get(form, form)
        if wanted not in self.forms:
            raise KeyError(
                f"{str(self)!r} has no {wanted} form; it has: {', '.join(self.forms)}"
            )
        return self.forms[wanted]


def grammatical_form(value: object, spec: str, lang: str) -> str | None:
    """The form a spec asks of a value in `lang`, or None when the spec is not a grammatical one
    (then it is an ordinary format spec, such as '.1f')."""
    if not spec or not spec.isalpha():
        return None
    cases = CASES.get(lang, {})
    if spec not in cases:
        every = sorted({s for specs in CASES.values() for s in specs})
        if spec in every:
            raise ValueError(
                f"the case {spec!r} is not one of the {lang} forms: use "
                + ", ".join(f"{s} ({what})" for s, what in cases.items())
            )
        return None
    if isinstance(value, Inflected) and (spec in FORM_NAMES or spec == "nom"):
        try:
            return value.form(spec)
        except KeyError:
            if lang != "kk":
                raise
    if spec == "nom":
        return str(value)
    held = value.forms if isinstance(value, Inflected) else {}
    if lang == "kk" and spec == "attr" and "locative" in held:
        from maslihat.i18n.kazakh import is_back  # мәслихатында → мәслихатындағы

        locative = held["locative"]
        return locative + ("ғы" if is_back(locative.split()[-1]) else "гі")
    if lang == "kk":
        from maslihat.i18n.kazakh import with_case

        return with_case(str(value), spec)
    raise ValueError(
        f"{str(value)!r} is not an inflected name: it has no {FORM_NAMES[spec]} form (a place's "
        "forms are in data/place_forms.csv, a mäslihat's in data/body_names.csv)"
    )
