from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.config import ROOT
from nlp import registry
from nlp.facts import load_facts
from nlp.train import DataError, Dataset, parse_mapping, read_labelled, train

TEXTS = {
    "positive": [
        "dịch vụ công nhanh và tiện lợi",
        "cảm ơn tổ công nghệ số rất nhiệt tình",
        "hài lòng với cổng dịch vụ",
        "ứng dụng tốt, dễ dùng",
        "tuyệt vời, làm thủ tục nhanh",
        "rất bổ ích và thiết thực",
    ],
    "negative": [
        "cổng dịch vụ công chậm quá",
        "ứng dụng lỗi liên tục, mệt mỏi",
        "mạng yếu, chập chờn",
        "lãng phí tiền ngân sách",
        "thất vọng vì hồ sơ bị trả",
        "khó dùng và bất tiện",
    ],
    "neutral": [
        "xã tổ chức hội nghị sáng nay",
        "lịch tiếp dân tuần tới",
        "tỉnh ban hành kế hoạch",
        "thông báo lịch học lớp kỹ năng số",
        "hội nghị diễn ra tại hội trường",
        "danh sách đơn vị tham dự",
    ],
}


def _dataset() -> Dataset:
    texts = [t for ts in TEXTS.values() for t in ts]
    labels = [lab for lab, ts in TEXTS.items() for _ in ts]
    return Dataset(texts, labels, "inline", "0" * 64)


def test_train_save_load_round_trip(tmp_path: Path) -> None:
    facts = load_facts(ROOT / "data" / "facts")
    result = train(_dataset(), "sentiment", facts, test_size=0.25)
    assert set(result.metadata["evaluation"]["holdout"]["per_class"]) == set(TEXTS)
    version = registry.save(tmp_path, "sentiment", result.pipeline, result.metadata)
    assert registry.current_version(tmp_path, "sentiment") is None
    registry.promote(tmp_path, "sentiment", version)
    assert registry.current_version(tmp_path, "sentiment") == version
    loaded, meta = registry.load(tmp_path, "sentiment", version)
    assert meta["version"] == version
    assert meta["classifier"] == "sentiment"
    assert meta["data"]["rows"] == 18
    sample = ["cổng dịch vụ chậm và lỗi", "hội nghị tuần tới", "tuyệt vời"]
    assert (loaded.predict_proba(sample) == result.pipeline.predict_proba(sample)).all()
    # the vocabularies are written beside the model, and the trained pipeline keeps its own
    assert (tmp_path / "sentiment" / version / registry.VOCABULARY_FILE).is_file()
    assert all(v.vocabulary_ for v in registry._vectorizers(result.pipeline).values())


def test_older_models_with_vocabularies_inside_still_load(tmp_path: Path) -> None:
    import skops.io as sio

    facts = load_facts(ROOT / "data" / "facts")
    result = train(_dataset(), "sentiment", facts)
    folder = tmp_path / "sentiment" / "old"
    folder.mkdir(parents=True)
    sio.dump(result.pipeline, folder / registry.MODEL_FILE)  # the earlier layout: one file
    (folder / registry.METADATA_FILE).write_text("{}", encoding="utf-8")
    loaded, _ = registry.load(tmp_path, "sentiment", "old")
    sample = ["mạng chậm quá", "thủ tục nhanh gọn"]
    assert (loaded.predict_proba(sample) == result.pipeline.predict_proba(sample)).all()


def test_a_card_written_before_the_rename_names_its_classifier(tmp_path: Path) -> None:
    """Cards written before 2026-11-30 call the classifier "task"; they read as "classifier"."""
    facts = load_facts(ROOT / "data" / "facts")
    result = train(_dataset(), "sentiment", facts)
    version = registry.save(tmp_path, "sentiment", result.pipeline, result.metadata)
    card_file = tmp_path / "sentiment" / version / registry.METADATA_FILE
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["task"] = card.pop("classifier")
    card_file.write_text(json.dumps(card), encoding="utf-8")
    assert registry.metadata(tmp_path, "sentiment", version)["classifier"] == "sentiment"
    assert registry.load(tmp_path, "sentiment", version)[1]["classifier"] == "sentiment"
    assert "task" not in registry.metadata(tmp_path, "sentiment", version)


def test_a_missing_or_foreign_vocabulary_is_refused(tmp_path: Path) -> None:
    facts = load_facts(ROOT / "data" / "facts")
    result = train(_dataset(), "sentiment", facts)
    version = registry.save(tmp_path, "sentiment", result.pipeline, result.metadata)
    vocab = tmp_path / "sentiment" / version / registry.VOCABULARY_FILE
    terms = json.loads(vocab.read_text(encoding="utf-8"))
    vocab.write_text(json.dumps({k: v[:-1] for k, v in terms.items()}), encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="weights"):
        registry.load(tmp_path, "sentiment", version)
    vocab.write_text(json.dumps({"features.other": []}), encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="does not match"):
        registry.load(tmp_path, "sentiment", version)
    vocab.unlink()
    with pytest.raises(registry.RegistryError, match="missing"):
        registry.load(tmp_path, "sentiment", version)


def test_train_is_reproducible() -> None:
    facts = load_facts(ROOT / "data" / "facts")
    a = train(_dataset(), "sentiment", facts)
    b = train(_dataset(), "sentiment", facts)
    probe = ["thủ tục nhanh gọn", "mạng chậm quá"]
    assert (a.pipeline.predict_proba(probe) == b.pipeline.predict_proba(probe)).all()


def test_read_labelled_maps_labels_and_skips_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("text,label\ntốt,2\nxấu,0\n,1\nvừa,7\n", encoding="utf-8")
    ds = read_labelled(path, "sentiment", mapping=parse_mapping("0=negative,1=neutral,2=positive"))
    assert ds.labels == ["positive", "negative"]
    assert len(ds.skipped) == 2
    assert ds.skipped[0].startswith("line 4")


def test_seed_file_uses_classifier_columns() -> None:
    ds = read_labelled(ROOT / "data" / "seed" / "seed.jsonl", "relevance")
    assert set(ds.labels) == {"relevant", "off_topic"}
    assert len(ds.texts) >= 300


def test_bad_mapping_and_unknown_classifier() -> None:
    with pytest.raises(DataError):
        parse_mapping("0negative")
    with pytest.raises(DataError):
        read_labelled(ROOT / "data" / "seed" / "seed.jsonl", "topic")


def test_untrusted_model_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    folder = tmp_path / "misinfo" / "v1"
    folder.mkdir(parents=True)
    sio.dump({"f": json.loads}, folder / "model.skops")
    (folder / "metadata.json").write_text("{}", encoding="utf-8")
    with pytest.raises(registry.RegistryError, match="untrusted"):
        registry.load(tmp_path, "misinfo", "v1")
    with pytest.raises(registry.RegistryError):
        registry.load(tmp_path, "misinfo", "../../etc")


def test_a_model_trained_on_other_inputs_loads_with_a_warning(tmp_path: Path) -> None:
    facts = load_facts(ROOT / "data" / "facts")
    result = train(_dataset(), "sentiment", facts)
    meta = {**result.metadata, "preprocess": "fold-teencode-v0"}
    version = registry.save(tmp_path, "sentiment", result.pipeline, meta)
    with pytest.warns(UserWarning, match="trained on fold-teencode-v0 inputs"):
        registry.load(tmp_path, "sentiment", version)


def test_temperature_scaling_recovers_a_known_overconfidence() -> None:
    """A model made three times too sure (logits × 3) is brought back: T ≈ 3, lower log-loss,
    the same predictions; the training run records and applies its temperature."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    from nlp.train import apply_temperature, fit_temperature

    rng = np.random.default_rng(0)
    w_true = np.array([[1.5, -1.0], [-0.5, 1.2], [0.0, 0.0]])

    def sample(n: int) -> tuple[np.ndarray, np.ndarray]:
        x = rng.normal(size=(n, 2))
        z = x @ w_true.T
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        return x, np.array([rng.choice(3, p=row) for row in p])

    x_fit, y_fit = sample(4000)
    x_held, y_held = sample(4000)
    model = Pipeline([("clf", LogisticRegression(C=100.0))]).fit(x_fit, y_fit)
    before = model.predict(x_held)
    apply_temperature(model, 1 / 3)  # over-confident
    assert (model.predict(x_held) == before).all()
    labels = [str(v) for v in y_held]
    model.named_steps["clf"].classes_ = np.array(["0", "1", "2"])
    cal = fit_temperature(model, x_held, labels, [1.0] * len(labels))  # type: ignore[arg-type]
    assert 2.6 < cal["temperature"] < 3.4, cal
    assert cal["log_loss_after"] < cal["log_loss_before"]
    apply_temperature(model, cal["temperature"])
    again = fit_temperature(model, x_held, labels, [1.0] * len(labels))  # type: ignore[arg-type]
    assert 0.95 < again["temperature"] < 1.05, again  # calibrated: nothing left to fix

    result = train(_dataset(), "sentiment", load_facts(ROOT / "data" / "facts"))
    assert 0.25 <= result.metadata["calibration"]["temperature"] <= 4.0
