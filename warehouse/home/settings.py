"""Per-data-home settings, in ``$GRIDPULSE_HOME/settings.yml`` (optional, plain YAML).

Only what belongs to the city the data describes, not to the machine:

    city_name: 星澜市          # shown in the command center's title and the 通报 bulletins
    issuing_unit: …            # the 通报 document's 发文机关; doc_code, bulletin_recipients,
                               # bulletin_requirements, bulletin_template: see the README

``gridpulse generate`` writes the demo city's name there when the data home has none; a home of
real exports sets its own. Without a name the pages say "城市运行指挥中心" / "本市".
"""

from __future__ import annotations

from typing import Any

import yaml

from .paths import DataHome

SETTINGS_FILE = "settings.yml"


def read_settings(home: DataHome) -> dict[str, Any]:
    path = home.root / SETTINGS_FILE
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def city_name(home: DataHome) -> str | None:
    name = read_settings(home).get("city_name")
    return str(name).strip() or None if name else None


def set_defaults(home: DataHome, **values: Any) -> None:
    """Write the ``values`` the settings file does not have yet (existing ones are kept)."""
    settings = read_settings(home)
    missing = {k: v for k, v in values.items() if k not in settings}
    if missing:
        home.root.mkdir(parents=True, exist_ok=True)
        (home.root / SETTINGS_FILE).write_text(
            yaml.safe_dump({**settings, **missing}, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
