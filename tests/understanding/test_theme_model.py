"""The exported theme classifier as the analyzer reads it: weights, word-list prior, calibration."""

from flows.understanding import theme_model
from flows.vocabulary import THEMES


def payload(prior: float, features: dict[str, list[float]] | None = None) -> dict:
    """A minimal exported model: no learned preference unless `features` gives one."""
    return {
        "themes": list(THEMES),
        "bias": [0.0] * len(THEMES),
        "temperature": 1.0,
        "one_tap_probability": 0.9,
        "lexicon_scale": 1.0,
        "lexicon_prior": prior,
        "char_sizes": [2],
        "features": features or {},
    }


def test_the_word_list_prior_moves_the_probabilities_towards_the_listed_theme():
    evidence = {"false_ad": 3.0, "other": 0.6}
    without = theme_model.from_dict(payload(0.0)).probabilities({}, evidence)
    with_prior = theme_model.from_dict(payload(1.5)).probabilities({}, evidence)
    assert max(without.values()) - min(without.values()) < 1e-9
    assert max(with_prior, key=with_prior.__getitem__) == "false_ad"
    assert with_prior["false_ad"] > with_prior["other"] > with_prior["quality"]
    assert abs(sum(with_prior.values()) - 1) < 1e-9


def test_a_model_exported_without_a_prior_still_loads_and_ignores_the_word_lists():
    data = payload(0.0)
    del data["lexicon_prior"]
    model = theme_model.from_dict(data)
    assert model.lexicon_prior == 0.0
    assert model.logits({}, {"price": 5.0}) == [0.0] * len(THEMES)


def test_learned_weights_and_prior_add_up():
    weights = [0.0] * len(THEMES)
    weights[THEMES.index("contract")] = 2.0
    model = theme_model.from_dict(payload(1.0, {"w:跑路": [1.0, *weights]}))
    logits = model.logits({"w:跑路": 1.0}, {"price": 1.0})
    assert logits[THEMES.index("contract")] == 2.0
    assert abs(logits[THEMES.index("price")] - 0.6931471805599453) < 1e-12


def test_the_shipped_model_uses_what_training_chose():
    model = theme_model.load()
    assert model.themes == tuple(THEMES)
    assert model.temperature > 0
    assert 0.5 < model.one_tap_probability <= 1.0
    assert model.lexicon_prior >= 0
    assert set(model.char_sizes) <= {1, 2, 3}
    assert all(len(row) == len(THEMES) for row in model.weights.values())
