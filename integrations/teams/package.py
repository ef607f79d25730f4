"""The Teams app package: manifest.json (schema 1.17) plus the two icons, zipped.

The app id is the bot's Entra app (client) id; the command lists come from the command groups
this deployment has. Upload the zip in Teams (Apps > Manage your apps > Upload an app) or the
Teams admin centre.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from commands.errors import ConfigError

if TYPE_CHECKING:
    from integrations.teams.settings import TeamsSettings

HERE = Path(__file__).parent
TEMPLATE = HERE / "manifest.template.json"
ASSETS = HERE / "assets"
ICONS = {"color.png": 192, "outline.png": 32}

# The commands Teams suggests when someone types @QA Bot (at most 10 per list).
SUGGESTED = [
    ("action", "add"),
    ("action", "list"),
    ("action", "done"),
    ("finding", "add"),
    ("finding", "list"),
    ("qa", "status"),
    ("qa", "agenda"),
    ("s11", "status"),
    ("s11", "launch"),
    ("qa", "help"),
]
NO_APP_ID = (
    "The Teams app package needs the bot's app id: set CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID "
    "to the Azure Bot's Microsoft App ID (an Entra app registration's client id)."
)


def command_list() -> list[dict[str, str]]:
    from commands import router

    out = []
    for group, name in SUGGESTED:
        sc = router.find(group, name)
        if sc is None or sc.hidden:
            continue
        out.append(
            {"title": f"{group} {name}"[:32], "description": sc.summary[:1].upper() + sc.summary[1:128]}
        )
    return out[:10]


def _fill(node: Any, values: dict[str, str]) -> Any:
    if isinstance(node, str):
        for key, value in values.items():
            node = node.replace("{" + key + "}", value)
        return node
    if isinstance(node, list):
        return [_fill(x, values) for x in node]
    if isinstance(node, dict):
        return {k: _fill(v, values) for k, v in node.items()}
    return node


def build_manifest(settings: TeamsSettings) -> dict[str, Any]:
    app_id = (settings.client_id or "").strip()
    if not app_id:
        raise ConfigError(NO_APP_ID)
    website = settings.public_url or "https://localhost"
    if not website.startswith("https://"):
        raise ConfigError("TEAMS_PUBLIC_URL must be an https:// address (Teams requires it).")
    bot_name = settings.bot_name.strip() or "QA Bot"
    values = {
        "app_id": app_id,
        "version": settings.app_version,
        "bot_name": bot_name[:30],
        "board": "Safeguarding Children Board",
        "website": website,
    }
    manifest: dict[str, Any] = _fill(json.loads(TEMPLATE.read_text()), values)
    manifest["developer"]["name"] = manifest["developer"]["name"][:32]
    manifest["name"]["full"] = manifest["name"]["full"][:100]
    commands = command_list()
    manifest["bots"][0]["commandLists"] = [
        {"scopes": ["team", "groupChat"], "commands": commands},
        {"scopes": ["personal"], "commands": commands},
    ]
    host = urlparse(settings.public_url or "").hostname
    manifest["validDomains"] = [host] if host else []
    return manifest


def icon_bytes(name: str) -> bytes:
    path = ASSETS / name
    if not path.exists():
        draw_icons(ASSETS)
    return path.read_bytes()


def build_package(settings: TeamsSettings) -> bytes:
    manifest = build_manifest(settings)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for name in ICONS:
            zf.writestr(name, icon_bytes(name))
    return buf.getvalue()


def write_package(settings: TeamsSettings, out: Path) -> Path:
    data = build_package(settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def draw_icons(folder: Path) -> None:
    """Draw the two icons Teams wants: a 192x192 full-colour one, and a 32x32 white outline on
    a transparent background. (The shipped PNGs were made with this.)"""
    from PIL import Image, ImageDraw, ImageFont

    folder.mkdir(parents=True, exist_ok=True)
    color = Image.new("RGBA", (192, 192), (31, 111, 139, 255))
    draw = ImageDraw.Draw(color)
    draw.rounded_rectangle((20, 20, 172, 172), radius=28, outline=(255, 255, 255, 255), width=8)
    font = ImageFont.load_default(size=76)
    draw.text((96, 92), "QA", fill=(255, 255, 255, 255), font=font, anchor="mm")
    draw.line((64, 140, 128, 140), fill=(255, 214, 102, 255), width=8)
    color.save(folder / "color.png")

    outline = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    draw = ImageDraw.Draw(outline)
    draw.rounded_rectangle((2, 2, 29, 29), radius=6, outline=(255, 255, 255, 255), width=2)
    draw.text((16, 15), "QA", fill=(255, 255, 255, 255), font=ImageFont.load_default(size=13), anchor="mm")
    outline.save(folder / "outline.png")
