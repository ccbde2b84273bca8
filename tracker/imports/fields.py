"""What each kind of import fills, which headers name each field, and how a cell's text
becomes a value. Headers and words are compared folded (``tracker.search.normalize``):
case, full-width forms, traditional characters, spaces and punctuation do not matter."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from tracker.models import (
    Channel,
    ComplaintStatus,
    ImportKind,
    OrgStatus,
    PartnerStage,
    Severity,
)
from tracker.search.normalize import fold


def key(text: object) -> str:
    """A header or a word folded, without spaces or punctuation: "E-mail" → "email"."""
    return "".join(fold(str(text or "")).split())


@dataclass(frozen=True)
class Field:
    """One thing an import can fill; ``aliases`` are headers of real ledgers beside the
    field's own label in both languages."""

    key: str
    label: Any  # lazy: shown in the reader's language
    aliases: tuple[str, ...] = ()
    required: bool = False
    limit: int | None = None  # the most characters the record keeps


ORGANIZATION_FIELDS = (
    Field("name", _l("Name"), ("organization", "organisation", "company", "company name",
                               "partner", "client", "customer", "名称", "机构", "机构名称",
                               "公司", "公司名称", "单位", "单位名称", "合作方", "合作伙伴",
                               "伙伴名称", "客户", "客户名称"), required=True, limit=200),
    Field("industry", _l("Industry"), ("sector", "行业", "所属行业"), limit=120),
    Field("website", _l("Website"), ("web", "url", "homepage", "网站", "官网", "网址"),
          limit=255),
    Field("owner", _l("Owner"), ("account manager", "负责人", "跟进人", "客户经理", "对接人")),
    Field("team", _l("Team"), ("department", "团队", "部门", "小组")),
    Field("tags", _l("Tags"), ("tag", "labels", "标签")),
    Field("notes", _l("Notes"), ("note", "description", "remarks", "备注", "说明", "描述",
                                 "简介")),
    Field("contact_name", _l("Contact"), ("contact name", "contact person", "联系人",
                                          "联系人姓名", "姓名"), limit=120),
    Field("contact_title", _l("Contact's title"), ("job title", "position", "title", "职位",
                                                   "职务", "联系人职位"), limit=120),
    Field("contact_email", _l("Contact's e-mail"), ("email", "e-mail", "mail", "邮箱",
                                                    "电子邮件", "电子邮箱", "联系人邮箱"),
          limit=254),
    Field("contact_phone", _l("Contact's phone"), ("phone", "mobile", "tel", "telephone",
                                                   "电话", "手机", "手机号", "联系电话",
                                                   "联系方式"), limit=50),
)
STATUS_FIELD = Field("status", _l("Status"), ("状态", "客户状态"))
STAGE_FIELD = Field("stage", _l("Stage"), ("status", "阶段", "状态", "合作阶段"))

COMPLAINT_FIELDS = (
    Field("number", _l("Complaint number"), (
        "number", "no", "ref", "reference", "ticket", "ticket no", "external number", "编号",
        "投诉编号", "客诉编号", "工单号", "单号", "序号"), required=True, limit=64),
    Field("client", _l("Client"), ("customer", "client name", "客户", "客户名称", "投诉客户",
                                   "公司"), required=True),
    Field("title", _l("Subject"), ("title", "summary", "标题", "主题", "投诉主题", "摘要"),
          limit=200),
    Field("description", _l("Description"), ("details", "complaint", "content", "内容",
                                             "描述", "投诉内容", "问题描述", "详情")),
    Field("category", _l("Category"), ("type", "类别", "分类", "类型", "投诉类型", "问题类型")),
    Field("severity", _l("Severity"), ("priority", "level", "严重程度", "等级", "级别",
                                       "优先级")),
    Field("channel", _l("Channel"), ("source", "via", "渠道", "来源", "投诉渠道")),
    Field("received", _l("Received"), ("date", "received at", "created", "time", "日期",
                                       "投诉时间", "受理时间", "接收时间", "登记时间", "时间")),
    Field("contact", _l("Contact"), ("contact email", "contact name", "caller", "联系人",
                                     "投诉人", "来电人")),
    Field("assignee", _l("Assignee"), ("handler", "owner", "处理人", "负责人", "经办人")),
    Field("status", _l("Status"), ("状态", "处理状态")),
    Field("resolution", _l("Resolution summary"), ("resolution", "outcome", "处理结果",
                                                   "解决方案", "处理意见")),
    Field("resolved", _l("Resolved"), ("resolved at", "closed", "解决时间", "完成时间",
                                       "结案时间")),
)


def fields_of(kind: str) -> tuple[Field, ...]:
    """The fields an import of ``kind`` (an ImportKind value) can fill, in form order."""
    if kind == ImportKind.COMPLAINTS:
        return COMPLAINT_FIELDS
    extra = STAGE_FIELD if kind == ImportKind.PARTNERS else STATUS_FIELD
    return ORGANIZATION_FIELDS[:1] + (extra,) + ORGANIZATION_FIELDS[1:]


def _label_in(label: Any, locale: str) -> str:
    with force_locale(locale):
        return str(label)


def _names(field: Field) -> list[str]:
    """Every header that names ``field``, most specific first: its own labels, then its
    aliases (so "联系人邮箱" is the e-mail, never the contact's name)."""
    return [key(field.key), key(_label_in(field.label, "en")),
            key(_label_in(field.label, "zh")), *(key(a) for a in field.aliases)]


def guess_mapping(kind: str, headers: Sequence[str]) -> list[str]:
    """A field for each column whose header names one ("" for the rest); each field is
    given to one column at most, the best named first."""
    fields = fields_of(kind)
    names = {f.key: _names(f) for f in fields}
    folded = [key(h) for h in headers]
    mapping = [""] * len(headers)
    taken: set[str] = set()
    # A header equal to a field's own label wins over one that is only an alias.
    for rank in range(max(len(n) for n in names.values())):
        for column, header in enumerate(folded):
            if mapping[column] or not header:
                continue
            for field in fields:
                if field.key not in taken and rank < len(names[field.key]) \
                        and names[field.key][rank] == header:
                    mapping[column] = field.key
                    taken.add(field.key)
                    break
    return mapping


# -- words to values ---------------------------------------------------------------------
@functools.cache
def _choice_words(enum: type[Enum]) -> dict[str, str]:
    words: dict[str, str] = {}
    for member in enum:  # type: ignore[var-annotated]
        words[key(member.value)] = member.value
        for locale in ("en", "zh"):
            with force_locale(locale):
                words.setdefault(key(member.label), member.value)
    return words


EXTRA_WORDS: dict[type[Enum], dict[str, str]] = {
    Severity: {"urgent": "critical", "紧急": "critical", "严重": "critical", "重大": "critical",
               "高": "high", "中": "medium", "一般": "medium", "普通": "medium", "低": "low",
               "轻微": "low", "p1": "critical", "p2": "high", "p3": "medium", "p4": "low"},
    Channel: {"telephone": "phone", "call": "phone", "hotline": "phone", "来电": "phone",
              "热线": "phone", "邮件": "email", "mail": "email", "wechat": "chat",
              "微信": "chat", "在线": "chat", "现场": "in_person", "上门": "in_person",
              "visit": "in_person", "网站": "web", "官网": "web", "web": "web"},
    ComplaintStatus: {"open": "new", "pending": "new", "待处理": "new", "处理中": "investigating",
                      "done": "resolved", "已解决": "resolved", "已处理": "resolved",
                      "已完成": "resolved", "已关闭": "closed", "结案": "closed",
                      "已结案": "closed"},
    OrgStatus: {"潜在": "prospect", "合作中": "active", "暂停": "on_hold", "停止": "inactive"},
    PartnerStage: {"洽谈中": "negotiating", "已签约": "signed", "合作中": "active"},
}


def choice(enum: type[Enum], text: str) -> str | None:
    """The code of ``enum`` a word stands for (its code, its label in either language,
    or a common synonym); None when the word is none of them."""
    word = key(text)
    return _choice_words(enum).get(word) or {key(k): v for k, v in EXTRA_WORDS.get(
        enum, {}).items()}.get(word)


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
def moment(text: str, zone: ZoneInfo) -> datetime | None:
    """A date or time typed in ``zone`` (2026-11-03 14:20, 2026/11/3, 2026年11月3日 …), as
    aware UTC; None when the text is not one."""
    # Full-width digits and separators become plain ones (NFKC), then one separator.
    cleaned = re.sub(r"(\d)年(\d)", r"\1-\2", unicodedata.normalize("NFKC", text).strip())
    cleaned = re.sub(r"(\d)月(\d)", r"\1-\2", cleaned).replace("日", " ").replace("号", " ")
    cleaned = re.sub(r"(\d)[/.](\d)", r"\1-\2", cleaned)
    cleaned = re.sub(r"(\d)[/.](\d)", r"\1-\2", cleaned)
    cleaned = " ".join(cleaned.split())
    match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$",
                     cleaned)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        local = datetime.combine(date(year, month, day), time(hour, minute, second))
    except ValueError:
        return None
    return local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def cells_of(row: Iterable[str], mapping: Sequence[str]) -> dict[str, str]:
    """A row's cells by field key (a field given by two columns keeps the first filled)."""
    values: dict[str, str] = {}
    for field, cell in zip(mapping, row, strict=False):
        if field and cell and cell.strip() and field not in values:
            values[field] = cell.strip()
    return values
