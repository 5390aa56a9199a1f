"""Records (``{"id", "tokens", <tag column>: [str tags]}``) into a ``datasets.Dataset`` with ClassLabel columns.

The bottom of the data layer: readers and the Chinese corpora build their datasets here without depending on
helpers.data, which chooses among sources (and so reaches the generators).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from datasets import ClassLabel, Dataset, Features, Value
from datasets import Sequence as HFSequence

from .errors import DataFormatError, LabelError


def make_features(label_names: Mapping[str, Sequence[str]]) -> Features:
    """Features ``id, tokens`` plus one ``Sequence(ClassLabel)`` per tag column, in the given order."""
    feats = {"id": Value("string"), "tokens": HFSequence(Value("string"))}
    for column, names in label_names.items():
        feats[column] = HFSequence(ClassLabel(names=list(names)))
    return Features(feats)


def records_to_dataset(
    records: Sequence[Mapping], label_names: Mapping[str, Sequence[str]], source: str = "records"
) -> Dataset:
    """Turn records with string tags into a ``Dataset`` with ClassLabel ids; unknown tags raise ``LabelError``."""
    if not records:
        raise DataFormatError("the split is empty: no sentences", source=source)
    index = {col: {name: i for i, name in enumerate(names)} for col, names in label_names.items()}
    rows: dict[str, list] = {"id": [], "tokens": [], **{col: [] for col in label_names}}
    for n, rec in enumerate(records):
        if "tokens" not in rec:
            raise DataFormatError("record has no 'tokens' column", source=source, line=n + 1, field="tokens")
        rows["id"].append(str(rec.get("id", n)))
        rows["tokens"].append(list(rec["tokens"]))
        for col, lookup in index.items():
            if col not in rec:
                raise DataFormatError(f"record has no {col!r} column", source=source, line=n + 1, field=col)
            tags = rec[col]
            if len(tags) != len(rec["tokens"]):
                raise DataFormatError(
                    f"{len(rec['tokens'])} tokens but {len(tags)} tags", source=source, line=n + 1, field=col
                )
            try:
                rows[col].append([lookup[t] for t in tags])
            except KeyError as exc:
                raise LabelError(
                    f"{source}: sentence {rec.get('id', n)!r}, field {col!r}: tag {exc.args[0]!r} is not in the "
                    f"label inventory {list(label_names[col])[:20]}"
                ) from None
    ds = Dataset.from_dict(rows, features=make_features(label_names))
    if records and all("document" in rec for rec in records):  # optional: -DOCSTART- documents (readers)
        ds = ds.add_column("document", [int(rec["document"]) for rec in records])
    ds.info.description = source
    return ds
