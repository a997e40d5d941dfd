"""Nothing imports upward: each module imports only from its own layer or the layers below it.

The layers are those of docs/architecture.md, lowest first. A module that belongs to no layer
fails the test too, so a new folder is placed deliberately.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("knowledge", "bot", "intents", "desk")

# Lowest first; a module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("knowledge",),
    # the shared vocabulary: messages, wording, settings, the clock, what a message means
    (
        "bot",
        "bot.clock",
        "bot.settings",
        "bot.messages",
        "bot.conversation",
        "bot.wording",
        "bot.understanding",
        "bot.links",
        "bot.qr",
        "bot.lead_fields",
    ),
    ("bot.storage",),
    # the spine: one turn, routed to the intents it is given
    (
        "bot.router",
        "bot.forms",
        "bot.dispatcher",
        "bot.retention",
        "bot.alert_delivery",
        "bot.live_knowledge",
    ),
    ("intents",),
    # the staff desk: what staff do, whoever asks (Slack, the command line, the web console)
    ("desk",),
    # the edges: assembling the concierge, the channels, the server and the command line
    (
        "bot.services",
        "bot.evaluation",
        "bot.http_guard",
        "bot.person_delivery",
        "bot.event_delivery",
        "bot.notice_delivery",
        "bot.channels",
        "bot.console",
        "bot.app",
        "bot.cli",
        "bot.__main__",
    ),
)


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for layer, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), layer)
    return best[1] if best else None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path: Path) -> set[str]:
    """Every project module ``path`` imports, including those imported only for type checking."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name.split(".")[0] in PACKAGES}


def sources() -> list[Path]:
    return sorted(path for package in PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    assert [module_name(p) for p in sources() if layer_of(module_name(p)) is None] == []


def upward(module: str, names: set[str]) -> list[str]:
    """The imports of ``module`` that reach a layer above its own."""
    own = layer_of(module)
    return sorted(
        f"{module} imports {name}"
        for name in names
        if own is not None and (target := layer_of(name)) is not None and target > own
    )


def test_nothing_imports_from_a_layer_above_its_own() -> None:
    found = [line for path in sources() for line in upward(module_name(path), imported(path))]
    assert found == []


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    written = tmp_path / "leads.py"
    written.write_text("from bot.storage.models import Lead\nfrom intents.lead import LeadForm\n")
    assert upward("bot.storage.leads", imported(written)) == [
        "bot.storage.leads imports intents.lead",
        "bot.storage.leads imports intents.lead.LeadForm",
    ]
    assert upward("bot.router", {"bot.channels.line.webhook"}) == [
        "bot.router imports bot.channels.line.webhook"
    ]
    assert upward("bot.channels.web", {"intents.menu", "bot.storage", "knowledge"}) == []
