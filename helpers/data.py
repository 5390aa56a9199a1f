"""Datasets: CoNLL-2003 from a local folder, the Hub or a synthetic stand-in; your own files; smoke subsets."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from datasets import Dataset, DatasetDict

from .env import env_flag
from .errors import DataFormatError, LabelError
from .hub import NETWORK_ERRORS, hub_available
from .io import display_path, printer
from .labels import CONLL2003_LABELS
from .readers import CONLL_COLUMNS, collect_labels, read_conll, read_records
from .records import make_features, records_to_dataset

HUB_DATASET = "eriktks/conll2003"
#: the Hub's parquet export of a dataset: script datasets no longer load with datasets>=4, their export does
PARQUET_REVISION = "refs/convert/parquet"
SPLIT_FILES: dict[str, tuple[str, ...]] = {
    "train": ("train.txt", "eng.train", "train.conll"),
    "validation": ("validation.txt", "valid.txt", "dev.txt", "eng.testa", "validation.conll", "dev.conll"),
    "test": ("test.txt", "eng.testb", "test.conll"),
}
SMOKE_SIZES = {"train": 400, "validation": 200, "test": 200}


def smoke_mode() -> bool:
    """True when ``TOKCLS_SMOKE=1``: tiny data and few steps, so every notebook runs in seconds."""
    return env_flag("TOKCLS_SMOKE")


def find_split_files(folder: str | os.PathLike) -> dict[str, Path]:
    """Locate ``train``/``validation``/``test`` files in a CoNLL folder (``valid.txt``, ``dev.txt`` accepted)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"data folder {folder} does not exist (from the argument or TOKCLS_DATA_DIR)")
    found = {}
    for split, names in SPLIT_FILES.items():
        for name in names:
            if (folder / name).is_file():
                found[split] = folder / name
                break
    if "train" not in found:
        raise DataFormatError(
            f"no training file; expected one of {list(SPLIT_FILES['train'])}", source=str(folder)
        )
    return found


def load_conll_folder(
    folder: str | os.PathLike,
    label_names: Mapping[str, Sequence[str]] | None = None,
    *,
    documents: bool = False,
) -> DatasetDict:
    """Load a folder of CoNLL-2003-style column files (``token POS chunk NER``; IOB1 is converted to IOB2).

    ``documents=True`` adds a ``document`` column from the files' ``-DOCSTART-`` lines (for document context).
    """
    label_names = dict(label_names or CONLL2003_LABELS)
    splits = {}
    for split, path in find_split_files(folder).items():
        records = read_conll(
            path, CONLL_COLUMNS, input_scheme="auto", labels=label_names, documents=documents
        )
        splits[split] = records_to_dataset(records, label_names, source=display_path(path))
    return DatasetDict(splits)


def load_hub_parquet(
    dataset: str, labels: Mapping[str, Sequence[str]], revision: str = PARQUET_REVISION
) -> DatasetDict:
    """A Hub dataset through its parquet export: columns ``id, tokens`` and ``labels``, with exactly those label names.

    A label column whose names differ raises ``LabelError`` (a changed dataset is an error, not a reason to
    fall back). ``HF_ENDPOINT`` (a mirror) is honoured by ``datasets`` itself.
    """
    from datasets import load_dataset

    raw = load_dataset(dataset, revision=revision)
    features = make_features(labels)
    out = {}
    for split, ds in raw.items():
        for col, names in labels.items():
            got = getattr(getattr(ds.features[col], "feature", None), "names", None)
            if got is not None and list(got) != list(names):
                raise LabelError(f"Hub dataset {dataset}: {col} names differ from {list(names)}: {list(got)}")
        ds = ds.select_columns(list(features)).cast(features)
        ds.info.description = f"Hugging Face Hub: {dataset}@{revision}"
        out[split] = ds
    return DatasetDict(out)


def synthetic_conll(seed: int = 13, sizes: Mapping[str, int] | None = None) -> DatasetDict:
    """The generated stand-in corpus with CoNLL-2003's columns and label names (not CoNLL-2003)."""
    from .synthetic import generate_corpus

    corpus = generate_corpus(seed=seed, sizes=dict(sizes) if sizes else None)
    return DatasetDict(
        {
            split: records_to_dataset(recs, CONLL2003_LABELS, source=f"synthetic corpus (seed {seed})")
            for split, recs in corpus.items()
        }
    )


def load_first_available(
    data_dir: str | os.PathLike | None,
    *,
    from_folder: Callable[[str | os.PathLike], DatasetDict],
    from_hub: Callable[[], DatasetDict],
    generated: Callable[[], DatasetDict],
    names: tuple[str, str, str],
    notice: str,
    installed: Sequence[tuple[str, Callable[[], DatasetDict | None], str]] = (),
    verbose: bool = True,
) -> DatasetDict:
    """The source rule of every corpus: a folder if given → the Hub if reachable → an installed copy → a generated stand-in.

    ``names`` say what each source is in the printed line (folder files, Hub dataset, generated corpus).
    ``installed``: ``(name, load, notice)`` of real corpora that packages ship, tried in order; ``load``
    returns None when its package is not installed. Only network and availability errors of the Hub fall
    back; others (a ``LabelError``) are raised.
    """
    say = printer(verbose)
    folder_name, hub_name, generated_name = names
    if data_dir:
        ds = from_folder(data_dir)
        say(f"Data: {folder_name} from {display_path(data_dir)}")
        return ds
    ok, why = hub_available()
    if ok:
        try:
            ds = from_hub()
            say(f"Data: {hub_name} from the Hugging Face Hub ({why})")
            return ds
        except NETWORK_ERRORS as exc:  # the Hub or the network failed: fall back, with the reason shown
            why = f"loading {hub_name} failed: {exc.__class__.__name__}: {str(exc)[:200]}"
    for installed_name, load, installed_notice in installed:
        ds = load()
        if ds is not None:
            say(
                f"Data: {installed_name}, because the Hub is not available ({why}).\nNOTE: {installed_notice}"
            )
            return ds
    ds = generated()
    say(f"Data: {generated_name}, because the Hub is not available ({why}).\nNOTICE: {notice}")
    return ds


def load_conll2003(
    data_dir: str | os.PathLike | None = None, *, verbose: bool = True, documents: bool = False
) -> DatasetDict:
    """Load CoNLL-2003: ``data_dir``/``TOKCLS_DATA_DIR`` → Hub parquet export → synthetic corpus.

    Prints which source was used (unless ``verbose=False``); ``data_source(ds)`` tells it later. Only network
    and availability errors fall back to the synthetic corpus; a ``LabelError`` (the Hub's label names
    changed) is raised. ``documents=True``: CoNLL files also give a ``document`` column (the Hub's export
    has no document boundaries).
    """
    from .synthetic import SYNTHETIC_NOTICE

    return load_first_available(
        data_dir or os.environ.get("TOKCLS_DATA_DIR") or None,
        from_folder=lambda folder: load_conll_folder(folder, documents=documents),
        from_hub=lambda: load_hub_parquet(HUB_DATASET, CONLL2003_LABELS),
        generated=synthetic_conll,
        names=("CoNLL files", HUB_DATASET, "synthetic corpus"),
        notice=SYNTHETIC_NOTICE,
        verbose=verbose,
    )


def data_source(ds: Dataset | DatasetDict) -> str:
    """Where a dataset loaded by this module came from (file, Hub or synthetic)."""
    if isinstance(ds, DatasetDict):
        ds = next(iter(ds.values()))
    return ds.info.description or "unknown"


def label_names(ds: Dataset | DatasetDict, column: str) -> list[str]:
    """The ClassLabel names of a tag column: ``label_names(ds, "ner_tags")[:3] == ["O", "B-PER", "I-PER"]``."""
    if isinstance(ds, DatasetDict):
        ds = next(iter(ds.values()))
    return list(ds.features[column].feature.names)


def load_token_files(
    files: Mapping[str, str | os.PathLike],
    *,
    format: str | None = None,
    label_names: Mapping[str, Sequence[str]] | None = None,
    **reader_kwargs,
) -> DatasetDict:
    """Load your own files (CoNLL, CoNLL-U, JSON lines, CSV), one per split, into a DatasetDict.

    Tag columns and their label lists come from ``label_names`` or are collected over all splits.
    """
    per_split = {split: read_records(path, format=format, **reader_kwargs) for split, path in files.items()}
    for split, recs in per_split.items():
        if not recs:
            raise DataFormatError("the split is empty: no sentences", source=str(files[split]))
    if label_names is None:
        columns = [c for c in next(iter(per_split.values()))[0] if c not in ("id", "tokens")]
        label_names = {
            c: collect_labels([r for recs in per_split.values() for r in recs], c) for c in columns
        }
    return DatasetDict(
        {
            split: records_to_dataset(recs, label_names, source=display_path(files[split]))
            for split, recs in per_split.items()
        }
    )


def smoke_subset(
    ds: DatasetDict, sizes: Mapping[str, int] | None = None, force: bool = False, *, verbose: bool = True
) -> DatasetDict:
    """In smoke mode (``TOKCLS_SMOKE=1``) or with ``force``, keep the first few hundred sentences per split.

    Says what it kept unless ``verbose=False``.
    """
    if not (force or smoke_mode()):
        return ds
    sizes = dict(SMOKE_SIZES, **(sizes or {}))
    out = DatasetDict({s: d.select(range(min(len(d), sizes.get(s, 200)))) for s, d in ds.items()})
    printer(verbose)("Smoke mode: " + ", ".join(f"{s} {len(d)}" for s, d in out.items()) + " sentences")
    return out
