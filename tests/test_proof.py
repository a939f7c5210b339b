"""核稿: the text checks name what a proof-reader would, and nothing in clean text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docgen.cli import main
from docgen.pipeline import load_checked
from docgen.proof import fix_text, load_units, normalise_punctuation, proofread
from docgen.proof.brackets import unpaired
from docgen.proof.dates import bad_dates
from docgen.proof.doubled import doubles
from docgen.proof.spots import Spot
from docgen.proof.traditional import changes
from docgen.proof.units import UnitMatcher
from docgen.proof.units import check as unit_check
from docgen.units import UnitRegistry

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# Every sample input (new samples are guarded as soon as they land).
INPUTS = sorted(p.name for p in SAMPLES.glob("*.yaml") if p.name != "member-units.yaml")


@pytest.fixture(scope="module")
def matcher() -> UnitMatcher:
    return UnitMatcher(UnitRegistry.load(SAMPLES / "member-units.yaml"))


@pytest.mark.parametrize("name", INPUTS)
def test_samples_have_no_finding_at_all(name: str) -> None:
    """Guards against false alarms: the samples (the letter is the mended seed) are clean."""
    path = SAMPLES / name
    doc, _ = load_checked(path)
    if name.startswith("meeting"):
        assert doc.items, "the agreed items of the CSV are read too"
    found = proofread(doc, file=str(path), units=load_units(path))
    assert [str(f) for f in found] == []


def test_seed_defects_are_found(matcher: UnitMatcher) -> None:
    """The seed's attachment: 中小學生 and one unit written two ways."""
    texts = [
        "联席会议由市文物保护中心、市发展和改革委员会等部门和单位组成。",
        "市发展改革和科技局：负责将文物保护事业纳入国民经济和社会发展规划。",
        "组织中小學生参观爱国主义教育基地。",
    ]
    spots = [Spot(("body", i), "body（正文）", i + 1, t) for i, t in enumerate(texts)]
    found = unit_check(spots, "seed", matcher)
    assert [(f.severity, f.paragraph, f.offset) for f in found] == [("error", 2, 0)]
    assert "市发展和改革委员会" in str(found[0]) and "市发展改革和科技局" in str(found[0])
    assert changes(texts[2]) == [(4, "學", "学", True)]


def test_proper_senses_and_shared_characters_stay_quiet() -> None:
    for text in ["乾隆年间的乾坤", "著作显著", "瞭望塔", "慰藉", "宫商角徵羽", "中小学生", "于是"]:
        assert changes(text) == [], text


def test_traditional_characters_and_names() -> None:
    assert [(c, s, sure) for _, c, s, sure in changes("學習單位建築")] == [
        ("學", "学", True),
        ("習", "习", True),
        ("單", "单", True),
        ("築", "筑", True),
    ]
    # 乾 outside a known phrase may be a name: a 提醒, never changed by --fix.
    assert [(c, sure) for _, c, _, sure in changes("联系人张乾")] == [("乾", False)]
    assert changes("联系人张乾", allow="乾") == []
    assert fix_text("联系人张乾，學校")[0] == "联系人张乾，学校"


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("现将有关事项函告如下:", "现将有关事项函告如下："),
        ("你好,我们. 测试;是吗?好!", "你好，我们。测试；是吗？好！"),
        ("市委党史研究室(市地方志研究室)", "市委党史研究室（市地方志研究室）"),
        ('他说"好的"。', "他说“好的”。"),
        ('他说“好的"。', "他说“好的”。"),
        ("(1)召集人", "（1）召集人"),
        ("附件:1.名单", "附件：1.名单"),
        # Not Chinese text: left alone.
        ("电话0356-5220088，时间12:30，比例1:500，共1,000元，增长3.5%", None),
        ("1.建立制度", None),
        ("详见http://www.gov.cn/a,b.html，或发邮件至abc@gov.cn", None),
        ("Windows (x64) 系统的 Hello, world", None),
        ("高政办函〔2025〕18号", None),
    ],
)
def test_half_width_punctuation(text: str, fixed: str | None) -> None:
    assert normalise_punctuation(text)[0] == (fixed if fixed is not None else text)


def test_brackets_pair_with_nesting() -> None:
    assert (
        unpaired(
            "你中心《关于建立〈高平市文物保护工作联席会议制度〉的请示》（高文保发〔2025〕25号）"
        )
        == []
    )
    assert [i for i, _, _ in unpaired("完成（检查。")] == [2]
    assert [i for i, _, _ in unpaired("多余）的“引号")] == [2, 4]
    assert [i for i, _, _ in unpaired("《书名（》）")] == [3, 5]


def test_units_alias_once_is_a_reminder_two_ways_an_error(matcher: UnitMatcher) -> None:
    def run(*texts: str) -> list[tuple[str, int | None, str]]:
        spots = [Spot(("body", i), "body（正文）", i + 1, t) for i, t in enumerate(texts)]
        return [(f.severity, f.paragraph, f.suggestion) for f in unit_check(spots, "f", matcher)]

    assert run("请市住建局配合。", "市住建局牵头。") == [
        (
            "warning",
            1,
            "请统一写作“市住房和城乡建设局”（成员单位名录 " + matcher.registry.source + "）",
        ),
        (
            "warning",
            2,
            "请统一写作“市住房和城乡建设局”（成员单位名录 " + matcher.registry.source + "）",
        ),
    ]
    assert [s for s, _, _ in run("市发改委牵头。", "市发展改革和科技局配合。")] == [
        "error",
        "error",
    ]
    # The canonical name in short or in full (as a 发文机关 is written) is one spelling.
    assert (
        run("高平市公安局牵头，市公安局配合。", "市市场监督管理局、晋城市生态环境局高平分局") == []
    )


def test_doubled_characters_by_the_dictionary() -> None:
    assert doubles("我们的的工作") == [(3, "的")]
    assert doubles("好。。，，、、") == [(2, "。"), (4, "，"), (6, "、")]
    for text in [
        "常常人人一一谢谢",
        "联席会议议定事项",
        "市市场监督管理局",
        "的的确确",
        "二〇二二年",
        "……——",
    ]:
        assert doubles(text) == [], text
    # Reduplication by grammar (nouns, verbs, adjectives, measure words), and words meeting.
    for text in ["年年", "件件落实", "项项", "稳稳", "说说", "户户通", "环环相扣", "分分秒秒"]:
        assert doubles(text) == [], text
    for text in ["达到目的的方法", "现在在全市", "除了了解", "扎扎实实", "方方面面"]:
        assert doubles(text) == [], text
    for text, ch in [
        ("完成了了任务", "了"),
        ("在在全市", "在"),
        ("我我们", "我"),
        ("都都要", "都"),
    ]:
        assert [c for _, c in doubles(text)] == [ch], text


def test_dates_that_do_not_exist() -> None:
    assert [w for _, _, w in bad_dates("于2025年2月30日前")] == ["2025年2月没有30日（只有28天）"]
    assert [w for _, _, w in bad_dates("13月底")] == ["没有13月"]
    assert bad_dates("12个月内，2月29日，每月25日前，2024年2月29日") == []
    assert [w for _, _, w in bad_dates("二〇二五年二月三十日")] == ["2025年2月没有30日（只有28天）"]
    assert [w for _, _, w in bad_dates("截止2025-02-30前")] == ["2025年2月没有30日（只有28天）"]
    assert [w for _, _, w in bad_dates("十三月")] == ["没有13月"]
    assert bad_dates("二〇二五年七月七日，电话0356-5220088，三个月，2025.7.7") == []


def _letter(tmp_path: Path, body: list[str], extra: str = "") -> Path:
    shutil.copy(SAMPLES / "member-units.yaml", tmp_path / "member-units.yaml")
    lines = "\n".join(f"  - {b}" for b in body)
    src = tmp_path / "letter.yaml"
    src.write_text(
        "# 草稿：请核稿\nkind: letter\nissuer: 高平市人民政府办公室\n"
        "title: 关于开展文物安全检查的函\nrecipients: [市文物保护中心]  # 主送\n"
        f"body:\n{lines}\ndate: 2025-07-07\n{extra}",
        encoding="utf-8",
    )
    return src


DEFECTS = [
    "现将有关事项函告如下:请市發改委配合,于2025年2月30日前完成（检查。",
    "市发展改革和科技局负责资金保障的的落实。",
]


def test_check_names_each_defect_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _letter(tmp_path, DEFECTS)
    assert main(["check", str(src)]) == 1
    out = capsys.readouterr().out
    for expected in (
        "“發”",
        "“发”",
        "半角标点“:”",
        "半角标点“,”",
        "市發改委",
        "市发展改革和科技局",
    ):
        assert expected in out
    assert "市发展和改革委员会" in out and "左括号 （ 没有对应" in out and "2025年2月30日" in out
    assert "body（正文），第1段第14字" in out  # file, field, paragraph, character
    assert all(line.startswith(("错误：", "提醒：", str(src))) for line in out.splitlines())


def test_warnings_pass_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _letter(tmp_path, ["请市住建局配合。"])
    assert main(["check", str(src)]) == 0
    assert "提醒：" in capsys.readouterr().out
    assert main(["check", str(src), "--strict"]) == 1


def test_json_lists_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _letter(tmp_path, DEFECTS)
    assert main(["check", str(src), "--json"]) == 1
    records = json.loads(capsys.readouterr().out)
    trad = next(r for r in records if r["check"] == "traditional")
    assert trad["paragraph"] == 1 and trad["offset"] == 13 and trad["level"] == "错误"
    assert trad["field"] == "body（正文）" and trad["file"] == str(src) and "發" in trad["quote"]
    assert {r["check"] for r in records} >= {"punctuation", "units", "brackets", "doubled", "dates"}


def test_fix_writes_a_mended_copy_keeping_comments(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _letter(tmp_path, DEFECTS)
    before = src.read_bytes()
    fixed = tmp_path / "fixed.yaml"
    assert main(["check", str(src), "--fix", "-o", str(fixed)]) == 1  # the bracket is left
    out = capsys.readouterr().out
    assert "“發”→“发”" in out and "“市发展改革和科技局”→“市发展和改革委员会”" in out
    assert src.read_bytes() == before  # never the input without --in-place
    text = fixed.read_text(encoding="utf-8")
    assert text.startswith("# 草稿：请核稿\nkind: letter\n") and "# 主送" in text
    for gone in ("發", ":", ",", "市发改委", "市發改委", "市发展改革和科技局"):
        assert gone not in text.split("body:")[1].split("date:")[0]
    assert "请市发展和改革委员会配合，于2025年2月30日前完成（检查。" in text
    assert "左括号 （ 没有对应" in out  # undecidable: still a finding


def test_fix_in_place_and_usage(tmp_path: Path) -> None:
    src = _letter(tmp_path, ["请市住建局配合,谢谢。"])
    assert main(["check", str(src), "--fix"]) == 2
    assert main(["check", str(src), "--fix", "--in-place"]) == 0
    assert "请市住房和城乡建设局配合，谢谢。" in src.read_text(encoding="utf-8")


def test_render_prints_findings_and_stops_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _letter(tmp_path, ["请市住建局配合,谢谢。"])
    assert main(["render", str(src), "-o", str(tmp_path / "a.pdf"), "--strict"]) == 1
    assert not (tmp_path / "a.pdf").exists()
    assert main(["render", str(src), "-o", str(tmp_path / "a.pdf")]) == 0
    assert "半角标点“,”" in capsys.readouterr().err
    assert (tmp_path / "a.pdf").exists()


def test_input_that_makes_no_model_is_still_proofread_and_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """A list line ending in a half-width colon is a key to YAML: the text is checked all the same."""
    src = _letter(tmp_path, ["现将有关事项函告如下:", "请市發改委配合,谢谢。"])
    assert main(["check", str(src)]) == 1
    captured = capsys.readouterr()
    assert "YAML 把它读成了" in captured.err  # the input error, explained
    assert "繁体字“發”" in captured.out and "半角标点“,”" in captured.out
    fixed = tmp_path / "fixed.yaml"
    assert main(["check", str(src), "--fix", "-o", str(fixed)]) == 0
    text = fixed.read_text(encoding="utf-8")
    assert "  - 现将有关事项函告如下：\n  - 请市发展和改革委员会配合，谢谢。\n" in text
    assert text.startswith("# 草稿：请核稿\n")


def test_batch_prints_findings_and_stops_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for name in ("meeting-2025-1.yaml", "agreed-items-2025-1.csv", "member-units.yaml"):
        shutil.copy(SAMPLES / name, src / name)
    meeting = src / "meeting-2025-1.yaml"
    text = meeting.read_text(encoding="utf-8").replace("会议指出，", "会议指出,", 1)
    meeting.write_text(text, encoding="utf-8")

    def run(out: str, *extra: str) -> int:
        args = ["batch", "--meeting", str(meeting), "-o", str(tmp_path / out), "--quiet"]
        reg = ["--registry", str(tmp_path / "reg.sqlite"), "--jobs", "1", "--format", "pdf"]
        return main([*args, *reg, *extra])

    assert run("strict", "--strict", "--new-registry") == 1
    assert "半角标点“,”" in capsys.readouterr().err
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())
    assert run("out", "--new-registry") == 0
    assert "body（正文），第2段第5字" in capsys.readouterr().err
    assert any((tmp_path / "out").glob("*.pdf"))


def test_dates_out_of_order_are_reminders(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = _letter(tmp_path, ["请按要求办理。"], "print_date: 2025-07-01\n")
    assert main(["check", str(src)]) == 0
    assert (
        "提醒：" in (out := capsys.readouterr().out) and "印发日期 2025年7月1日 早于成文日期" in out
    )
    meeting = tmp_path / "m.yaml"
    meeting.write_text(
        "kind: minutes\nmeeting: 第一次全体会议\nmark: 联席会议纪要\nissue_no: 1\n"
        "compiler: 联席会议办公室\nbody: 会议研究了有关事项。\ndate: 2025-07-21\n"
        "items:\n  - {seq: 1, matter: 开展检查, lead: 市公安局, deadline: 2025-07-01}\n",
        encoding="utf-8",
    )
    assert main(["check", str(meeting)]) == 0
    assert "第1项议定事项的完成时限 2025年7月1日 早于会议纪要日期" in capsys.readouterr().out


def test_units_file_named_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    src = _letter(tmp_path, ["请市发改委和市发展改革和科技局配合。"])
    listed = tmp_path / "名录" / "units.yaml"
    listed.parent.mkdir()
    (tmp_path / "member-units.yaml").rename(listed)
    assert main(["check", str(src)]) == 0  # no list beside the input: names are not checked
    capsys.readouterr()
    assert main(["check", str(src), "--units", str(listed)]) == 1
    out = capsys.readouterr().out
    assert "市发改委" in out and "市发展改革和科技局" in out and "市发展和改革委员会" in out
    assert main(["check", str(src), "--units", str(tmp_path / "无.yaml")]) == 1
    assert "找不到成员单位名录文件" in capsys.readouterr().err


def test_the_compiled_alternation_finds_what_the_index_finds() -> None:
    """A batch's 纪要 is matched by one compiled alternation once enough text has been
    matched by the index: the same spans, leftmost-longest, on texts of member names
    (short and full, overlapping: 市公安局 in 高平市公安局) mixed with other text."""
    import random

    import docgen.proof.units as units

    registry = UnitRegistry.load(SAMPLES / "member-units.yaml")
    names = [n for u in registry.units for n in (u.name, *u.aliases)]
    rng = random.Random(24)
    texts = [
        "".join(
            rng.choice([*names, "高平市", "和", "、", "局", "市", "会同", "负责"])
            for _ in range(rng.randint(1, 12))
        )
        for _ in range(400)
    ]
    index = UnitMatcher(registry)
    index._scanned = -(10**9)  # never compiles
    compiled = UnitMatcher(registry)
    compiled._scanned = units._COMPILE_AFTER  # compiles at once
    for text in texts:
        assert compiled._find(text) == index._find(text)
    assert compiled._pattern is not None and index._pattern is None
    assert any(index._find(t) for t in texts)
