"""Rendering documents from templates: Word (.docx, docxtpl) and text (e-mail bodies), strictly.

- The facilitator's folder comes first, then the packaged defaults: a file there replaces the
  default of the same name.
- Sandboxed Jinja2 with StrictUndefined: a template cannot reach Python internals, and an unknown
  variable stops the run, with the template and the variable named. Everything is rendered in
  memory: nothing is written until every document rendered.
- A run renders the same few templates hundreds of times: each .docx template is opened once per
  file version (`docx_package`), one environment per escaping mode is kept, and each distinct
  template text (a .docx body, header, footer, property) is cleaned up and compiled once; a document
  then only renders its parts and writes them beside the template's unchanged members, copied
  still compressed.
"""

from __future__ import annotations

import functools
import re
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from ..core.errors import TemplateError
from ..core.values import AMOUNT, DATE, HOURS, NUMBER, SHARE, de, que
from ..resources import templates_dir
from .docx_package import DocxPlan, plan_docx
from .french import to_text
from .output import note_input

_LISTING = re.compile("[\t\a\n\f]")
_UNDEFINED = (re.compile(r"'([^']+)' is undefined"), re.compile(r"has no attribute '([^']+)'"))


@dataclass(frozen=True)
class Templates:
    """Where templates are looked for: the user's folder (optional), then the defaults."""

    user: Path | None = None
    defaults: Path = field(default_factory=templates_dir)

    @property
    def folders(self) -> list[Path]:
        return [p for p in (self.user, self.defaults) if p is not None]

    def path(self, name: str) -> Path:
        """The file that renders `name`; a missing template cannot proceed."""
        if self.user is not None and not self.user.is_dir():
            raise TemplateError(f"Le dossier de modèles « {self.user} » n'existe pas.")
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                note_input(candidate)
                return candidate
        raise TemplateError(f"Le modèle « {name} » est introuvable (cherché dans : "
                            + ", ".join(f"« {f} »" for f in self.folders) + ").")

    def render_docx(self, name: str, context: Mapping[str, Any]) -> bytes:
        """The .docx made from template `name` with `context` (typed values formatted in French)."""
        path = self.path(name)
        values = to_text(context)
        env = shared_environment(autoescape=True)
        try:
            plan = _docx_plan(path, *_stamp(path))
            missing = _template_variables(path, *_stamp(path)) - set(values)
            if missing:
                raise TemplateError(_unknown(path, sorted(missing)[0], values))
            return plan.render(values, env, _docx_helper)
        except TemplateError:
            raise
        except Exception as err:
            raise _explain(path, err, values) from err

    def render_text(self, name: str, context: Mapping[str, Any]) -> str:
        """A text template (e-mail body) rendered with `context`."""
        path = self.path(name)
        values = to_text(context)
        env = shared_environment(autoescape=False)
        try:
            template = env.from_string(path.read_text(encoding="utf-8"))
            return template.render(values)
        except Exception as err:
            raise _explain(path, err, values) from err


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=64)
def _docx_plan(path: Path, mtime_ns: int, size: int) -> DocxPlan:
    """The template opened once per file version (not once per document: opening it was half the
    time of a letter, and recompressing its unchanged styles another quarter)."""
    return plan_docx(str(path), _patched_xml)


@functools.lru_cache(maxsize=64)
def _template_variables(path: Path, mtime_ns: int, size: int) -> frozenset[str]:
    """Every variable a .docx template uses (body, headers, footers, as docxtpl lists them), once per
    file version rather than once per document."""
    from jinja2 import meta

    source = _docx_plan(path, mtime_ns, size).variables_source()
    return frozenset(meta.find_undeclared_variables(environment(True).parse(source)))


class _CompilingOnce(SandboxedEnvironment):
    """The sandboxed environment, remembering the compiled template of each source text it saw.

    docxtpl calls `from_string` on the XML of every part of every document; the XML of a template
    is the same from one document to the next, so compiling it once is enough. Only successful
    compilations are kept (a syntax error is raised again, each time); the most recent
    `KEEP` sources are kept (a run uses a few templates, each a handful of parts).
    """

    KEEP = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, jinja2.Template] = OrderedDict()

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
            if len(self._compiled) > self.KEEP:
                self._compiled.popitem(last=False)
        else:
            self._compiled.move_to_end(source)
        return template


def environment(autoescape: bool) -> SandboxedEnvironment:
    """The one Jinja2 environment documents use: sandboxed, strict, with French filters."""
    env = _CompilingOnce(undefined=jinja2.StrictUndefined, autoescape=autoescape, keep_trailing_newline=True)
    env.filters.update(montant=_num(AMOUNT.text), heures=_num(HOURS.text), taux=_num(SHARE.text),
                       nombre=_num(NUMBER.bare), date_fr=lambda v: DATE.text(v) if hasattr(v, "year") else v,
                       de=de, que=que)
    return env


@functools.cache
def shared_environment(autoescape: bool) -> SandboxedEnvironment:
    """The environment of this process for this escaping mode, so that its compiled templates last."""
    return environment(autoescape)


@functools.lru_cache(maxsize=256)
def _patched_xml(src_xml: str) -> str:
    """docxtpl's clean-up of a part's XML into Jinja text (a pure function of the text: done once)."""
    from docxtpl import DocxTemplate

    patched: str = DocxTemplate.patch_xml(None, src_xml)
    return patched


@functools.cache
def _docx_template_class() -> type:
    """DocxTemplate with the XML clean-up remembered (docxtpl is imported only when documents are made);
    its part rendering and fixes are what `DocxPlan.render` applies."""
    from docxtpl import DocxTemplate

    class OnceDocxTemplate(DocxTemplate):  # type: ignore[misc]  # docxtpl ships no type information
        def patch_xml(self, src_xml: str) -> str:
            return _patched_xml(src_xml)

        def resolve_listing(self, xml: str) -> str:
            # Three regular-expression passes over the whole part, to turn tabs, line and page
            # breaks of the values into Word's; nothing to turn when there are none.
            return super().resolve_listing(xml) if _LISTING.search(xml) else xml

    return OnceDocxTemplate


def _docx_helper() -> Any:
    """A docxtpl object without a file: what `DocxPlan.render` borrows docxtpl's part rendering from."""
    return _docx_template_class()(None)


def _num(fmt: Callable[[Any], str]) -> Callable[[Any], Any]:
    """Filters accept raw numbers and leave text (already formatted values) as it is."""
    return lambda v: fmt(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _unknown(path: Path, variable: str, values: Mapping[str, Any]) -> str:
    known = ", ".join(sorted(values))
    return (f"Le modèle « {path.name} » ({path.parent}) utilise la variable « {variable} », qui n'existe pas : "
            f"corrigez le modèle (variables disponibles : {known}). Aucun fichier n'a été écrit.")


def _explain(path: Path, err: Exception, values: Mapping[str, Any]) -> TemplateError:
    """One French sentence naming the template and what is wrong in it."""
    if isinstance(err, SecurityError):
        return TemplateError(f"Le modèle « {path.name} » ({path.parent}) tente d'accéder à l'intérieur de Python, "
                             f"ce qui est interdit ({err}). Aucun fichier n'a été écrit.")
    if isinstance(err, UndefinedError) or (isinstance(err, TypeError) and "Undefined" in str(err)):
        for pattern in _UNDEFINED:
            found = pattern.search(str(err))
            if found:
                return TemplateError(_unknown(path, found.group(1), values))
        return TemplateError(_unknown(path, str(err), values))
    if isinstance(err, TemplateSyntaxError):
        return TemplateError(f"Le modèle « {path.name} » ({path.parent}) a une balise mal formée "
                             f"(ligne {err.lineno}) : {err.message}. Aucun fichier n'a été écrit.")
    return TemplateError(f"Le modèle « {path.name} » ({path.parent}) ne peut pas être utilisé "
                         f"({type(err).__name__} : {err}). Aucun fichier n'a été écrit.")
