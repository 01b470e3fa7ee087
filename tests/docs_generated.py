"""The parts of the docs written from the code, so they cannot drift from it: the JSON Schemas
(docs/schemas/), the JSON tables of docs/formats.md (from the schemas) and the table of options
per command in docs/commands/index.md (from the Typer app).

Run: .venv/bin/python tests/docs_generated.py [--update]. Without --update it lists what is
stale and exits 1; tests/test_docs_generated.py runs that check.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BEGIN = "<!-- generated: {name} (tests/docs_generated.py --update) -->"
END = "<!-- end generated: {name} -->"


def schema_files() -> dict[Path, str]:
    from chainrule_cli.schemas import schemas

    return {
        DOCS / "schemas" / f"{name}.json": json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        for name, schema in schemas().items()
    }


REFS = {
    "number": "number",
    "point": "point",
    "check": "object (below)",
    "step": "object",
    "term": "object",
    "node": "object",
}


def type_text(schema: dict) -> str:
    if "$ref" in schema:
        return REFS[schema["$ref"].rsplit("/", 1)[1]]
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return " or ".join(f"`{json.dumps(v)}`" for v in schema["enum"])
    if "anyOf" in schema or "oneOf" in schema:
        return " or ".join(type_text(s) for s in schema.get("anyOf", schema.get("oneOf")))
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    shown = []
    for kind in kinds:
        if kind == "array" and "items" in schema:
            shown.append(f"list of {type_text(schema['items'])}")
        elif kind == "object" and isinstance(schema.get("additionalProperties"), dict):
            shown.append(f"{{name: {type_text(schema['additionalProperties'])}}}")
        else:
            shown.append(kind)
    return " or ".join(shown)


def json_tables() -> str:
    from chainrule_cli.schemas import COMMANDS, schemas

    every = schemas()
    parts = []
    for name in [*COMMANDS, "error"]:
        schema = every[name]
        required = set(schema["required"])
        title = f"`deriv {name}`" if name != "error" else "A batch line that failed"
        lines = [
            f"#### {title}",
            "",
            f"Schema: [schemas/{name}.json](schemas/{name}.json)",
            "",
            "| key | type | present | meaning |",
            "|---|---|---|---|",
        ]
        for key, field in schema["properties"].items():
            present = "always" if key in required else "when it applies"
            meaning = field.get("description", "").replace("|", "\\|")
            kind = type_text(field).replace("|", "\\|")
            lines.append(f"| `{key}` | {kind} | {present} | {meaning} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def options_table() -> str:
    import typer

    from chainrule_cli.cli import app

    group = typer.main.get_command(app)
    commands = [
        c for c in group.commands if c not in ("completion", "server")
    ]  # the computing ones
    found: dict[str, list[str]] = {}
    for name in commands:
        for param in group.commands[name].params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                option = max(param.opts, key=len)
                found.setdefault(option, []).append(name)
    lines = ["| option | commands that take it |", "|---|---|"]
    for option, names in sorted(found.items()):
        taken = "every command" if len(names) == len(commands) else ", ".join(names)
        lines.append(f"| `{option}` | {taken} |")
    return "\n".join(lines)


SECTIONS = {
    DOCS / "formats.md": {"json tables": json_tables},
    DOCS / "commands" / "index.md": {"options per command": options_table},
}


def with_sections(text: str, sections: dict) -> str:
    for name, make in sections.items():
        begin, end = BEGIN.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
        if not pattern.search(text):
            raise SystemExit(f"no '{begin}' ... '{end}' markers")
        section = f"{begin}\n\n{make()}\n\n{end}"
        text = pattern.sub(lambda _, section=section: section, text)
    return text


def wanted() -> dict[Path, str]:
    files = schema_files()
    for path, sections in SECTIONS.items():
        files[path] = with_sections(path.read_text(encoding="utf-8"), sections)
    return files


def stale() -> list[Path]:
    return [p for p, text in wanted().items() if not p.exists() or p.read_text("utf-8") != text]


def main() -> int:
    if "--update" in sys.argv:
        for path, text in wanted().items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return 0
    old = stale()
    for path in old:
        print(f"stale: {path.relative_to(ROOT)}")
    return 1 if old else 0


if __name__ == "__main__":
    raise SystemExit(main())
