"""What the parts of a 公文 look like as text: one pattern or test per part."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from docgen.text.headings import classify

ORG_SUFFIX = (
    "政府",
    "办公室",
    "办公厅",
    "委员会",
    "局",
    "中心",
    "厅",
    "部",
    "委",
    "院",
    "会",
    "处",
    "所",
    "队",
    "组",
    "站",
    "公司",
    "学校",
    "分局",
    "街道办事处",
    "人民法院",
    "人民检察院",
    "党校",
    "研究室",
    "大队",
    "支队",
    "总队",
    "镇",
    "乡",
    "集团",
    "协会",
)
TITLE_ENDINGS = (
    "的函",
    "的复函",
    "的请示",
    "的报告",
    "的通知",
    "的通报",
    "的意见",
    "的批复",
    "的决定",
    "的公告",
    "的通告",
    "的议案",
    "纪要",
    "办法",
    "方案",
    "规定",
    "制度",
    "细则",
    "规则",
    "要点",
    "计划",
    "清单",
    "名单",
    "一览表",
    "预算表",
    "情况表",
    "汇总表",
    "明细表",
    "统计表",
)

_CN_DIGIT = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "０": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_DATE_ARABIC = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_DATE_ISO = re.compile(r"^(\d{4})\s*[-/.．]\s*(\d{1,2})\s*[-/.．]\s*(\d{1,2})$")
_DATE_CN = re.compile(
    r"^([〇○零ＯO０一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日$"
)

NUMBER = re.compile(
    r"^(?P<number>[^\s：:，。]{1,20}?\s*[〔\[(（【﹝［]\s*\d{2,4}\s*[〕\])）】﹞］]\s*第?\s*\d{1,5}\s*号?)"
    r"(?:\s*签\s*发\s*人\s*[:：]\s*(?P<signers>.+))?$"
)
SIGNER = re.compile(r"^签\s*发\s*人\s*[:：]\s*(?P<signers>.+)$")
ATTACH_LIST = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.*)$")
ATTACH_LABEL = re.compile(r"^附\s*件\s*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?\s*$")
CC = re.compile(r"^抄\s*送\s*[:：]\s*(?P<rest>.*)$")
PRINTED = re.compile(
    r"^(?P<printer>.+?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$"
)
PRINT_DATE = re.compile(r"^(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*印\s*发$")
NOTE = re.compile(r"^[（(](?P<note>.+)[）)]$")
COPY_NO = re.compile(r"^\d{6}$")
SECRECY = re.compile(r"^(?P<level>绝密|机密|秘密)\s*(?:★\s*(?P<term>.+))?$")
URGENCY = re.compile(r"^(特急|加急)$")
SEPARATOR = re.compile(r"^[\s─━—－\-_=＿═▬~～·*★]+$")
LETTERHEAD_INFO = re.compile(
    r"(地址|电话|传真|邮编|邮政编码|网址|E-?mail|电子邮箱)\s*[:：]", re.IGNORECASE
)
LIST_ITEM = re.compile(r"^(\d{1,2})\s*[.．、]\s*")
ISSUE_NO = re.compile(r"^第\s*(\d{1,4})\s*期$")
MEETING_LABEL = re.compile(r"^(出\s*席|请\s*假|列\s*席|缺\s*席|分\s*送)\s*[:：]\s*(?P<rest>.*)$")

TERMINAL = "。！？；：!?;:"
SENTENCE_END = "。！？"


def parse_date(text: str) -> dt.date | None:
    """2025年9月22日, 2025-09-22, 二〇二五年九月二十二日: the date a line is, or None."""
    t = text.strip()
    m = _DATE_ARABIC.match(t) or _DATE_ISO.match(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DATE_CN.match(t)
        if not m:
            return None
        y = int("".join(str(_CN_DIGIT[c]) for c in m.group(1)))
        mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十二 → 22, 三十一 → 31."""
    if "十" not in s:
        return _CN_DIGIT[s[0]]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def width(text: str) -> float:
    """Width in grid cells, as a page sets it: a Chinese character or full-width mark is one
    cell, a half-width character (Latin letters, digits, half-width forms) half of one."""
    return sum(
        0.5 if ch.isascii() or unicodedata.east_asian_width(ch) in ("H", "Na") else 1.0
        for ch in text
    )


def is_org(text: str) -> bool:
    """An organisation's name: short, no sentence punctuation, ending like one."""
    t = text.strip()
    if not t or len(t) > 40 or any(c in t for c in "，。；：、,;:？！"):
        return False
    core = re.sub(r"[（(][^）)]*[）)]$", "", t)  # 市委党史研究室（市地方志研究室）
    return core.endswith(ORG_SUFFIX) or t.endswith("文件")


def looks_like_title(text: str) -> bool:
    t = text.strip()
    return "关于" in t or t.endswith(TITLE_ENDINGS)


def heading_level(text: str) -> int | None:
    h = classify(text)
    return h.level if h else None


def is_standalone_heading(text: str) -> bool:
    """A heading on its own line (一、主要职责): never joined to the next line."""
    h = classify(text)
    return bool(h and not h.rest and text[-1:] not in "。！？；：，、")
