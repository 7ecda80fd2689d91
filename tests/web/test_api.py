"""The REST API against a real `flashpoint serve` on 127.0.0.1 and a real store file."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

pytestmark = pytest.mark.slow


def events(client: httpx.Client, **params: object) -> dict:
    response = client.get("/api/events", params={"page_size": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


def ids(page: dict) -> set[str]:
    return {record["id"] for record in page["events"]}


def expected(corpus, keep) -> set[str]:  # type: ignore[no-untyped-def]
    return {event.id for event in corpus.events if keep(event)}


# ------------------------------------------------------------------------------------------ health


def test_health_counts_the_store(client: httpx.Client, corpus) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["read_only"] is True
    assert health["events"] == len(corpus.events) and health["articles"] == len(corpus.articles)


# ------------------------------------------------------------------------------------------ events


def test_events_without_filters_are_every_event_in_date_order(client: httpx.Client, corpus) -> None:
    page = events(client)
    assert page["total"] == len(corpus.events) and ids(page) == {event.id for event in corpus.events}
    dates = [record["date"] for record in page["events"]]
    assert dates == sorted(dates)
    first = page["events"][0]
    assert {"actor", "recipient", "event_loc", "text_info", "story_title"} <= set(first)
    assert first["story_title"].startswith("Story test-")


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        (
            {"date_from": "2014-03-02", "date_to": "2014-03-04"},
            lambda e: "2014-03-02" <= e.date <= "2014-03-04",
        ),
        ({"actor": "RUS"}, lambda e: e.actor[0].code == "RUS"),
        ({"actor": "usa"}, lambda e: e.actor[0].code == "USA"),
        ({"recipient": "UKR"}, lambda e: e.recipient[0].code == "UKR"),
        ({"dyad": "RUS-UKR"}, lambda e: (e.actor[0].code, e.recipient[0].code) == ("RUS", "UKR")),
        ({"type": "ASSAULT"}, lambda e: e.event == "ASSAULT"),
        ({"type": "ASSAULT,coerce"}, lambda e: e.event in ("ASSAULT", "COERCE")),
        ({"type": "FIGHT"}, lambda e: e.event == "ASSAULT"),  # PLOVER 1 name, mapped by the ontology
        ({"quad": 1}, lambda e: e.quad_code == 1),
        ({"country": "USA"}, lambda e: e.event_loc is not None and e.event_loc.country_code == "USA"),
        (
            {"bbox": "30,44,40,46"},
            lambda e: e.event_loc is not None and e.event_loc.resolved_place == "Simferopol",
        ),
        ({"text": "TROOPS"}, lambda e: "troops" in e.text_info.text.lower()),
        ({"text": "%"}, lambda e: False),  # literal, not a wildcard
        (
            {"dyad": "RUS-UKR", "type": "ASSAULT", "date_from": "2014-03-09"},
            lambda e: e.event == "ASSAULT" and e.date >= "2014-03-09" and e.actor[0].code == "RUS",
        ),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_each_filter_selects_exactly_its_events(client: httpx.Client, corpus, params, keep) -> None:  # type: ignore[no-untyped-def]
    page = events(client, **params)
    assert ids(page) == expected(corpus, keep), params
    assert page["total"] == len(page["events"])


def test_a_story_filter_lists_that_article_s_events(client: httpx.Client, corpus) -> None:
    page = events(client, story_id="test-02")
    assert ids(page) == expected(corpus, lambda e: e.story_id == "test-02") and page["total"] == 2


def test_pages_cover_every_event_once_and_reverse_with_order_desc(client: httpx.Client, corpus) -> None:
    seen: list[str] = []
    first = client.get("/api/events", params={"page_size": 4}).json()
    assert first["pages"] == -(-len(corpus.events) // 4) and first["total"] == len(corpus.events)
    for page in range(1, first["pages"] + 1):
        seen += [
            r["id"] for r in client.get("/api/events", params={"page_size": 4, "page": page}).json()["events"]
        ]
    assert len(seen) == len(set(seen)) == len(corpus.events)
    newest = [
        r["id"]
        for r in client.get("/api/events", params={"page_size": 500, "order": "desc"}).json()["events"]
    ]
    assert newest == list(reversed(seen))
    assert client.get("/api/events", params={"page": 99}).json()["events"] == []


def test_post_search_answers_as_get(client: httpx.Client) -> None:
    query = {"dyad": "RUS-UKR", "type": "ASSAULT", "page_size": 10}
    posted = client.post("/api/events/search", json=query)
    assert posted.status_code == 200 and posted.json() == client.get("/api/events", params=query).json()


# ------------------------------------------------------------------------------------------ tallies


def test_dyads_count_first_actor_to_first_recipient(client: httpx.Client, corpus) -> None:
    rows = {row["dyad"]: row for row in client.get("/api/dyads", params={"limit": 50}).json()["dyads"]}
    truth = Counter(f"{e.actor[0].code}-{e.recipient[0].code}" for e in corpus.events)
    assert {dyad: row["n"] for dyad, row in rows.items()} == dict(truth)
    rus_ukr = rows["RUS-UKR"]
    conflict = sum(
        1
        for e in corpus.events
        if e.actor[0].code == "RUS" and e.recipient[0].code == "UKR" and e.quad_code > 2
    )
    assert rus_ukr["verbal_conflict"] + rus_ukr["material_conflict"] == conflict
    assert next(iter(rows)) == truth.most_common(1)[0][0]


def test_actors_types_and_places(client: httpx.Client, corpus) -> None:
    actors = {row["code"]: row for row in client.get("/api/actors").json()["actors"]}
    assert actors["RUS"]["as_actor"] == sum(e.actor[0].code == "RUS" for e in corpus.events)
    assert actors["RUS"]["name"] == "Russia"
    types = {row["event"]: row["n"] for row in client.get("/api/types").json()["types"]}
    assert types == dict(Counter(e.event for e in corpus.events))
    places = {row["place"]: row for row in client.get("/api/places").json()["places"]}
    assert set(places) == {e.event_loc.resolved_place for e in corpus.events if e.event_loc}
    simferopol = [
        e.event_loc for e in corpus.events if e.event_loc and e.event_loc.resolved_place == "Simferopol"
    ]
    assert places["Simferopol"]["lat"] == pytest.approx(simferopol[0].lat)
    assert places["Simferopol"]["n"] == len(simferopol)


# ------------------------------------------------------------------------------------------ analysis


def test_series_points_list_exactly_their_events(client: httpx.Client) -> None:
    """What the dyad explorer does: each column's count is the number of events a click lists."""
    body = client.get("/api/series", params={"dyad": "RUS-UKR", "freq": "day"}).json()
    (series,) = body["series"]
    assert series["dyad"] == "RUS-UKR" and len(series["periods"]) == len(series["n_events"])
    busy = [(day, n) for day, n in zip(series["periods"], series["n_events"], strict=True) if n]
    assert sum(n for _, n in busy) == 7  # RUS-UKR events in the corpus (all asserted, dated to the day)
    for day, n in busy:
        listed = client.get(
            "/api/events", params={"dyad": "RUS-UKR", "date_from": day, "date_to": day, "counted": True}
        )
        assert listed.json()["total"] == n, day
    assert isinstance(body["flags"], list)


def test_series_without_a_dyad_is_the_overall_series(client: httpx.Client, corpus) -> None:
    body = client.get("/api/series", params={"freq": "week", "flags": False}).json()
    assert body["flags"] is None
    assert sum(body["series"][0]["n_events"]) == len(corpus.events)


def test_escalation_and_timeline(client: httpx.Client) -> None:
    flags = client.get("/api/escalation", params={"limit": 5}).json()
    assert flags["dyads"][0] == "RUS-UKR" and isinstance(flags["flags"], list)
    timeline = client.get("/api/timeline", params={"dyad": "RUS-UKR", "per_day": 1}).json()["timeline"]
    days = [item["date"] for item in timeline]
    assert days == sorted(set(days)) and "2014-03-09" in days  # one event a day, at most


def test_article_spans_point_at_the_evidence_and_trigger(client: httpx.Client, corpus) -> None:
    body = client.get("/api/articles/test-01").json()
    text = body["article"]["text"]
    assert {event["id"] for event in body["events"]} == expected(corpus, lambda e: e.story_id == "test-01")
    by_id = {event.id: event for event in corpus.events}
    assert len(body["spans"]) == 2
    for span in body["spans"]:
        event = by_id[span["event_id"]]
        assert text[span["start"] : span["end"]] == event.text_info.text and span["aligned"]
        assert text[span["trigger_start"] : span["trigger_end"]] == event.event_text


def test_world_map_ships_country_outlines(client: httpx.Client) -> None:
    response = client.get("/api/map/world")
    world = response.json()
    codes = {country["code"] for country in world["countries"]}
    assert len(codes) > 150 and {"RUS", "UKR", "USA", "FRA"} <= codes
    assert all(country["path"].startswith("M") for country in world["countries"])
    assert "Natural Earth" in world["source"] and "max-age" in response.headers["cache-control"]


def test_openapi_and_pages_are_served(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"] and "/api/series" in spec["paths"]
    for page in ("/", "/dyads", "/network", "/map", "/events", "/docs"):
        response = client.get(page)
        assert response.status_code == 200 and "text/html" in response.headers["content-type"]
        assert (
            "https://" not in response.text and "http://" not in response.text
        )  # no CDN: every asset is ours
    assert client.get("/static/app.js").status_code == 200


# ------------------------------------------------------------------------------------------ bad requests


def error_of(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "status", "message", "param"}
    assert body["error"]["code"] == code and body["error"]["status"] == status, body
    return body["error"]


@pytest.mark.parametrize(
    ("params", "code", "param"),
    [
        ({"actor": "XYZ"}, "E303", "actor"),
        ({"recipient": "Russia"}, "E303", "recipient"),
        ({"dyad": "RUS-XXX"}, "E303", "dyad"),
        ({"dyad": "RUSUKR"}, "E202", "dyad"),
        ({"date_from": "2014-03-10", "date_to": "2014-03-01"}, "E304", "date_from"),
        ({"date_from": "2014-02-30"}, "E104", "date_from"),
        ({"date_to": "March 1"}, "E104", "date_to"),
        ({"page_size": 10**9}, "E305", "page_size"),
        ({"page_size": 0}, "E301", "page_size"),
        ({"page": "two"}, "E301", "page"),
        ({"page": 10**12}, "E301", "page"),
        ({"quad": 5}, "E301", "quad"),
        ({"type": "BOMBING"}, "E204", "type"),
        ({"country": "Ukraine"}, "E311", "country"),
        ({"bbox": "1,2,3"}, "E306", "bbox"),
        ({"bbox": "0,50,10,40"}, "E306", "bbox"),
        ({"text": "x" * 201}, "E310", "text"),
        ({"acotr": "RUS"}, "E301", "acotr"),
        ({"order": "sideways"}, "E301", "order"),
        ({"actor": "RUS' OR '1'='1"}, "E303", "actor"),
        ({"dyad": "RUS-UKR'; DROP TABLE events; --"}, "E202", "dyad"),
        ({"dyad": "RUS-UKR' OR 1=1"}, "E303", "dyad"),
        ({"type": "ASSAULT') OR 1=1 --"}, "E204", "type"),
        ({"country": "UKR' UNION SELECT * FROM articles --"}, "E311", "country"),
    ],
)
def test_bad_event_queries_get_a_numbered_4xx(
    client: httpx.Client, params: dict, code: str, param: str
) -> None:
    error = error_of(client.get("/api/events", params=params), 422, code)
    assert error["param"] == param and error["message"]


def test_sql_in_the_text_filter_is_only_text(client: httpx.Client, corpus) -> None:
    page = events(client, text="'; DROP TABLE events; --")
    assert page["total"] == 0
    assert client.get("/api/health").json()["events"] == len(corpus.events)


def test_malformed_json_body(client: httpx.Client) -> None:
    bad = client.post(
        "/api/events/search", content=b'{"dyad": "RUS-UKR",', headers={"content-type": "application/json"}
    )
    error_of(bad, 400, "E302")
    error_of(client.post("/api/events/search", json=["not", "an", "object"]), 422, "E301")
    error_of(client.post("/api/events/search", json={"page_size": 10**9}), 422, "E305")


def test_missing_things(client: httpx.Client) -> None:
    error_of(client.get("/api/articles/no-such-story"), 404, "E307")
    error_of(client.get("/api/nothing-here"), 404, "E308")
    error_of(client.get("/static/missing.js"), 404, "E308")
    response = client.delete("/api/events")
    error_of(response, 405, "E309")
    assert response.headers["allow"] == "GET"


def test_series_and_timeline_refuse_bad_parameters(client: httpx.Client) -> None:
    error_of(client.get("/api/series", params={"dyad": "RUS-ATLANTIS"}), 422, "E303")
    error_of(client.get("/api/series", params={"dyad": "RUS/military-UKR"}), 422, "E202")
    error_of(client.get("/api/series", params={"freq": "hour"}), 422, "E301")
    error_of(client.get("/api/series", params={"dyad": "RUS-UKR", "country": "UKR"}), 422, "E301")
    error_of(client.get("/api/timeline", params={"actor": "ZZZ"}), 422, "E303")
    error_of(client.get("/api/escalation", params={"limit": 10**6}), 422, "E301")
