"""The local fleet: boards in the real Greenhouse and Ashby shapes, changing over nights, with ETags and 404s."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from mirror.fleet import Fleet, FleetBoard, FleetServer, fictional_names


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


@pytest.fixture
def fleet():
    names = fictional_names(3)
    return Fleet([FleetBoard("greenhouse", "Alpha", 12, names[0]), FleetBoard("ashby", "beta", 60, names[1]),
                  FleetBoard("greenhouse", "empty", 0, names[2])], changed_share=0.2)


def test_boards_come_in_the_real_shapes_and_tokens_are_case_insensitive(fleet):
    with FleetServer(fleet) as server:
        status, body, _ = get(server.url + "/v1/boards/alpha/jobs?content=true")
        document = json.loads(body)
        assert status == 200 and document["meta"]["total"] == 12 and len(document["jobs"]) == 12
        assert {"id", "title", "content", "absolute_url", "location", "updated_at"} <= set(document["jobs"][0])
        status, body, _ = get(server.url + "/posting-api/job-board/beta?includeCompensation=true")
        jobs = json.loads(body)["jobs"]
        assert status == 200 and 0 < len(jobs) <= 60 and "compensation" in jobs[0]
        assert len({job["id"] for job in jobs}) == len(jobs)
        assert json.loads(get(server.url + "/v1/boards/empty/jobs")[1])["jobs"] == []
        assert get(server.url + "/v1/boards/nobody/jobs")[0] == 404


def test_an_etag_is_answered_304_until_the_board_changes(fleet):
    with FleetServer(fleet) as server:
        url = server.url + "/posting-api/job-board/beta?includeCompensation=true"
        status, first, headers = get(url)
        assert get(url, {"If-None-Match": headers["ETag"]})[:2] == (304, b"")
        fleet.night = 1
        status, second, changed = get(url, {"If-None-Match": headers["ETag"]})
        assert status == 200 and changed["ETag"] != headers["ETag"] and second != first
        assert fleet.counts["304"] == 1


def test_changes_are_a_share_of_postings_and_a_pure_function_of_the_night(fleet):
    again = Fleet(list(fleet.boards), changed_share=0.2)
    board = fleet.boards[1]
    assert fleet.body(board, True) == again.body(board, True)
    changed = fleet.changed_postings(1)
    assert 0 < changed < fleet.listed_postings(1)
    assert changed == again.changed_postings(1)


def test_gone_boards_answer_404_and_without_validators_there_is_no_etag(fleet):
    fleet.gone.add("Alpha")
    fleet.validators = False
    with FleetServer(fleet) as server:
        assert get(server.url + "/v1/boards/alpha/jobs")[0] == 404
        status, _, headers = get(server.url + "/posting-api/job-board/beta")
        assert status == 200 and "ETag" not in headers
