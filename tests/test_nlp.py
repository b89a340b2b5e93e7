import pytest

from eventwire import nlp, settings


def test_default_pipeline_loads_once_with_every_used_component():
    first = nlp.load()
    assert nlp.load() is first
    assert {"parser", "ner", "lemmatizer"} <= set(first.pipe_names)
    assert nlp.pipeline_id(first)["model_version"] == "3.8.0"


def test_model_is_chosen_by_environment_and_config(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.MODEL_ENV, "from_env")
    assert settings.model_name(None) == "from_env"
    assert settings.model_name("explicit") == "explicit"
    monkeypatch.delenv(settings.MODEL_ENV)
    config = tmp_path / "eventwire.toml"
    config.write_text('[eventwire]\nmodel = "from_config"\n')
    monkeypatch.setenv(settings.CONFIG_ENV, str(config))
    assert settings.model_name(None) == "from_config"


def test_a_missing_pipeline_is_a_clear_error():
    with pytest.raises(nlp.ModelError, match="no_such_pipeline"):
        nlp.load("no_such_pipeline")


def test_a_pipeline_can_be_loaded_from_a_path(tmp_path):
    nlp.load().to_disk(tmp_path / "copy")
    loaded = nlp.load(str(tmp_path / "copy"))
    assert "parser" in loaded.pipe_names


def test_jobs_give_the_same_result_as_one_process(tmp_path):
    from eventwire.api import extract_file
    for i in range(6):
        (tmp_path / f"{i}.txt").write_text(f"T{i}\nThe European Union imposed sanctions on Belarus number {i}.\n")
    one = [x.to_dict()["events"] for x in extract_file([str(tmp_path)], jobs=1)]
    two = [x.to_dict()["events"] for x in extract_file([str(tmp_path)], jobs=2)]
    assert len(one) == 6 and all(one) and one == two
