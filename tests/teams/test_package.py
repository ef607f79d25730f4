"""`qabot teams package`: the app package Teams accepts."""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path

import pytest

from bot.cli import main
from tests.teams.conftest import BOT_APP_ID


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_package_holds_a_valid_manifest_and_both_icons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID", BOT_APP_ID)
    monkeypatch.setenv("TEAMS_PUBLIC_URL", "https://qabot.example.org")
    out = tmp_path / "qabot-teams.zip"
    assert main(["teams", "package", "--out", str(out)]) == 0
    assert "qabot-teams.zip" in capsys.readouterr().out

    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json"))
        assert _png_size(zf.read("color.png")) == (192, 192)
        assert _png_size(zf.read("outline.png")) == (32, 32)

    assert manifest["manifestVersion"] == "1.17"
    assert manifest["$schema"].endswith("/v1.17/MicrosoftTeams.schema.json")
    assert manifest["id"] == BOT_APP_ID
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT_APP_ID
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    titles = {c["title"] for cl in bot["commandLists"] for c in cl["commands"]}
    assert {"action add", "action list", "finding add", "qa status"} <= titles
    for cl in bot["commandLists"]:
        assert len(cl["commands"]) <= 10
        for c in cl["commands"]:
            assert len(c["title"]) <= 32 and 0 < len(c["description"]) <= 128
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["validDomains"] == ["qabot.example.org"]
    assert manifest["webApplicationInfo"]["id"] == BOT_APP_ID
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["developer"]["name"]) <= 32
    assert len(manifest["description"]["short"]) <= 80
    assert all(
        manifest["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl")
    )
    assert not re.search(r"\{(app_id|version|bot_name|board|website)\}", json.dumps(manifest))


def test_package_without_an_app_id_says_which_setting_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "qabot-teams.zip"
    assert main(["teams", "package", "--out", str(out)]) == 2
    assert "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID" in capsys.readouterr().err
    assert not out.exists()
