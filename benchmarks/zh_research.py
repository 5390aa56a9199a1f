"""Chinese levers measured by ``benchmarks/chinese.py`` and not adopted by the course: kept runnable here.

- :data:`VARIED`: the generator with more patterns, foreign names, places and bodies built from a city
  name, entity-free sentences and clauses (no gain on hand-written text with 1,000 training sentences);
- :func:`mask_characters`: replace a share of training characters by ``[UNK]``;
- :func:`extend_with_cooccurrence`: new embedding rows from character co-occurrence vectors instead of the
  mean (worse on 3,000 MSRA sentences: ``benchmarks/results/chinese_init.md``);
- :func:`character_bert`: a small BERT with a character vocabulary, trained from scratch (far behind).

The package keeps what the lessons use: :mod:`helpers.zh.synthetic` (the plain corpus) and
:mod:`helpers.zh.vocab` (mean rows, faster embeddings).
"""

from __future__ import annotations

import os
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from helpers.zh.synthetic import HELD_OUT_FRACTION_ZH, TEMPLATE_TEXTS, Variant
from helpers.zh.vocab import extend_vocabulary, is_cjk, missing_characters, vocabulary_pieces


def _items(text: str) -> list[str]:
    return list(dict.fromkeys(text.split()))


# --------------------------------------------------------------------------------------------------
# The varied generator

# transliterated foreign names, as Chinese news writes them (surname only, or given name + surname)
FOREIGN = _items(
    "史密斯 约翰逊 汤普森 米勒 安德森 加西亚 罗德里格斯 费尔南德斯 穆勒 施密特 贝克尔 杜邦 勒克莱尔 佐藤 铃木 "
    "高桥 山田 伊万诺夫 彼得罗夫 卡尔森 尼尔森 奥尔森 哈里斯 克拉克 刘易斯 沃克 霍尔 艾伦 杨森 马丁内斯 "
    "约翰·史密斯 玛丽亚·加西亚 汉斯·穆勒 彼得·伊万诺夫 安娜·卡尔森 乔治·哈里斯 索菲亚·罗西 马可·贝利尼"
)
# facilities and small places after a city name: 广州南站, 成都天府机场 are places (LOC)
_SITE_SUFFIXES = _items(
    "火车站 南站 机场 国际机场 公园 湿地公园 广场 体育馆 体育中心 大桥 老街 步行街 古镇 港 新区 开发区 "
    "高新区 县 镇 村 路 大道 江边"
)
# bodies after a city or province name: 杭州市第一人民医院, 四川省教育厅 are organisations
_BODY_SUFFIXES = _items(
    "人民医院 中医院 第一中学 实验小学 图书馆 博物馆 电视台 日报社 公安局 教育局 文旅局 地铁集团 航空 "
    "银行 商会 足球俱乐部 师范大学 理工大学 职业技术学院 农业科学院 消防救援支队 气象台 人民法院 检察院"
)

# Templates of the varied corpus beside the course's: other word orders, titles after names, foreign names,
# places and bodies built from a city name, questions, quotes, lists and nominal mentions.
_MORE_TEMPLATE_TEXTS: list[tuple[int, str]] = [
    (3, "{FOREIGN}{TITLE}在接受{MEDIA}采访时说，{COUNTRY}愿意和{COUNTRY}加强合作。"),
    (3, "{TIME}，{SITE}附近发生一起交通事故，{BODY}已派人到场处理。"),
    (3, "{BODY}的{PER}医生提醒，换季时一定要注意休息。"),
    (2, "你听说了吗？{PER}要从{COMPANY}跳槽去{COMPANY}了。"),
    (2, "{PER}是{PROVINCE}人，大学在{UNI}读的是计算机专业。"),
    (2, "在{LOC}，越来越多的年轻人选择{TOPIC}相关的工作。"),
    (2, "{COUNTRY}选手{FOREIGN}以{NUM}分的成绩获得冠军，{PER}获得亚军。"),
    (2, "“我们会继续努力。”{TEAM}主教练{PER}赛后说。"),
    (2, "{PER}、{PER}和{PER}三人组成的团队拿下了一等奖。"),
    (2, "去{SITE}怎么走？坐地铁还是打车？"),
    (2, "{MEDIA}记者{PER}从{SITE}发回报道。"),
    (2, "{COMPANY}今年在{COUNTRY}的销量增长了{NUM}%。"),
    (2, "据了解，{NOMINAL}正在和{ORG}商谈合作，{PER}{TITLE}亲自参与了谈判。"),
    (2, "{PER}带着孩子在{SITE}玩了一下午，回家时已经{TIME}了。"),
    (2, "由{ORG}主办的{EVENT}{TIME}在{SITE}开幕。"),
    (2, "{FOREIGN}说，他第一次来{CITY}就喜欢上了这里的美食。"),
    (1, "{BODY}发布通知，{TIME}起调整部分公交线路。"),
    (1, "{PER}（{UNI}{TITLE}）认为，{TOPIC}还面临不少困难。"),
    (1, "{COUNTRY}{TITLE}{FOREIGN}与{COUNTRY}{TITLE}{FOREIGN}通了电话。"),
    (1, "我和{PER}约好了，{TIME}在{SITE}门口见面。"),
    (1, "{BODY}和{BODY}联合开展了一次应急演练。"),
    (1, "{PER}把{COMPANY}的股票全卖了，说要去{LOC}开一家小店。"),
    (1, "{LOC}的{PER}老师带学生参观了{ORG}。"),
    (1, "《{TOPIC}发展报告》由{ORG}和{ORG}共同发布。"),
    (1, "{TEAM}的球迷从{CITY}坐了{HOURS}个小时的火车来{CITY}看球。"),
    (1, "{PER}：{ORG}的服务越来越好了！"),
    (1, "{PER}今年五十多岁，在{SITE}开了二十多年出租车。"),
]

# Clauses without entities: said alone they are an entity-free sentence, after a comma they make a sentence
# longer; nominal mentions (该公司, 这位教授) are O, as in People's Daily.
_O_CLAUSES: list[str] = [
    "天气越来越冷了，出门记得多穿点衣服", "这个问题引起了社会各界的广泛关注", "大家都觉得这个办法很不错",
    "价格比去年同期上涨了{NUM}%", "现场观众报以热烈的掌声", "具体原因还在进一步调查中",
    "{NOMINAL}对此没有作出回应", "很多家长对此表示担心", "他说这是自己第一次参加这样的活动",
    "这让{NOMINAL}感到非常意外", "预计{TIME}完成全部工程", "记者在现场看到，排队的人已经有几十米长",
    "{TIME}的会议推迟到下周举行", "相关部门已经介入调查", "不少网友在评论区留言点赞",
    "这项技术可以把成本降低一半", "双方就共同关心的问题交换了意见", "孩子们玩得非常开心",
    "下午可能会有雷阵雨，请注意携带雨具", "我们一家人吃完晚饭就出去散步了", "这款{PRODUCT}一上市就卖断了货",
    "他每天早上六点起床跑步", "这家店的牛肉面味道很正宗", "会议强调要把群众的利益放在第一位",
    "{NOMINAL}的负责人介绍了项目的进展情况", "比赛一度因为大雨中断", "周末的电影票基本都卖完了",
    "老人的身体状况已经稳定", "这条路修好以后，上班方便多了", "专家建议尽量少吃油炸食品",
    "股价当天下跌了{NUM}%", "学校决定推迟开学时间", "这是近十年来最严重的一次洪水",
    "明年还将新增{NUM}个停车位", "村里的年轻人大多外出打工了", "她一边工作一边照顾生病的母亲",
    "经过{NUM}个小时的抢救，伤者脱离了生命危险", "这个项目总投资约{NUM}亿元", "很多人一早就来排队",
    "他的发言赢得了全场的掌声", "我觉得这件事没有那么简单", "快递第二天上午就送到了",
]  # fmt: skip

#####
_SENTENCE_ENDS = ["。", "。", "。", "！", "……"]
_O_SHARE, _APPEND_SHARE, _PREPEND_SHARE = 0.12, 0.22, 0.1
_VARIED_TEXTS = [text for _, text in TEMPLATE_TEXTS + _MORE_TEMPLATE_TEXTS]
_VARIED_WEIGHTS = [w for w, _ in TEMPLATE_TEXTS + _MORE_TEMPLATE_TEXTS]


def varied_template(rng: random.Random) -> str:
    """A template of the varied corpus: an entity-free sentence, or a template with a clause before or after."""
    end = rng.choice(_SENTENCE_ENDS)
    if rng.random() < _O_SHARE:
        return rng.choice(_O_CLAUSES) + end
    text = rng.choices(_VARIED_TEXTS, weights=_VARIED_WEIGHTS)[0]
    r = rng.random()
    if text.endswith("。") and r < _APPEND_SHARE:
        text = text[:-1] + "，" + rng.choice(_O_CLAUSES) + end
    elif r < _APPEND_SHARE + _PREPEND_SHARE:
        text = rng.choice(_O_CLAUSES) + "，" + text
    return text


def _body_place(f) -> str:
    return f.pick("cities") if f.rng.random() < 0.8 else f.pick("provinces")


#: the varied generator: ``generate_chinese_corpus(variant=VARIED)``
VARIED = Variant(
    template=varied_template,
    slots={
        "FOREIGN": (lambda f: f.pick("foreign"), "PER"),
        "PROVINCE": (lambda f: f.pick("provinces"), "LOC"),
        "SITE": (lambda f: f.pick("cities") + f.rng.choice(_SITE_SUFFIXES), "LOC"),
        "BODY": (lambda f: _body_place(f) + f.rng.choice(_BODY_SUFFIXES), "ORG"),
    },
    pools={"foreign": (FOREIGN, HELD_OUT_FRACTION_ZH)},
)


# --------------------------------------------------------------------------------------------------
# [UNK] masking


def mask_characters(ds, share: float, *, unk_token: str = "[UNK]", seed: int = 0):
    """``ds`` with a random ``share`` of its one-character CJK tokens replaced by ``unk_token`` (tags unchanged).

    A vocabulary extended with the training characters never shows ``[UNK]`` in training, yet real text
    has characters the training data lacks: masking some teaches the model to read names and contexts
    around an unknown character.
    """
    if not 0 <= share < 1:
        raise ValueError(f"share must be in [0, 1), got {share}")
    rng = random.Random(seed)

    def mask(row: dict) -> dict:
        row["tokens"] = [
            unk_token if len(t) == 1 and is_cjk(t) and rng.random() < share else t for t in row["tokens"]
        ]
        return row

    return ds.map(mask, desc=f"masking {share:.0%} of the characters")


# --------------------------------------------------------------------------------------------------
# New embedding rows from co-occurrence


def cooccurrence_vectors(
    sentences: Iterable[Sequence[str]],
    targets: Sequence[str],
    dim: int,
    *,
    window: int = 2,
    contexts: int = 3000,
    seed: int = 0,
):
    """One ``dim``-wide vector per target character from how the training text uses it (no labels).

    Counts, for each target (a one-character token), the tokens at each offset up to ``window`` on either
    side (the ``contexts`` most frequent tokens, one column per token and offset), weighs the counts by
    positive pointwise mutual information (context frequencies smoothed by the power 0.75) and keeps the
    ``dim`` leading directions of a truncated SVD: the classic count-based word vectors, for characters.
    Characters that occur in similar contexts (surnames before given names, 省 and 市 after a place name)
    get similar vectors. Returns a float32 array ``(len(targets), dim)``.
    """
    import numpy as np
    import torch

    sentences = [list(s) for s in sentences]
    frequency = Counter(tok for s in sentences for tok in s)
    column_of = {tok: i for i, (tok, _) in enumerate(frequency.most_common(contexts))}
    row_of = {ch: i for i, ch in enumerate(targets)}
    # one stream of all sentences with `window` blanks (-1) between them, so no offset crosses a sentence
    blank = [-1] * window
    stream_rows = np.array([r for s in sentences for r in [*(row_of.get(t, -1) for t in s), *blank]])
    stream_cols = np.array([c for s in sentences for c in [*(column_of.get(t, -1) for t in s), *blank]])
    width = len(column_of)
    offsets = [o for o in range(-window, window + 1) if o]
    counts = np.zeros((len(targets), len(offsets) * width), dtype=np.float32)
    for k, o in enumerate(offsets):
        rows = stream_rows[max(0, -o) : len(stream_rows) - max(0, o)]
        cols = stream_cols[max(0, o) : len(stream_cols) - max(0, -o)]
        keep = (rows >= 0) & (cols >= 0)
        flat = np.bincount(rows[keep] * width + cols[keep], minlength=len(targets) * width)
        counts[:, k * width : (k + 1) * width] = flat.reshape(len(targets), width)
    total = counts.sum()
    if total == 0:
        return np.zeros((len(targets), dim), dtype=np.float32)
    p_row = counts.sum(1, keepdims=True) / total
    smoothed = counts.sum(0, keepdims=True) ** 0.75
    p_col = smoothed / smoothed.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        ppmi = np.maximum(np.log((counts / total) / (p_row * p_col)), 0)
    ppmi = np.nan_to_num(ppmi, nan=0.0, posinf=0.0, neginf=0.0)
    k = min(dim, *ppmi.shape)
    torch.manual_seed(seed)
    u, sv, _ = torch.svd_lowrank(torch.from_numpy(ppmi), q=k, niter=4)
    out = np.zeros((len(targets), dim), dtype=np.float32)
    out[:, :k] = (u * sv.sqrt()).numpy()
    return out


def extend_with_cooccurrence(
    checkpoint: str, sentences: Iterable[Sequence[str]], output_dir: str | os.PathLike, *, seed: int = 0
) -> str:
    """:func:`helpers.zh.vocab.extend_vocabulary`, then the new rows restarted from :func:`cooccurrence_vectors`.

    Each new row is put as far from the centre of the old rows as they are on average, in the direction of
    its character's vector, so characters used alike start alike; a character with no frequent context
    keeps its mean row. Returns ``output_dir`` (or ``checkpoint`` when no character is missing).
    """
    import torch
    from transformers import AutoModel

    from helpers.modeling import load_tokenizer

    sentences = [list(s) for s in sentences]
    old_tokenizer = load_tokenizer(checkpoint)
    missing = missing_characters(old_tokenizer, sentences)
    path = extend_vocabulary(checkpoint, sentences, output_dir, seed=seed)
    if path == checkpoint:
        return path
    old_size = len(old_tokenizer.get_vocab())
    vocab = load_tokenizer(path).get_vocab()
    rows: dict[
        str, list[int]
    ] = {}  # the rows each character added (a piece belongs to the first that added it)
    taken: set[int] = set()
    for ch in missing:
        for piece in vocabulary_pieces(old_tokenizer, ch):
            if vocab[piece] >= old_size and vocab[piece] not in taken:
                taken.add(vocab[piece])
                rows.setdefault(ch, []).append(vocab[piece])
    model = AutoModel.from_pretrained(path, use_safetensors=True)
    weight = model.get_input_embeddings().weight
    old = weight[: len(weight) - len(taken)]
    chars = list(rows)
    vectors = cooccurrence_vectors(sentences, chars, weight.shape[1], seed=seed)
    centre = old.mean(0)
    radius = (old - centre).norm(dim=1).mean()  # new rows as far from the centre as old rows are
    with torch.no_grad():
        for ch, vector in zip(chars, torch.as_tensor(vectors, dtype=weight.dtype)):
            if vector.norm() > 0:  # a character seen with no frequent context keeps its mean_resizing row
                weight[rows[ch]] = centre + radius * vector / vector.norm()
    model.save_pretrained(path, safe_serialization=True)
    return path


# --------------------------------------------------------------------------------------------------
# A character BERT from scratch


def character_bert(
    sentences: Iterable[Sequence[str]],
    output_dir: str | os.PathLike,
    *,
    hidden_size: int = 256,
    layers: int = 4,
    min_count: int = 1,
    max_length: int = 512,
    seed: int = 0,
) -> str:
    """A randomly initialised BERT whose vocabulary is the characters of ``sentences`` (no pre-training).

    Latin and digit runs are split into pieces by WordPiece from single characters. Returns ``output_dir``.
    """
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    counts = Counter(ch for tokens in sentences for tok in tokens for ch in tok if not ch.isspace())
    chars = sorted((c for c, n in counts.items() if n >= min_count), key=lambda c: (-counts[c], c))
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab = list(dict.fromkeys(specials + chars + [f"##{c}" for c in chars if not is_cjk(c)]))
    tok = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]", sep_token="[SEP]",
        mask_token="[MASK]", model_max_length=max_length,
    )  # fmt: skip
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden_size,
        num_hidden_layers=layers,
        num_attention_heads=max(1, hidden_size // 64),
        intermediate_size=hidden_size * 4,
        max_position_embeddings=max_length,
    )
    # every row is new: faster_embeddings speeds them all up, as they were when this was measured
    config.tokcls_added_rows = [0, len(vocab)]
    torch.manual_seed(seed)
    out = Path(output_dir)
    BertModel(config).save_pretrained(out, safe_serialization=True)
    fast.save_pretrained(out)
    return str(out)
