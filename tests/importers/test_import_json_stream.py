"""JSON array files are read one item at a time: chunk boundaries, odd spacing, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from importers import files
from importers.files import FileProblem, tables_in


def _items(path: Path) -> list[tuple[int, dict[str, object]]]:
    return list(files._json_items(path, path.name))


@pytest.fixture(params=[1, 3, 7, 64 * 1024], ids=lambda n: f"chunk{n}")
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Read in tiny chunks too, so items, strings, escapes and numbers straddle refills."""
    monkeypatch.setattr(files, "_JSON_CHUNK", request.param)
    return int(request.param)


def test_items_with_brackets_and_commas_in_strings_and_any_spacing(
    tmp_path: Path, chunk: int
) -> None:
    items = [
        {"id": "K1", "name": "a],b[,c}{", "quote": 'say "hi", \\ ok'},
        {"id": "K2", "nested": {"list": [1, 2, {"x": "]"}]}, "n": 1234567890123},
        {"id": "K3", "name": "孙丽", "escaped": "\u00e9\u4e2d"},
    ]
    text = " \n[\n\t" + " ,\r\n  ".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n]\n"
    path = tmp_path / "contact.json"
    path.write_text(text, encoding="utf-8")
    assert _items(path) == list(enumerate(items, start=1))


def test_an_item_larger_than_a_chunk(tmp_path: Path) -> None:
    big = {"id": "K1", "notes": "x" * (200 * 1024), "list": list(range(20_000))}
    path = tmp_path / "contact.json"
    path.write_text(json.dumps([{"id": "K0"}, big, {"id": "K2"}]), encoding="utf-8")
    assert [n for n, _ in _items(path)] == [1, 2, 3]
    assert _items(path)[1][1] == big


def test_empty_array(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "contact.json"
    path.write_text(" [ \n ] \n", encoding="utf-8")
    assert _items(path) == []


def test_utf8_bom_is_skipped(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "contact.json"
    path.write_text('[{"id": "K1", "name": "赵强"}]', encoding="utf-8-sig")
    assert _items(path) == [(1, {"id": "K1", "name": "赵强"})]
    (table,) = tables_in([path])
    assert table.headers == ["id", "name"]


def test_text_after_the_array_names_the_file_and_the_item(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "contact.json"
    path.write_text('[{"id": "K1"}, {"id": "K2"}]\n[{"id": "K3"}]', encoding="utf-8")
    with pytest.raises(FileProblem, match=r"contact\.json.*after item 2.*line 2 column 1"):
        _items(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"id": "K1"} {"id": "K2"}]', "',' or ']' expected after item 1"),
        ('[{"id": "K1"},]', "item 2: Expecting value"),
        ('[{"id": "K1"}, {"id": tru}]', "item 2: Expecting value"),
        ('[{"id": "K1"}, {"id": "K2"}', "the array is not closed after item 2"),
    ],
)
def test_broken_arrays_name_the_item(tmp_path: Path, chunk: int, text: str, message: str) -> None:
    path = tmp_path / "contact.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileProblem, match="is not valid JSON") as caught:
        _items(path)
    assert caught.value.file == "contact.json"
    assert message in caught.value.message


def test_a_top_level_value_that_is_not_an_array_is_refused_as_before(tmp_path: Path) -> None:
    path = tmp_path / "contact.json"
    path.write_text('{"records": [{"id": "K1"}]}', encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        _items(path)
    assert caught.value.message == "must hold a JSON array of objects, one per record"
    path.write_text("", encoding="utf-8")
    with pytest.raises(FileProblem, match="is not valid JSON: Expecting value"):
        _items(path)


def test_an_item_that_is_not_an_object_is_refused_as_before(tmp_path: Path, chunk: int) -> None:
    path = tmp_path / "contact.json"
    path.write_text('[{"id": "K1"}, ["K2"]]', encoding="utf-8")
    with pytest.raises(FileProblem) as caught:
        _items(path)
    assert (caught.value.message, caught.value.row) == ("item 2 is not a JSON object", 2)


def test_items_stream_before_the_rest_of_the_file_is_read(tmp_path: Path) -> None:
    """The first items come out before a problem near the end is even seen."""
    path = tmp_path / "contact.json"
    items = [{"id": f"K{i}", "pad": "x" * 100} for i in range(5000)]
    path.write_text(json.dumps(items)[:-1] + ", oops]", encoding="utf-8")
    stream = files._json_items(path, path.name)
    assert next(stream) == (1, items[0])
    with pytest.raises(FileProblem, match="item 5001"):
        list(stream)
