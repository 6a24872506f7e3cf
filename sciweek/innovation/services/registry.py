"""Writes to the registries: enterprises (with contacts), experts / 科技特派员, partner organisations.

Keyword-only, transactional, audited; a stale version is refused (core.errors.check_version).
Every message names the field in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from sciweek.core.audit import audit_log, snapshot
from sciweek.core.errors import check_version
from sciweek.orgs.models import OrgUnit, UnitKind

from ..choices import (
    DIVISIONS,
    QUALIFICATIONS,
    SECTIONS,
    OrgKind,
    Size,
    field_of_discipline,
    section_of_division,
)
from ..creditcode import credit_code_error, normalize
from ..models import Enterprise, EnterpriseContact, Expert, PartnerOrg
from ..text import token_text

ENTERPRISE_UNIT_KINDS = {UnitKind.TOWN, UnitKind.DEVZONE}
ENTERPRISE_FIELDS = ("name", "section", "division", "size", "qualifications", "address", "main_products")
MAX_KEYWORDS = 30


def _text(value: Any, label: str, field: str, *, max_length: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: _("请填写「%(label)s」。") % {"label": label}})
    if len(text) > max_length:
        raise ValidationError(
            {field: _("「%(label)s」不能超过%(limit)s个字。") % {"label": label, "limit": max_length}}
        )
    return text


def check_enterprise_fields(*, unit: OrgUnit, fields: dict[str, Any]) -> dict[str, Any]:
    """Cleaned fields, or a ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if unit.kind not in ENTERPRISE_UNIT_KINDS:
        errors["unit_id"] = _("「所在镇/园区」应为镇（街道）或经济开发区，「%(unit)s」不是。") % {
            "unit": unit.name
        }
    for key, label, limit in (
        ("name", _("企业名称"), 100),
        ("address", _("地址"), 200),
        ("main_products", _("主要产品"), 300),
    ):
        if key in fields:
            try:
                out[key] = _text(fields[key], label, key, max_length=limit, required=key == "name")
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    section = str(fields.get("section") or "").strip().upper()
    division = str(fields.get("division") or "").strip()
    if division and division not in DIVISIONS and section_of_division(division) is None:
        errors["division"] = _("「行业大类」应为 GB/T 4754-2017 的两位代码（01–97），收到「%(value)s」。") % {
            "value": division[:10]
        }
    elif division:
        section = section or section_of_division(division) or ""
        if section_of_division(division) != section:
            errors["division"] = _("行业大类 %(division)s 不属于门类 %(section)s。") % {
                "division": division,
                "section": section,
            }
    if section and section not in SECTIONS:
        errors["section"] = _("「行业门类」应为 GB/T 4754-2017 门类字母 A–T，收到「%(value)s」。") % {
            "value": section[:10]
        }
    if "section" in fields or "division" in fields:
        out["section"], out["division"] = section, division
    if "size" in fields:
        size = str(fields.get("size") or "")
        if size and size not in Size.values:
            errors["size"] = _("「企业规模」应为大型、中型、小型或微型。")
        out["size"] = size
    if "qualifications" in fields:
        tags = list(
            dict.fromkeys(str(t).strip() for t in (fields.get("qualifications") or []) if str(t).strip())
        )
        unknown = [t for t in tags if t not in QUALIFICATIONS]
        if unknown:
            errors["qualifications"] = _("「资质」不认识：%(unknown)s（可选：%(options)s）。") % {
                "unknown": _("、").join(unknown[:3]),
                "options": _("、").join(QUALIFICATIONS),
            }
        out["qualifications"] = tags
    if errors:
        raise ValidationError(errors)
    return out


def check_credit_code(code: str, *, exclude_pk: int | None = None) -> str:
    code = normalize(code)
    if error := credit_code_error(code):
        raise ValidationError({"credit_code": error})
    taken = Enterprise.objects.filter(credit_code=code).exclude(pk=exclude_pk or 0).first()
    if taken is not None:
        raise ValidationError(
            {
                "credit_code": _("「统一社会信用代码」%(code)s 已登记（%(name)s）。")
                % {"code": code, "name": taken.name}
            }
        )
    return code


def _set_contacts(enterprise: Enterprise, contacts: Iterable[dict[str, str]]) -> None:
    enterprise.contacts.all().delete()
    rows = []
    for n, c in enumerate(contacts, start=1):
        name = _text(c.get("name"), _("联系人%(n)s姓名") % {"n": n}, "contacts", max_length=50, required=True)
        phone = _text(c.get("phone"), _("联系人%(n)s手机号") % {"n": n}, "contacts", max_length=20)
        if phone and not phone.replace("-", "").isdigit():
            raise ValidationError(
                {"contacts": _("「联系人%(n)s手机号」应为数字：%(phone)s") % {"n": n, "phone": phone}}
            )
        position = _text(c.get("position"), _("联系人%(n)s职务") % {"n": n}, "contacts", max_length=50)
        rows.append(EnterpriseContact(enterprise=enterprise, name=name, phone=phone, position=position))
    EnterpriseContact.objects.bulk_create(rows)


@transaction.atomic
def enterprise_create(
    *,
    actor: Any,
    unit: OrgUnit,
    name: str,
    credit_code: str,
    contacts: Iterable[dict[str, str]] = (),
    **fields: Any,
) -> Enterprise:
    if unknown := set(fields) - set(ENTERPRISE_FIELDS):
        raise TypeError(f"unknown enterprise fields: {sorted(unknown)}")
    errors: dict[str, Any] = {}
    try:
        code = check_credit_code(credit_code)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        clean = check_enterprise_fields(unit=unit, fields={"name": name, **fields})
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            enterprise = Enterprise.objects.create(unit=unit, credit_code=code, **clean)
    except IntegrityError:  # the same code registered at the same moment
        raise ValidationError({"credit_code": _("「统一社会信用代码」%(code)s 已登记。") % {"code": code}})
    _set_contacts(enterprise, contacts)
    audit_log(actor=actor, action="innovation.enterprise_create", obj=enterprise, after=snapshot(enterprise))
    return enterprise


@transaction.atomic
def enterprise_update(
    *,
    actor: Any,
    enterprise: Enterprise,
    version: int | None,
    contacts: Iterable[dict[str, str]] | None = None,
    credit_code: str | None = None,
    **fields: Any,
) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().select_related("unit").get(pk=enterprise.pk)
    check_version(enterprise, version, _("该企业信息"))
    before = snapshot(enterprise)
    clean = check_enterprise_fields(unit=enterprise.unit, fields=fields)
    if credit_code is not None:
        clean["credit_code"] = check_credit_code(credit_code, exclude_pk=enterprise.pk)
    for key, value in clean.items():
        setattr(enterprise, key, value)
    enterprise.version = F("version") + 1
    enterprise.save()
    enterprise.refresh_from_db()
    if contacts is not None:
        _set_contacts(enterprise, contacts)
    audit_log(
        actor=actor,
        action="innovation.enterprise_update",
        obj=enterprise,
        before=before,
        after=snapshot(enterprise),
    )
    return enterprise


def _keywords(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace("，", ",").replace("、", ",").replace("；", ",").split(",")
    words = list(dict.fromkeys(str(k).strip() for k in (value or []) if str(k).strip()))
    if len(words) > MAX_KEYWORDS:
        raise ValidationError({"keywords": _("「专长关键词」最多%(count)s个。") % {"count": MAX_KEYWORDS}})
    if any(len(w) > 30 for w in words):
        raise ValidationError({"keywords": _("「专长关键词」每个不超过30个字。")})
    return words


def _check_commissioner(org_kind: str, is_commissioner: bool) -> None:
    if org_kind and org_kind not in OrgKind.values:
        raise ValidationError(
            {"org_kind": _("「单位性质」应为高等院校、科研院所、企业、事业单位或党政机关。")}
        )
    if is_commissioner and org_kind == OrgKind.ORGAN:
        raise ValidationError(
            {"is_commissioner": _("党政机关工作人员不能担任科技特派员（「单位性质」为党政机关）。")}
        )


def _towns(region: OrgUnit, towns: Iterable[OrgUnit]) -> list[OrgUnit]:
    towns = list(towns)
    bad = [t.name for t in towns if not t.is_within(region) or t.kind not in ENTERPRISE_UNIT_KINDS]
    if bad:
        raise ValidationError(
            {
                "service_towns": _("「服务镇」不在%(region)s的镇（街道）/园区中：%(towns)s")
                % {"region": region.name, "towns": _("、").join(bad)}
            }
        )
    return towns


@transaction.atomic
def expert_create(
    *,
    actor: Any,
    region: OrgUnit,
    name: str,
    organization: str,
    discipline: str,
    keywords: Any = (),
    org_kind: str = "",
    title: str = "",
    is_commissioner: bool = False,
    service_towns: Iterable[OrgUnit] = (),
    phone: str = "",
    partner: PartnerOrg | None = None,
    user: Any = None,
) -> Expert:
    errors: dict[str, Any] = {}
    clean: dict[str, Any] = {}
    for key, value, label, limit in (
        ("name", name, _("姓名"), 50),
        ("organization", organization, _("工作单位"), 100),
        ("discipline", discipline, _("学科"), 50),
        ("title", title, _("职称"), 50),
        ("phone", phone, _("手机号"), 20),
    ):
        try:
            clean[key] = _text(
                value, label, key, max_length=limit, required=key in {"name", "organization", "discipline"}
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for check in (
        lambda: clean.update(keywords=_keywords(keywords)),
        lambda: _check_commissioner(org_kind, is_commissioner),
    ):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    towns = _towns(region, service_towns)
    expert = Expert.objects.create(
        region=region,
        org_kind=org_kind,
        is_commissioner=is_commissioner,
        partner=partner,
        user=user,
        field=field_of_discipline(clean["discipline"]),
        search_text=_expert_text(clean),
        **clean,
    )
    expert.service_towns.set(towns)
    audit_log(
        actor=actor,
        action="innovation.expert_create",
        obj=expert,
        unit_path=region.path,
        after=snapshot(expert),
    )
    return expert


def _expert_text(values: dict[str, Any]) -> str:
    return token_text(values["discipline"], " ".join(values["keywords"]))


EXPERT_FIELDS = (
    "name",
    "organization",
    "discipline",
    "keywords",
    "org_kind",
    "title",
    "is_commissioner",
    "phone",
)


@transaction.atomic
def expert_update(
    *,
    actor: Any,
    expert: Expert,
    version: int | None,
    service_towns: Iterable[OrgUnit] | None = None,
    **fields: Any,
) -> Expert:
    if unknown := set(fields) - set(EXPERT_FIELDS):
        raise TypeError(f"unknown expert fields: {sorted(unknown)}")
    expert = Expert.objects.select_for_update().select_related("region").get(pk=expert.pk)
    check_version(expert, version, _("该专家信息"))
    before = snapshot(expert)
    if "keywords" in fields:
        fields["keywords"] = _keywords(fields["keywords"])
    for key in ("name", "organization", "discipline"):
        if key in fields:
            fields[key] = _text(
                fields[key],
                {"name": _("姓名"), "organization": _("工作单位"), "discipline": _("学科")}[key],
                key,
                max_length=100,
                required=True,
            )
    for key, value in fields.items():
        setattr(expert, key, value)
    _check_commissioner(expert.org_kind, expert.is_commissioner)
    expert.field = field_of_discipline(expert.discipline)
    expert.search_text = _expert_text({"discipline": expert.discipline, "keywords": expert.keywords})
    expert.version = F("version") + 1
    expert.save()
    expert.refresh_from_db()
    if service_towns is not None:
        expert.service_towns.set(_towns(expert.region, service_towns))
    audit_log(
        actor=actor,
        action="innovation.expert_update",
        obj=expert,
        unit_path=expert.region.path,
        before=before,
        after=snapshot(expert),
    )
    return expert


@transaction.atomic
def partner_create(
    *,
    actor: Any,
    region: OrgUnit,
    name: str,
    kind: str = OrgKind.UNIVERSITY,
    disciplines: str = "",
    keywords: Any = (),
    contact_name: str = "",
    contact_phone: str = "",
) -> PartnerOrg:
    name = _text(name, _("名称"), "name", max_length=100, required=True)
    if kind not in {OrgKind.UNIVERSITY, OrgKind.INSTITUTE, OrgKind.ENTERPRISE, OrgKind.PUBLIC}:
        raise ValidationError({"kind": _("「类型」应为高等院校、科研院所、企业或事业单位。")})
    if PartnerOrg.objects.filter(region=region, name=name).exists():
        raise ValidationError({"name": _("合作机构「%(name)s」已登记。") % {"name": name}})
    words = _keywords(keywords)
    disciplines = _text(disciplines, _("优势学科"), "disciplines", max_length=300)
    partner = PartnerOrg.objects.create(
        region=region,
        name=name,
        kind=kind,
        disciplines=disciplines,
        keywords=words,
        contact_name=_text(contact_name, _("联系人"), "contact_name", max_length=50),
        contact_phone=_text(contact_phone, _("联系电话"), "contact_phone", max_length=20),
        search_text=token_text(disciplines, " ".join(words)),
    )
    audit_log(
        actor=actor,
        action="innovation.partner_create",
        obj=partner,
        unit_path=region.path,
        after=snapshot(partner),
    )
    return partner
