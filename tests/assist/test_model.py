"""The statistical second opinions: features, shipped weights, decision rules, trainer."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from kefu.assist.engine import coach_draft, polarity, read_customer

ROOT = Path(__file__).resolve().parents[2]


def _trainer() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "train_assist_model", ROOT / "tools" / "train_assist_model.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_features_mix_character_grams_words_and_dense_cues() -> None:
    feats = polarity.features("气死我了！！WHY IS IT DOWN AGAIN??")
    assert {"气", "气死", "气死我", "！！"} <= feats
    assert {"w:why", "w:down again"} <= feats
    assert {"d:bangs", "d:queries", "d:caps", "d:len1"} <= feats
    # Latin text gives no character grams; spaces and case do not matter.
    assert polarity.features("Not  Happy") == polarity.features("not happy")
    assert not any(len(f) <= 3 and f.isascii() and ":" not in f for f in feats)
    assert polarity.features("") == {"d:len0"}


@pytest.mark.parametrize("path", [polarity.MODEL_FILE, polarity.PHRASING_FILE])
def test_shipped_models_are_small_documented_and_load(path: Path) -> None:
    data = json.loads(path.read_text("utf-8"))
    assert "kefu team" in data["about"]
    assert data["features"] == polarity.FEATURES
    assert 0.0 < data["threshold"] < 1.0
    assert data["cv"]["chosen"]["precision"] >= 0.9
    assert path.stat().st_size < 400_000
    assert polarity.upset_model() is not None
    assert polarity.phrasing_model() is not None


def test_a_model_never_makes_clear_praise_upset(monkeypatch: pytest.MonkeyPatch) -> None:
    # Even a model that finds everything upset leaves a clearly positive reading alone.
    monkeypatch.setattr(polarity, "_model", lambda: polarity.LinearModel(30.0, 0.5, {}))
    assert not read_customer("师傅今天上门把橱柜装好了，做工很细致，谢谢你们！").upset
    assert not read_customer("").upset
    flipped = read_customer("我想改一下收货地址")
    assert flipped.upset
    assert flipped.sentiment == "negative"
    assert "model" in {c.code for c in flipped.cues}
    # ...but sarcastic praise is not clear praise.
    assert read_customer("呵呵，你们服务真好").upset


def test_broken_or_stale_model_files_switch_the_models_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "stale.json"
    stale.write_text(json.dumps({"prior": 0.1, "sizes": [1], "weights": {"气": 1.0}}), "utf-8")
    broken = tmp_path / "broken.json"
    broken.write_bytes(b"\xff\xfe{")
    for path in (stale, broken, tmp_path / "missing.json"):
        monkeypatch.setattr(polarity, "MODEL_FILE", path)
        monkeypatch.setattr(polarity, "PHRASING_FILE", path)
        polarity._model.cache_clear()
        polarity._phrasing.cache_clear()
        try:
            assert polarity.upset_probability("气死我了") is None
            assert polarity.phrasing_probability("这个没法弄") is None
            assert read_customer("气死我了！").upset
            assert "negative_phrasing" in {f.code for f in coach_draft("这个我们做不到。").flags}
        finally:
            polarity._model.cache_clear()
            polarity._phrasing.cache_clear()


def test_phrasing_model_flags_the_heaviest_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    model = polarity.LinearModel(0.0, 0.5, {"没法": 2.0, "弄": 0.5, "谢": -1.0})
    monkeypatch.setattr(polarity, "_phrasing", lambda: model)
    draft = "您好，感谢来信。  这个真没法弄。祝您愉快"
    flags = [f for f in coach_draft(draft).flags if f.code == "negative_phrasing"]
    assert len(flags) == 1
    assert draft[flags[0].start : flags[0].end] == "这个真没法弄。"
    assert flags[0].message
    # A list match keeps its own span and rewrite; the model adds nothing to it.
    listed = [f for f in coach_draft("这个我们做不到。").flags if f.code == "negative_phrasing"]
    assert len(listed) == 1
    assert listed[0].suggestion
    # Below the threshold: no flag.
    assert "negative_phrasing" not in {f.code for f in coach_draft("谢谢您，祝您愉快").flags}


def test_trainer_never_reads_batch_4_nor_a_blind_batch(tmp_path: Path) -> None:
    trainer = _trainer()
    dev = tmp_path / "assist_dev.jsonl"
    line = {"role": "customer", "labels": {"upset": True}}
    dev.write_text(
        "\n".join(
            json.dumps({**line, "text": text, **extra})
            for text, extra in (
                ("one", {}),
                ("four", {"batch": 4, "split": "holdout"}),
                ("three", {"batch": 3, "split": "holdout"}),
            )
        )
        + "\n{broken\n",
        "utf-8",
    )
    corpus = tmp_path / "assist_corpus_a.jsonl"
    corpus.write_text(
        json.dumps({**line, "text": "a"})
        + "\n"
        + json.dumps({**line, "text": "b5", "split": "blind5"}),
        "utf-8",
    )
    blind = tmp_path / "assist_blind_5.jsonl"
    blind.write_text(json.dumps({**line, "text": "blind"}), "utf-8")
    rows = trainer.load_rows([dev, corpus, blind])
    assert [(r["text"], r["source"]) for r in rows] == [
        ("one", "dev-batch1"),
        ("three", "dev-batch3"),
        ("a", "assist_corpus_a"),
    ]


def test_trainer_fits_a_separating_model() -> None:
    trainer = _trainer()
    docs = [{"好", "d:len0"}] * 5 + [{"差", "d:len0"}] * 5
    labels = [False] * 5 + [True] * 5
    model = trainer.train(docs, labels, 1.0)
    assert model.weights["差"] > 0 > model.weights["好"]
    assert model.score({"差"}) > 0 > model.score({"好"})
