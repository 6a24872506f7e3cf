"""Every Chinese text that Python code hands to a user goes through gettext (issue 13, "English complete").

`tests/test_i18n_complete.py` checks that each msgid has English; this test finds the Chinese that never
became a msgid. It parses (ast) every module of the packages in PACKAGES and fails on a string constant
holding a CJK ideograph that reaches the user unwrapped. "Reaches the user" means it sits, at any depth
(inside a dict, a % operand, a concatenation, an f-string), in one of:

- the arguments of a call in a ``raise`` statement (a service's ValidationError, PermissionDenied,
  Http404, ninja's HttpError, a domain error class: whatever is raised is shown by the page or the API);
- a call to ValidationError / PermissionDenied / Http404 / HttpError anywhere (built, then raised later);
- ``messages.<level>(request, …)`` / ``messages.add_message``, ``form.add_error(…)``;
- the notices a user reads: ``notify_units(…)`` / ``notify_user(…)`` / ``notify(…)`` (title, body);
- the value assigned to ``errors[…]`` (the service pattern that collects errors per field), and dict
  values under the keys "errors", "error", "detail", "message" in a dict literal (API answers).

Not flagged, and why: the arguments of gettext calls (that is the point); docstrings, comments, logging
and audit texts (for operators, and audit entries keep what happened in the language it happened in);
data tables and seeds (module constants, form specs, the demo's sample names: data, not interface);
regular expressions; management commands (the operator's console, in the deployment's language);
strings of CJK punctuation only (a "、" separator is not a sentence). Tests and migrations are skipped.

Every package is in PACKAGES; a new domain joins the list when it lands.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "sciweek"

#: Package folders (or single modules, or "folder/prefix*" globs) under sciweek/ that this test covers.
PACKAGES = [
    "core",
    "orgs",
    "accounts",
    "events",
    "reports",
    "campaigns",
    "reminders",
    "demo",
    "portal",
    "api",
    "notices",
    "materials",
    "contests",
    "judging",
    "selections",
    "innovation",
    "summary",
]

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "_lazy",
    "gettext_noop",
}
ERROR_CALLS = {"ValidationError", "PermissionDenied", "Http404", "HttpError", "CampaignClosedError"}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error", "add_message"}
NOTIFY_CALLS = {"notify", "notify_units", "notify_user", "add_error"}
ERROR_KEYS = {"errors", "error", "detail", "message"}
SKIP_PARTS = {"tests", "migrations", "management"}


def _files() -> list[Path]:
    found: set[Path] = set()
    for entry in PACKAGES:
        path = ROOT / entry
        if path.suffix == ".py":
            found.add(path)
        else:
            found |= set(path.rglob("*.py"))
    return sorted(p for p in found if not SKIP_PARTS & set(p.relative_to(ROOT).parts))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_messages_call(call: ast.Call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and f.attr in MESSAGE_LEVELS and _name(f.value) == "messages"


def _unwrapped(node: ast.AST) -> list[ast.AST]:
    """CJK string constants (and f-strings with CJK text) in ``node``, not inside a gettext call."""
    out: list[ast.AST] = []

    def walk(n: ast.AST) -> None:
        if isinstance(n, ast.Call) and _name(n.func) in GETTEXT:
            return
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            if CJK.search(n.value):
                out.append(n)
            return
        if isinstance(n, ast.JoinedStr):
            if any(isinstance(v, ast.Constant) and CJK.search(str(v.value)) for v in n.values):
                out.append(n)
            for v in n.values:
                if isinstance(v, ast.FormattedValue):
                    walk(v.value)
            return
        if isinstance(n, ast.Call) and _name(n.func) in ("compile", "match", "search", "sub", "fullmatch"):
            return  # regular expressions
        for child in ast.iter_child_nodes(n):
            walk(child)

    walk(node)
    return out


def _call_args(call: ast.Call) -> list[ast.AST]:
    return [*call.args, *(k.value for k in call.keywords)]


def _offences(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in _call_args(node.exc):
                found += _unwrapped(arg)
        elif isinstance(node, ast.Call):
            name = _name(node.func)
            if name in ERROR_CALLS or name in NOTIFY_CALLS or _is_messages_call(node):
                for arg in _call_args(node):
                    found += _unwrapped(arg)
        elif isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Subscript) and _name(t.value).endswith("errors") for t in targets):
                found += _unwrapped(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in ERROR_KEYS:
                    found += _unwrapped(value)
    # A string met twice (a raise of a ValidationError call) counts once.
    unique = {id(n): n for n in found}
    return sorted(unique.values(), key=lambda n: (n.lineno, n.col_offset))


def _text(node: ast.AST) -> str:
    return node.value if isinstance(node, ast.Constant) else ast.unparse(node)


def test_the_rule_catches_what_it_should():
    src = """
from django.utils.translation import gettext as _
def f(errors, request, x):
    raise ValidationError("请填写名称")
    raise ValidationError(_("请填写%(n)s") % {"n": "名称"})
    raise ValueError(f"第{x}行有误")
    messages.success(request, "已保存")
    errors["name"] = "名称太长"
    return {"detail": "没有权限"}, "这不是给用户的", _("已包好"), _("%(a)s") % {"a": "、".join(x)}
"""
    texts = [_text(n) for n in _offences(ast.parse(src))]
    assert texts == ["请填写名称", "名称", "f'第{x}行有误'", "已保存", "名称太长", "没有权限"]


def test_no_chinese_reaches_the_user_without_gettext():
    assert _files(), "PACKAGES names no Python files"
    problems = []
    for path in _files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in _offences(tree):
            problems.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {_text(node)[:70]}")
    assert not problems, (
        f"{len(problems)} Chinese strings reach the user without gettext "
        '(wrap them: _("…%(name)s…") % {...}; English in sciweek/locale/en):\n' + "\n".join(problems)
    )


# A field's name handed to a helper that puts it into a message ("「%(label)s」…", "%(what)s已被其他人修改…"):
# the helper's own message is a msgid, so the name must be one too, or English reads "Please enter “走访人员”".
# Checked in every package (form labels and help texts included: they are class-level, so gettext_lazy).
LABEL_PACKAGES = PACKAGES
LABEL_CALLS = {"check_version", "StaleVersion", "_text", "_date", "_amount"}
LABEL_KEYWORDS = {"field_label", "what"}  # and a form field's label (forms.CharField(label=…))


def _label_offences(tree: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if _name(node.func) in LABEL_CALLS:
            for arg in _call_args(node):
                found += _unwrapped(arg)
        else:
            form_field = isinstance(node.func, ast.Attribute) and _name(node.func.value) == "forms"
            for k in node.keywords:
                if k.arg in LABEL_KEYWORDS or (form_field and k.arg in ("label", "help_text")):
                    found += _unwrapped(k.value)
    unique = {id(n): n for n in found}
    return sorted(unique.values(), key=lambda n: (n.lineno, n.col_offset))


def test_the_label_rule_catches_what_it_should():
    src = """
def f(obj, v, n):
    check_version(obj, v, "该走访记录")
    _text(v, "走访人员", "visitors", 200)
    check_image(v, field_label="照片")
    forms.CharField(label="企业名称")
    purge_user_folders(label="企业名单导入")
    _text(v, _("联系人%(n)s姓名") % {"n": n}, "contacts", 50)
    check_version(obj, v, _("该服务日志"))
"""
    texts = [_text(n) for n in _label_offences(ast.parse(src))]
    assert texts == ["该走访记录", "走访人员", "照片", "企业名称"]


def test_field_names_put_into_messages_are_msgids_too():
    problems = []
    for path in sorted(p for entry in LABEL_PACKAGES for p in (ROOT / entry).rglob("*.py")):
        if SKIP_PARTS & set(path.relative_to(ROOT).parts):
            continue
        for node in _label_offences(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            problems.append(f"{path.relative_to(ROOT.parent)}:{node.lineno}: {_text(node)[:70]}")
    assert not problems, "field names put into messages without gettext:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_a_service_refusal_reads_in_the_users_language():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from sciweek.orgs.services import unit_create

    for language, text in (("zh-hans", "请填写单位名称"), ("en", "Please enter the unit's name")):
        with translation.override(language), pytest.raises(ValidationError, match=text):
            unit_create(actor="测试", parent=None, name=" ", kind="county", code="t-1")
