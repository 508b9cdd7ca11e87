"""The statistical second opinions: features, shipped weights, decision rules, trainer."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from kefu.assist.engine import coach_draft, polarity, read_customer
from kefu.assist.engine.coach import draft_features
from kefu.assist.engine.reader import customer_features

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


@pytest.mark.parametrize("label", sorted(polarity.MODEL_FILES))
def test_shipped_models_are_small_documented_and_load(label: str) -> None:
    path = polarity.MODEL_DIR / polarity.MODEL_FILES[label]
    data = json.loads(path.read_text("utf-8"))
    assert "kefu team" in data["about"]
    assert f"'{label}'" in data["about"]
    assert data["features"] == polarity.FEATURES
    assert 0.0 < data["threshold"] < 1.0
    assert path.stat().st_size < 400_000
    assert polarity.model(label) is not None
    assert polarity.probability(label, "这个") is not None


def test_features_carry_what_the_rules_found() -> None:
    feats = polarity.features("气死我了", ["c:negative", "neg:3"])
    assert {"r:c:negative", "r:neg:3", "气死"} <= feats
    customer = customer_features("再不退款我就去12315投诉！")
    assert {"r:threat", "r:upset", "r:c:threat_regulator"} <= customer
    draft = draft_features("非常理解您的心情，这个我们做不到。")
    assert {"r:l:empathy", "r:l:negative_phrasing"} <= draft
    assert "r:l:transfer" not in draft


def test_switched_off_reads_with_the_rules_alone() -> None:
    with polarity.switched_off():
        assert polarity.model("upset") is None
        assert polarity.probability("threat", "我要起诉你们") is None
    assert polarity.model("upset") is not None


def _only(monkeypatch: pytest.MonkeyPatch, **models: polarity.LinearModel) -> None:
    """These models and no others."""
    monkeypatch.setattr(polarity, "_cached", lambda label: models.get(label))


def test_a_model_never_makes_clear_praise_upset(monkeypatch: pytest.MonkeyPatch) -> None:
    # Even a model that finds everything upset leaves a clearly positive reading alone.
    _only(monkeypatch, upset=polarity.LinearModel(30.0, 0.5, {}))
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
        monkeypatch.setattr(polarity, "MODEL_FILES", dict.fromkeys(polarity.MODEL_FILES, path.name))
        monkeypatch.setattr(polarity, "MODEL_DIR", tmp_path)
        polarity.reload()
        try:
            for label in polarity.MODEL_FILES:
                assert polarity.probability(label, "气死我了") is None
            assert read_customer("气死我了！").upset
            assert read_customer("我要起诉你们").threat
            assert "negative_phrasing" in {f.code for f in coach_draft("这个我们做不到。").flags}
        finally:
            monkeypatch.undo()
            polarity.reload()


def test_phrasing_model_flags_the_heaviest_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    model = polarity.LinearModel(0.0, 0.5, {"没法": 2.0, "弄": 0.5, "谢": -1.0})
    _only(monkeypatch, negative_phrasing=model)
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


def test_models_add_threats_empathy_blame_and_buck_passing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _only(
        monkeypatch,
        threat=polarity.LinearModel(-5.0, 0.5, {"w:cheques": 6.0}),
        empathy=polarity.LinearModel(-5.0, 0.5, {"w:rotten": 6.0}),
        blame_customer=polarity.LinearModel(-5.0, 0.5, {"w:followed": 6.0}),
        passing_the_buck=polarity.LinearModel(-5.0, 0.5, {"w:faq": 6.0}),
    )
    reading = read_customer("I want whoever signs your cheques on this, now.")
    assert reading.threat
    assert reading.upset
    assert reading.escalation_risk >= 0.7
    assert "threat_model" in {c.code for c in reading.cues}
    # The kinds come from a target the text names, when it names one.
    assert read_customer("Whoever signs your cheques, the manager included.").threat_kinds == [
        "over_heads"
    ]
    assert not read_customer("Thanks, you are worth the cheques!").threat  # clear praise
    assert coach_draft("Sounds like a rotten week. Fixed now.").empathy
    draft = "Hello. If you'd followed the guide this wouldn't happen. Thanks."
    blame = [f for f in coach_draft(draft).flags if f.code == "blame_customer"]
    assert [draft[f.start : f.end] for f in blame] == [
        "If you'd followed the guide this wouldn't happen."
    ]
    draft = "Please refer to the FAQ section of our website."
    buck = [f for f in coach_draft(draft, language="en").flags if f.code == "passing_the_buck"]
    assert len(buck) == 1
    assert draft[buck[0].start : buck[0].end] == "Please refer to the FAQ section of our website"
    assert buck[0].suggestion is not None
    assert buck[0].suggestion.startswith(draft[buck[0].start : buck[0].end] + " (they handle")
    with polarity.switched_off():
        assert not read_customer("I want whoever signs your cheques on this, now.").threat


def test_a_sure_model_overrules_the_rules_yes_but_never_a_threat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Sure it is wrong (p < veto): the rules' "upset" and list flags are overruled.
    doubt = polarity.LinearModel(-10.0, 0.9, {}, veto=0.3)
    _only(monkeypatch, upset=doubt, negative_phrasing=doubt, empathy=doubt)
    reading = read_customer("气死我了！")
    assert not reading.upset
    assert "model" in {c.code for c in reading.cues}
    threat = read_customer("再不退款我就去12315投诉！")
    assert threat.threat
    assert threat.upset
    coaching = coach_draft("非常理解您的心情，这个我们做不到。")
    assert "negative_phrasing" not in {f.code for f in coaching.flags}
    assert not coaching.empathy
    # Between the veto and the threshold the rules decide.
    unsure = polarity.LinearModel(0.0, 0.9, {}, veto=0.3)
    _only(monkeypatch, upset=unsure, negative_phrasing=unsure, empathy=unsure)
    assert read_customer("气死我了！").upset
    assert not read_customer("我想改一下收货地址").upset
    coaching = coach_draft("非常理解您的心情，这个我们做不到。")
    assert "negative_phrasing" in {f.code for f in coaching.flags}
    assert coaching.empathy
    # A transfer the agent asked the coach about keeps its flag whatever the model says.
    _only(monkeypatch, passing_the_buck=doubt)
    assert "passing_the_buck" in {f.code for f in coach_draft("好的", {"transfer": True}).flags}
    assert "passing_the_buck" not in {f.code for f in coach_draft("您去找物业吧。").flags}


def test_a_model_file_with_a_veto_above_its_threshold_is_not_used(tmp_path: Path) -> None:
    good = {"features": polarity.FEATURES, "bias": 0.0, "weights": {}, "threshold": 0.6}
    (tmp_path / "good.json").write_text(json.dumps({**good, "veto": 0.2, "extras": True}))
    (tmp_path / "bad.json").write_text(json.dumps({**good, "veto": 0.7}))
    loaded = polarity._load(tmp_path / "good.json")
    assert loaded is not None
    assert (loaded.veto, loaded.extras) == (0.2, True)
    assert polarity._load(tmp_path / "bad.json") is None
