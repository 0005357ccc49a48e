"""`maslihat check-data`: what an analyst sees for a good and a broken data folder."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import edit_csv
from maslihat.cli import main


def test_check_data_prints_the_findings(capsys):
    assert main(["check-data"]) == 0
    out = capsys.readouterr().out
    import json

    from conftest import ROOT

    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    tables = sum(r.get("profile") == "tabular-data-resource" for r in descriptor["resources"])
    assert f"{tables} tables valid" in out and tables >= 22
    assert "[inconsistent] local_seats_vs_seats_up" in out
    assert "[sources disagree] maslihat_count" in out
    assert "[ok] lists_vs_maslihats" in out


def test_check_data_on_a_broken_folder(data_copy, capsys):
    edit_csv(
        data_copy / "party_lists.csv",
        "AJ,registered,174,reported,wikipedia_local,Campaign section.",
        "AJ,registered,17 4,reported,wikipedia_local,Campaign section.",
    )
    assert main(["check-data", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "party_lists.csv, row 3 (line 4), column 'lists'" in err
    assert "expected a whole number, got '17 4'" in err
    assert "Traceback" not in err


def test_console_script_exit_status(data_copy):
    (data_copy / "parties.csv").write_text("party_code,name\nNO,Nur Otan\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "maslihat.cli", "check-data", "--data-dir", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "missing column 'leader'" in done.stderr and "Traceback" not in done.stderr


def test_unknown_command_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["chek-data"])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'chek-data'" in err and "check-data" in err


def test_render_region_takes_the_notebooks_spellings(capsys, tmp_path):
    """`--region zhambyl` is Jambyl, as in the notebooks; an unknown region exits 2, listing all."""
    status = main(["render", "--region", "zhambyl", "--region", "Atlantis", "--format", "html",
                   "--out", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert "unknown region 'Atlantis'" in err and "Jambyl" in err and "East Kazakhstan" in err
    assert "zhambyl" not in err and "Traceback" not in err


def test_render_takes_several_regions_and_formats_per_flag(capsys, tmp_path):
    """`--region akmola atlantis`: both are regions (the second one unknown here: exit 2)."""
    status = main(["render", "--region", "akmola", "Atlantis", "--format", "html", "pdf",
                   "--out", str(tmp_path)])  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2 and "unknown region 'Atlantis'" in err


def test_render_region_takes_the_names_the_reports_print_and_suggests_for_a_near_miss(capsys,
                                                                                     tmp_path):
    from maslihat.render import select_regions

    assert select_regions(["Карагандинская область", "Қарағанды облысы", "Karaganda Region",
                           "Нур-Султан"]) == ["Karaganda", "Nur-Sultan (city)"]  # fmt: skip
    status = main(["render", "--region", "Karagandy", "--format", "html", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and "unknown region 'Karagandy' (did you mean 'Karaganda'?)" in err
    assert "Kazakh and Russian names" in err and "Traceback" not in err


def test_render_refuses_a_name_of_two_places(capsys, tmp_path):
    status = main(["render", "--region", "Almaty", "--format", "html", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2 and "ambiguous" in err and "Almaty (city)" in err
    assert "Almaty Region" in err and "Traceback" not in err


def test_render_says_when_an_option_swallowed_a_notebook(capsys, tmp_path):
    status = main(["render", "--region", "Almaty Region", "03-seat-shares", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert "'03-seat-shares' is a notebook" in err and "before the options" in err
    assert not list(tmp_path.glob("*.html")), "nothing is rendered for a misread request"
