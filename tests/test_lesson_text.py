"""Chinese typography of the lesson sources: one line per paragraph, no italics on Chinese, proper titles.

A line break between two Chinese characters shows as a stray space in a browser, and italic CJK glyphs are
synthesised slants that read badly; DESIGN.md asks for one line per paragraph or list item, bold or nothing
instead of italics, and titles that join their parts with "：" or "——".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks" / "src").glob("*.py"))

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CELL = re.compile(r"^# %%")
ZH_MARKDOWN = re.compile(r'^# %% \[markdown\].*\blang="zh"')
# Lines that start a block of their own: headings, list items, table rows, HTML, quotes.
BLOCK_START = re.compile(r"^(#{1,6}\s|[-*+]\s|\d+[.)]\s|\||<|>)")
CODE_SPAN = re.compile(r"`+[^`]*`+")
ITALIC = re.compile(r"(?<![*A-Za-z0-9_\\])\*(?![*\s])([^*\n]+?)(?<![*\s\\])\*(?![*A-Za-z0-9_])")
LONE_DASH_TITLE = re.compile(r"(?<!—)—(?!—)|\s-\s")


def zh_markdown_lines(text: str) -> list[tuple[int, str]]:
    """``(line number, markdown text)`` of every line inside the ``lang="zh"`` markdown cells of a source."""
    out, inside = [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if CELL.match(line):
            inside = bool(ZH_MARKDOWN.match(line))
            continue
        if inside:
            out.append((number, line[2:] if line.startswith("# ") else line.lstrip("#")))
    return out


def _prose(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks (a blank line stands for every fence boundary)."""
    out, fenced = [], False
    for number, line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append((number, ""))
        elif not fenced:
            out.append((number, line))
    return out


def wrapped_lines(lines: list[tuple[int, str]]) -> list[int]:
    """Line numbers that continue a paragraph or list item holding Chinese (it should be one line)."""
    found, block = [], []

    def flush() -> None:
        if len(block) > 1 and any(CJK.search(text) for _, text in block):
            found.extend(number for number, _ in block[1:])
        block.clear()

    for number, line in _prose(lines):
        stripped = line.strip()
        if not stripped:
            flush()
        elif BLOCK_START.match(stripped) or (block and block[0][1].startswith(("|", "#", "<"))):
            flush()
            block.append((number, stripped))
        else:
            block.append((number, stripped))
    flush()
    return found


def chinese_italics(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``(line number, text)`` of each ``*italic*`` span that contains Chinese (code spans are ignored)."""
    found = []
    for number, line in _prose(lines):
        for match in ITALIC.finditer(CODE_SPAN.sub("``", line)):
            if CJK.search(match.group(1)):
                found.append((number, match.group(0)))
    return found


def bad_titles(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``(line number, heading)`` of Chinese headings that join parts with a lone dash instead of "：" or "——"."""
    return [
        (number, line)
        for number, line in _prose(lines)
        if line.startswith("#") and CJK.search(line) and LONE_DASH_TITLE.search(CODE_SPAN.sub("", line))
    ]


def _cell(*lines: str) -> list[tuple[int, str]]:
    return zh_markdown_lines("\n".join(['# %% [markdown] lang="zh"', *lines]))


def test_checker_flags_a_chinese_paragraph_wrapped_over_two_lines():
    assert wrapped_lines(_cell("# 第一行中文，", "# 第二行中文。")) == [3]


def test_checker_flags_a_wrapped_chinese_list_item():
    assert wrapped_lines(_cell("# - 列表项的开头，", "#   接着写的后半句。", "# - 下一项。")) == [3]


def test_checker_accepts_tables_code_blocks_lists_and_english_cells():
    text = "\n".join(
        [
            '# %% [markdown] lang="zh"',
            "# | 列 | 含义 |",
            "# |---|---|",
            "# ```python",
            "# x = 1",
            "# print('中文')",
            "# ```",
            "# - 第一项。",
            "# - 第二项。",
            '# %% [markdown] lang="en"',
            "# An English paragraph",
            "# wrapped over two lines.",
        ]
    )
    assert wrapped_lines(zh_markdown_lines(text)) == []


def test_checker_flags_italic_chinese_but_not_bold_code_or_latin_italics():
    cell = _cell("# 这是*强调*，这是**加粗**，这是 `a*b*c` 和 *Barcelona*，还有 2 * 3 * 4。")
    assert chinese_italics(cell) == [(2, "*强调*")]


def test_checker_flags_a_title_with_a_lone_dash():
    assert bad_titles(_cell("# # 第 1 课 — 数据", "# ## 第 2 课：对齐", "# ## 第 3 课——训练")) == [
        (2, "# 第 1 课 — 数据")
    ]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_each_chinese_paragraph_is_one_line(source):
    lines = zh_markdown_lines(source.read_text(encoding="utf-8"))
    wrapped = [f"{source.relative_to(ROOT)}:{n}" for n in wrapped_lines(lines)]
    assert not wrapped, "Chinese paragraph or list item continued on these lines (join it):\n" + "\n".join(
        wrapped
    )


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_italics_on_chinese(source):
    lines = zh_markdown_lines(source.read_text(encoding="utf-8"))
    found = [f"{source.relative_to(ROOT)}:{n}: {text}" for n, text in chinese_italics(lines)]
    assert not found, "italics on Chinese (use bold or nothing):\n" + "\n".join(found)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_chinese_titles_use_a_fullwidth_colon_or_double_dash(source):
    lines = zh_markdown_lines(source.read_text(encoding="utf-8"))
    found = [f"{source.relative_to(ROOT)}:{n}: {text}" for n, text in bad_titles(lines)]
    assert not found, 'Chinese title joined with a lone dash (use "：" or "——"):\n' + "\n".join(found)


def section_headings(text: str, lang: str) -> list[str]:
    """The headings of a lesson's ``lang`` markdown cells as their level and number: ``["#", "## 0.", "###"]``."""
    found, inside = [], False
    for line in text.splitlines():
        if CELL.match(line):
            inside = bool(re.match(rf'^# %% \[markdown\].*\blang="{lang}"', line))
        elif inside and (m := re.match(r"^# (#{1,6}) (\d+\.)?", line)):
            found.append(" ".join(filter(None, m.groups())))
    return found


def test_heading_reader_sees_levels_and_numbers():
    text = '# %% [markdown] lang="en"\n# ## 3. Training\n# ### Exercise 1\n# %% [markdown] lang="zh"\n# ## 3. 训练'
    assert section_headings(text, "en") == ["## 3.", "###"] and section_headings(text, "zh") == ["## 3."]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_both_languages_have_the_same_sections(source):
    text = source.read_text(encoding="utf-8")
    assert section_headings(text, "zh") == section_headings(text, "en"), (
        f"{source.name}: the Chinese cells should have a heading wherever the English ones do"
    )


# --- length: English prose words per lesson ------------------------------------------------------------

EN_MARKDOWN = re.compile(r'^# %% \[markdown\].*\blang="en"')
WORD = re.compile(r"[A-Za-z0-9]")
MAX_WORDS_PER_LESSON = 3000
MAX_WORDS_IN_ALL = 20000


def english_words(text: str) -> int:
    """Words of prose in the ``lang="en"`` markdown cells of a lesson source (fenced code blocks left out).

    A word is a whitespace-separated piece holding a letter or digit, so table rules and lone symbols
    do not count.
    """
    count, inside, fenced = 0, False, False
    for line in text.splitlines():
        if CELL.match(line):
            inside, fenced = bool(EN_MARKDOWN.match(line)), False
            continue
        if not inside:
            continue
        body = line[2:] if line.startswith("# ") else line.lstrip("#")
        if body.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            count += sum(1 for piece in body.split() if WORD.search(piece))
    return count


def test_word_counter_counts_english_prose_only():
    text = "\n".join(
        [
            '# %% [markdown] lang="en"',
            "# ## Two words",
            "# | a | b |",
            "# |---|---|",
            "# ```bash",
            "# python -m helpers train",
            "# ```",
            '# %% [markdown] lang="zh"',
            "# 中文 words here do not count",
            "# %%",
            "x = 1  # code does not count",
        ]
    )
    assert english_words(text) == 4  # "##" has no letter: Two, words, a, b


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_lesson_has_more_than_3000_english_words(source):
    words = english_words(source.read_text(encoding="utf-8"))
    assert words <= MAX_WORDS_PER_LESSON, (
        f"{source.relative_to(ROOT)}: {words} English words of prose, more than {MAX_WORDS_PER_LESSON}; "
        "say each thing once (python tests/test_lesson_text.py prints every lesson's count)"
    )


def test_all_lessons_together_have_at_most_20000_english_words():
    counts = {p.name: english_words(p.read_text(encoding="utf-8")) for p in SOURCES}
    assert sum(counts.values()) <= MAX_WORDS_IN_ALL, f"{sum(counts.values())} English words in all: {counts}"


# --- checks out of the learner's sight -------------------------------------------------------------------

CODE_CELL = re.compile(r"^# %%(?!.*\[markdown\])(.*)$")
MAX_VISIBLE_ASSERTS = 20


def visible_asserts(text: str) -> int:
    """``assert`` lines in the code cells a learner sees: every code cell but those marked ``check="1"``."""
    count, visible = 0, False
    for line in text.splitlines():
        marker = CODE_CELL.match(line)
        if marker:
            visible = 'check="1"' not in marker.group(1)
        elif line.startswith("# %%"):
            visible = False  # a markdown cell
        elif visible and re.match(r"\s*assert\b", line):
            count += 1
    return count


def test_assert_counter_skips_check_cells_and_markdown():
    text = "\n".join(
        ["# %%", "assert a", '# %% check="1"', "assert b", '# %% [markdown] lang="en"', "# assert c"]
    )
    assert visible_asserts(text) == 1


def test_learners_see_at_most_20_asserts_over_all_lessons():
    counts = {p.name: visible_asserts(p.read_text(encoding="utf-8")) for p in SOURCES}
    assert sum(counts.values()) <= MAX_VISIBLE_ASSERTS, (
        f"{sum(counts.values())} assert lines in learner-visible code cells {counts}: move the checks that guard "
        'a lesson into a cell marked # %% check="1" (left out of the learner\'s notebook, run by CI)'
    )


# --- figures quoted from the benchmark ---------------------------------------------------------------------


def test_seed_spread_quoted_in_lesson_3_is_the_benchmarks():
    """Lesson 3 quotes the course and classic recipes' test F1 per seed from benchmarks/results/recipes.json."""
    import json

    runs = json.loads((ROOT / "benchmarks" / "results" / "recipes.json").read_text(encoding="utf-8"))["runs"]
    text = (ROOT / "notebooks" / "src" / "03_fine_tuning.py").read_text(encoding="utf-8")
    for recipe in ("course", "classic"):
        figures = [
            f"{run['test']['overall_f1']:.4f}" for run in sorted(runs[recipe], key=lambda r: r["seed"])
        ]
        for lang in ("en", "zh"):
            cells = [c for c in text.split("# %%") if c.startswith(f' [markdown] lang="{lang}"')]
            quoted = [c for c in cells if all(f in c for f in figures)]
            assert quoted, f"lesson 3 ({lang}) should quote the {recipe} recipe's test F1 per seed {figures}"


def test_transfer_figures_quoted_in_lesson_7_are_the_benchmarks():
    """Lesson 7 quotes test F1 from an MSRA model and from the base checkpoint, and the seeds, from
    benchmarks/results/zh_transfer.json."""
    import json

    result = json.loads((ROOT / "benchmarks" / "results" / "zh_transfer.json").read_text(encoding="utf-8"))
    summary = result["summary"]
    figures = [f"{summary[k]['f1']['mean']:.2f}" for k in ("msra", "base")]
    *head, last = map(str, summary["msra"]["seeds"])
    listed = {
        "en": (", ".join(head) + " and " if head else "") + last,
        "zh": ("、".join(head) + " 和 " if head else "") + last,
    }
    text = (ROOT / "notebooks" / "src" / "07_chinese_ner.py").read_text(encoding="utf-8")
    for lang, seed_text in listed.items():
        cells = [c for c in text.split("# %%") if c.startswith(f' [markdown] lang="{lang}"')]
        quoted = [c for c in cells if "zh_transfer" in c]
        assert quoted, f"lesson 7 ({lang}) should point to benchmarks/results/zh_transfer.md"
        flat = " ".join(quoted[0].replace("# ", "").split())
        for figure in (*figures, f"seeds {seed_text}" if lang == "en" else f"随机种子 {seed_text}"):
            assert figure in flat, f"lesson 7 ({lang}) should quote {figure!r} from zh_transfer.json"


def _output_text(notebook: Path) -> str:
    """Everything the code cells of a built notebook printed or displayed (as text)."""
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join(
        "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
        for cell in cells
        for out in cell.get("outputs", [])
    )


def _block(path: Path, tag: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split(f"<!-- {tag}:start -->")[1].split(f"<!-- {tag}:end -->")[0]


FIGURE = re.compile(r"(?<![\d.])0\.\d{3,4}(?![\d])")


@pytest.mark.parametrize("readme", ["README.md", "README.zh.md"])
def test_segmentation_figures_in_the_readme_are_lesson_9s_outputs(readme):
    """Every score the README quotes for lesson 9 is one the committed lesson printed (rounded as quoted)."""
    printed = {float(x) for x in re.findall(r"(?<![\d.])0\.\d+", _output_text(
        ROOT / "notebooks" / "en" / "09_chinese_word_segmentation.ipynb"))}  # fmt: skip
    quoted = FIGURE.findall(_block(ROOT / readme, "segmentation"))
    assert len(quoted) >= 9, f"{readme} should quote lesson 9's scores, found {quoted}"
    for figure in quoted:
        places = len(figure) - 2
        assert any(f"{x:.{places}f}" == figure for x in printed), (
            f"{readme}: {figure} is no output of lesson 9"
        )


@pytest.mark.parametrize("lang, readme", [("en", "README.md"), ("zh", "README.zh.md")])
def test_decoding_table_in_the_benchmarks_readme_is_its_result_file(lang, readme):
    import json

    from benchmarks.decoding import readme_section

    result = json.loads((ROOT / "benchmarks" / "results" / "decoding.json").read_text(encoding="utf-8"))
    assert _block(ROOT / "benchmarks" / readme, "decoding").strip() == readme_section(result, lang).strip()


@pytest.mark.parametrize("lang, readme", [("en", "README.md"), ("zh", "README.zh.md")])
def test_chinese_ner_table_in_the_benchmarks_readme_is_its_result_files(lang, readme):
    from benchmarks.chinese import readme_table

    assert _block(ROOT / "benchmarks" / readme, "chinese").strip() == readme_table(lang).strip()


@pytest.mark.parametrize("lang, readme", [("en", "README.md"), ("zh", "README.zh.md")])
def test_transfer_table_in_the_benchmarks_readme_is_its_result_file(lang, readme):
    import json

    from benchmarks.zh_transfer import readme_table

    result = json.loads((ROOT / "benchmarks" / "results" / "zh_transfer.json").read_text(encoding="utf-8"))
    assert _block(ROOT / "benchmarks" / readme, "transfer").strip() == readme_table(result, lang).strip()


if __name__ == "__main__":
    for path in SOURCES:
        print(f"{path.name:36} {english_words(path.read_text(encoding='utf-8')):5}")
    print(f"{'total':36} {sum(english_words(p.read_text(encoding='utf-8')) for p in SOURCES):5}")
