"""The machine result is written in pieces (a large run is never held whole as text); the pieces must add up
to exactly the result."""
import json

import checker.report as report


def test_json_written_in_pieces_is_the_result(seeds_result):
    written = json.loads("".join(report.iter_json(seeds_result)))
    assert written == json.loads(json.dumps(report.result_dict(seeds_result)))
    assert len(written["claims"]) == len(seeds_result.claims_list) > 0


def test_csv_written_in_pieces_equals_one_table(seeds_result, monkeypatch):
    whole = report.render_csv(seeds_result)
    monkeypatch.setattr(report, "CSV_CHUNK", 3)
    pieces = list(report.iter_csv(seeds_result))
    assert len(pieces) > 1 and "".join(pieces) == whole
    assert whole.count("\n") == len(seeds_result.claims_list) + 1
