"""Which block (or header field) a title names: the official title, the template's synonyms, a
translation with the English name in parentheses, numbering and emphasis around it.

Shared by the Markdown importer (section titles, bold labels, `**Product**:` lines) and the
dispatcher's choice of template. UI-free.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from canvas_tui.model.template import Template

FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "product": (
        "Product",
        "Product name",
        "Project",
        "Project name",
        "Designed for",
        "Projeto",
        "Nome do projeto",
        "Produto",
        "Proyecto",
        "Projet",
    ),
    "designed_by": (
        "Designed by",
        "Team",
        "Authors",
        "Author",
        "Group",
        "Equipe",
        "Equipa",
        "Autores",
        "Autor",
        "Integrantes",
        "Projetado por",
        "Desenhado por",
    ),
    "date": ("Date", "Data", "Fecha"),
    "iteration": ("Iteration", "Iteração", "Iteracao", "Version", "Versão", "Iteración"),
}
"""Labels of header fields in the wild, by field id; a template's own labels count too."""

_NUMBERING = re.compile(
    r"^(?:(?:step|block|part|passo|etapa)\s+)?(?:\d+(?:\.\d+)*|[ivx]+|[a-z])[.):]\s+|^\d+(?:\.\d+)*\s+",
    re.IGNORECASE,
)
_PARENTHESES = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
_SMALL_WORDS = {"and", "the", "of", "e", "de", "da", "do", "das", "dos", "y", "et"}


def words(title: str) -> str:
    """A title reduced to what names it: no numbering, emphasis, punctuation, accents, case, 'and',
    or plural 's' (`## 2. **Value Propositions:**` -> `value proposition`)."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[*_`~]+", "", text).strip()
    text = _NUMBERING.sub("", text)
    text = text.replace("&", " and ").replace("+", " and ").replace("/", " and ")
    text = re.sub(r"[^\w\s]", " ", text.casefold()).replace("_", " ")
    kept = [_singular(word) for word in text.split() if word not in _SMALL_WORDS]
    return " ".join(kept)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def candidates(title: str) -> list[str]:
    """The ways a title may name a block: as a whole, without what is in parentheses, and what is in
    parentheses (`Propostas de Valor (Value Propositions)`)."""
    found = [title]
    inside = [
        next(part for part in match.groups() if part is not None) for match in _PARENTHESES.finditer(title)
    ]
    if inside:
        found.append(_PARENTHESES.sub(" ", title))
        found += inside
    for separator in (" - ", " – ", " — ", " / ", " | "):
        if separator in title:
            found += title.split(separator)
    return [words(item) for item in found if words(item)]


def block_names(template: Template) -> dict[str, str]:
    """Every name that maps to a block of `template` (reduced by `words`) -> block id. The official
    titles win over synonyms, a block's id counts as a name too."""
    names: dict[str, str] = {}
    for spec in template.blocks:
        for name in spec.synonyms:
            names.setdefault(words(name), spec.id)
    for spec in template.blocks:
        for name in (spec.id.replace("_", " "), spec.short_title):
            names[words(name)] = spec.id
    for spec in template.blocks:
        names[words(spec.title)] = spec.id
    return names


def block_for(title: str, names: dict[str, str]) -> str | None:
    """The block a section title names, or None."""
    for candidate in candidates(title):
        if candidate in names:
            return names[candidate]
    return None


def field_names(template: Template) -> dict[str, str]:
    """Every label that names a header field of `template` -> field id."""
    ids = {spec.id for spec in template.fields}
    names: dict[str, str] = {}
    for field_id, labels in FIELD_NAMES.items():
        if field_id in ids:
            for label in labels:
                names[words(label)] = field_id
    for spec in template.fields:
        names[words(spec.label)] = spec.id
    return names


def matches(titles: Iterable[str], template: Template) -> tuple[int, int]:
    """How well a document fits `template`: how many distinct blocks its titles name, and how many
    of those by the block's own title (which settles a tie: "Decisions" is Dorard's block, the MLOps
    canvas's only by its plural)."""
    names = block_names(template)
    own = {words(spec.title): spec.id for spec in template.blocks}
    found = [block_for(title, names) for title in titles]
    by_title = [block_for(title, own) for title in titles]
    return len({b for b in found if b}), len({b for b in by_title if b})
