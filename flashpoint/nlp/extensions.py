"""The ``doc._.fp_*`` attributes that flashpoint's pipeline components read and write.

Registered once at import, guarded by ``has_extension``. Every value is plain JSON-able data so a
Doc can be serialised (DocBin) and shipped between workers. The item shapes are the contract
between the stages:

``doc._.fp_anchor``   ``"YYYY-MM-DD"`` publication date used to resolve relative dates, or None.
``doc._.fp_story_id`` the story id the events will carry.
``doc._.fp_actors``   actor mentions, in text order::

    {"text", "start", "end",            # char offsets into doc.text
     "token_start", "token_end",        # token span [start, end)
     "head",                            # token index of the mention's syntactic head
     "name", "code", "sector", "office",# resolved entity: "Sergei Lavrov", "RUS", "GOV", "foreign minister"
     "kind",                            # country | igo | ngo | group | person | role | pronoun | bloc
     "how"}                             # why: "knowledge:countries:moscow", "story-role", "coref:Lavrov"

``doc._.fp_dates``    time expressions: ``{"text", "start", "end", "token_start", "token_end",
                      "value", "precision", "range"}`` (value/precision/range as ``TimeRef``).
``doc._.fp_places``   toponyms: ``{"text", "start", "end", "token_start", "token_end", "name",
                      "geonameid", "lat", "lon", "country_code", "admin1", "feature", "resolution"}``
                      (country_code is ISO 3166 alpha-3).
``doc._.fp_events``   events as ``Event.to_dict()``.
"""

from __future__ import annotations

from spacy.tokens import Doc

DOC_EXTENSIONS: dict[str, object] = {
    "fp_anchor": None,
    "fp_story_id": "",
    "fp_actors": None,
    "fp_dates": None,
    "fp_places": None,
    "fp_events": None,
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
