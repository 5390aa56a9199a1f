"""Chinese terms: the retired variants of DESIGN.md's terminology table appear nowhere a learner reads.

One concept, one name: the lessons, the Chinese READMEs and the exercise texts and messages use the terms of
the table (逐词准确率, 标签集, 标注体系, 金标, 课程学习, ...); a retired variant fails here with the file, the
line and the term to use instead.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (retired variant as a regular expression, what to write instead)
RETIRED: list[tuple[str, str]] = [
    (r"词元准确率", "逐词准确率 (word accuracy)"),
    (r"(?<![逐子])词准确率", "逐词准确率 (word accuracy)"),
    (r"标签清单", "标签集 (tag set)"),
    (r"标签体系", "标签集 (tag set)"),
    (r"标注方案", "标注体系 (tagging scheme)"),
    (r"笔记本(?!电脑)", "notebook (笔记本电脑, a laptop, is fine)"),
    (r"命名提及", "命名性提及（NAM）"),
    (r"课程式学习", "课程学习 (curriculum learning)"),
    (r"极长连续词", "极大连续段 (maximal run)"),
    (r"标准(?=答案|标签|实体|片段|组块|类型|句子|词|为|和预测|与预测|, 预测)", "金标 (gold), or 人工标注的"),
    (r"(?:IOBES|IOB\d?|BIOES|BILOU|BMES|标签|原) ?方案", "标注体系 (tagging scheme)"),
]
# Bare 分词 means Chinese word segmentation only; the tokenizer is 分词器, tokenizing is 切分为子词
# (过去分词 / 现在分词, the participles of English grammar, are other words).
BARE_SEGMENTATION = (
    r"(?<!中文)(?<!过去)(?<!现在)分词(?!器)",
    "中文分词 (segmentation), 分词器 (tokenizer) or 切分为子词 (tokenize)",
)


def _files() -> list[Path]:
    """What a learner reads in Chinese: lesson sources, Chinese READMEs, exercise texts and checkers."""
    found = sorted((ROOT / "notebooks" / "src").glob("*.py"))
    found += [p for p in (ROOT / "README.zh.md", ROOT / "benchmarks" / "README.zh.md") if p.is_file()]
    found += sorted((ROOT / "helpers" / "exercises").glob("*.toml"))
    found += sorted((ROOT / "helpers" / "exercises").glob("*.py"))
    return found


def _segmentation_lesson(path: Path) -> bool:
    """Lesson 09 and its exercises are about 中文分词 itself: there the short form 分词 is that task."""
    return path.name.startswith("09_") or path.stem in {"l09", "l9"}


def retired_terms(text: str, segmentation_lesson: bool = False) -> list[tuple[int, str, str]]:
    """``(line, term found, term to use)`` for every retired variant in ``text``."""
    rules = RETIRED + ([] if segmentation_lesson else [BARE_SEGMENTATION])
    return [
        (number, match.group(0), use)
        for number, line in enumerate(text.splitlines(), start=1)
        for pattern, use in rules
        for match in re.finditer(pattern, line)
    ]


def test_current_terms_pass():
    text = "逐词准确率；子词准确率；标签集；标注体系；中文分词；分词器；命名性提及（NAM）；课程学习；极大连续段；金标（gold）标签；标准差；离线方案"
    assert retired_terms(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "词元准确率",
        "词准确率",
        "标签清单",
        "标签体系",
        "标注方案",
        "IOB2 方案",
        "笔记本",
        "命名提及",
        "课程式学习",
        "极长连续词",
        "标准标签",
        "标准答案",
    ],
)
def test_each_retired_variant_is_found(text):
    assert [term for _, term, _ in retired_terms(f"前文{text}后文")], text


def test_bare_segmentation_means_tokenize_outside_the_segmentation_lesson():
    assert [t for _, t, _ in retired_terms("对验证集分词")] == ["分词"]
    assert retired_terms("对验证集分词", segmentation_lesson=True) == []
    assert retired_terms("中文分词和分词器不是一回事；VBN 是过去分词") == []


@pytest.mark.parametrize("path", _files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_retired_chinese_term(path):
    found = retired_terms(path.read_text(encoding="utf-8"), _segmentation_lesson(path))
    lines = [f"{path.relative_to(ROOT)}:{number}: {term} -> {use}" for number, term, use in found]
    assert not lines, "retired Chinese terms (DESIGN.md, terminology table):\n" + "\n".join(lines)
