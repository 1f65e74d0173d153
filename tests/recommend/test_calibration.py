"""The match percentage: a monotone map of the fused score, shipped with what it was fitted on."""

from hypothesis import given, settings
from hypothesis import strategies as st

from recommend.calibration import Calibration, match_percent, shipped_calibration


def test_the_shipped_map_rises_with_the_score_and_says_what_it_was_fitted_on():
    shipped = shipped_calibration()
    assert "tune half" in shipped.fitted_on
    assert list(shipped.scores) == sorted(shipped.scores)
    assert list(shipped.chances) == sorted(shipped.chances)
    assert 0.0 <= shipped.chances[0] <= shipped.chances[-1] <= 1.0
    assert shipped.chance(shipped.scores[-1]) > shipped.chance(shipped.scores[0])


@settings(deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=0.2, allow_nan=False), max_size=30))
def test_down_a_list_the_shown_chance_never_rises(fused):
    shown = shipped_calibration().along(fused)
    assert all(later <= earlier for earlier, later in zip(shown, shown[1:]))
    assert all(0.0 <= c <= 1.0 for c in shown)


def test_a_map_interpolates_and_is_flat_beyond_its_range():
    calibration = Calibration((0.1, 0.2), (0.3, 0.5))
    assert abs(calibration.chance(0.15) - 0.4) < 1e-9
    assert calibration.chance(0.0) == 0.3 and calibration.chance(1.0) == 0.5
    assert calibration.along([0.2, 0.1, 0.2]) == [0.5, 0.3, 0.3]
    assert match_percent(0.405) == 40 and match_percent(0.416) == 42
