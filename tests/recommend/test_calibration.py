"""The match percentage: a monotone map of the fused score per kind of query, shipped with what it was fitted on."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from embeddings.ranker import RankerConfig
from recommend.calibration import (QUERY_KINDS, Calibration, calibrated_ranker, match_percent, query_kind,
                                   shipped_calibration)
from recommend.errors import CalibrationError


@pytest.mark.parametrize("kind", QUERY_KINDS)
def test_each_shipped_curve_rises_with_the_score_and_says_what_it_was_fitted_on(kind):
    shipped = shipped_calibration(kind)
    assert "tune half" in shipped.fitted_on
    assert list(shipped.scores) == sorted(shipped.scores)
    assert len(set(shipped.scores)) == len(shipped.scores)  # one chance per score
    assert list(shipped.chances) == sorted(shipped.chances)
    assert 0.0 <= shipped.chances[0] <= shipped.chances[-1] <= 1.0
    assert shipped.chance(shipped.scores[-1]) > shipped.chance(shipped.scores[0])


def test_the_curves_were_fitted_for_the_shipped_ranker_weights():
    # Every weight moves the fused score the curves read (the raw cosine and agreement, and each rank signal: a
    # query naming no specialism still gets the specialism signal's first-rank share); another setting needs a
    # refit (bench/calibrate.py --write).
    default = RankerConfig()
    fitted = calibrated_ranker()
    assert set(fitted) == {"cosine", "agreement", *default.weights()}
    assert fitted == {name: getattr(default, name) for name in fitted}
    assert default.cosine > 0 and default.agreement > 0


def test_a_sure_match_to_a_role_s_ad_can_be_shown_as_70_percent_or_more():
    # Rank fusion alone topped out near 54 %: ranks cannot say that a query's first match is also a close one.
    default = RankerConfig()
    best_ranks = sum(default.weights().values()) / (default.rrf_k + 1)
    sure = best_ranks + default.cosine * 0.8 + default.agreement * 1.0  # first on every signal, same occupation
    loose = best_ranks + default.cosine * 0.5  # first on every signal, occupation not agreed
    ad = shipped_calibration("ad")
    assert ad.chance(sure) >= 0.7
    assert ad.chance(loose) < ad.chance(sure)
    assert shipped_calibration("title").chance(sure) <= ad.chance(sure)  # a bare title settles less


@pytest.mark.parametrize("kind", QUERY_KINDS)
@settings(deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=0.2, allow_nan=False), max_size=30))
def test_down_a_list_the_shown_chance_never_rises(kind, fused):
    shown = shipped_calibration(kind).along(fused)
    assert all(later <= earlier for earlier, later in zip(shown, shown[1:]))
    assert all(0.0 <= c <= 1.0 for c in shown)


def test_a_short_query_is_read_as_a_title_and_a_longer_one_as_an_ad():
    assert query_kind("Senior Backend Engineer") == "title"
    assert query_kind("Backend Engineer\n") == "title"
    ad = "Backend Engineer at Acme\nBuild and run the Python services behind our payments; " \
         "own their Postgres schemas, on-call and reviews."
    assert query_kind(ad) == "ad"


def test_an_unknown_kind_of_query_is_a_named_error():
    with pytest.raises(CalibrationError, match="kinds are ad, title"):
        shipped_calibration("poem")


def test_a_map_interpolates_and_is_flat_beyond_its_range():
    calibration = Calibration((0.1, 0.2), (0.3, 0.5))
    assert abs(calibration.chance(0.15) - 0.4) < 1e-9
    assert calibration.chance(0.0) == 0.3 and calibration.chance(1.0) == 0.5
    assert calibration.along([0.2, 0.1, 0.2]) == [0.5, 0.3, 0.3]
    assert match_percent(0.405) == 40 and match_percent(0.416) == 42
