"""The polarity lexicon and the tokens it adds to the classifiers' input (``polarity_tokens``):
accent-folded phrases, written for duluan, each hit a ``zzpos`` / ``zzneg`` token, scoped by
negators, suggestions and contrasts. Its version is part of ``nlp.pipeline.PREPROCESS``:
changing it means retraining the classifiers."""

from __future__ import annotations

import re

# A small polarity lexicon (accent-folded, written for duluan) so that a few hundred seed
# examples generalise: each hit adds a `zzpos`/`zzneg` token, flipped after a negator.
POSITIVE = (
    "tien loi",
    "tien",
    "nhanh",
    "tot",
    "hai long",
    "cam on",
    "tuyet voi",
    "hieu qua",
    "thiet thuc",
    "bo ich",
    "phan khoi",
    "tu hao",
    "ung ho",
    "de dang",
    "minh bach",
    "nhiet tinh",
    "dang mung",
    "thanh cong",
    "tang truong",
    "ky vong",
    "dung dan",
    "xung dang",
    "khen",
    "thich",
    "vui",
    "dep",
    "an tam",
    "huu ich",
    "giam",
    "tiet kiem",
    "hao hung",
    "ghi nhan",
    "thanh thao",
    "van minh",
    # general evaluative words, so that the tone of everyday feedback (on a service, a course, a
    # portal) reads as it does in the policy area; folded forms only where unambiguous ("hay"
    # is also "hãy"/"or", "chan" also "chặn"/"chân": left out)
    "de hieu",
    "de tiep thu",
    "de su dung",
    "de nghe",
    "tan tinh",
    "tan tam",
    "chu dao",
    "ro rang",
    "gan gui",
    "soi noi",
    "vui ve",
    "chat luong",
    "thuan tien",
    "chuyen nghiep",
    "xuat sac",
    "colonsmile",
    "colonsmilesmile",
    "colonlove",
    "colonlovelove",
    "colonhihi",
    "thu vi",
    "ly thu",
    "kip thoi",
    "dung gio",
    "theo kip",
    "on dinh",
    # everyday feedback (measured on UIT-VSFC dev, never trained on; bench/real_traffic.py)
    "sinh dong",
    "ky luong",
    "co tam",
    "tam huyet",
    "tien bo",
    "yeu thich",
    "than thien",
    "de thuong",
    "hoa dong",
    "thu hut",
    "vui tinh",
    "kien nhan",
    "lich su",
    "nhanh chong",
    "yeu men",
    "de tinh",
    "thoai mai",
    "co ich",
    "loi ich",
    "tich cuc",
    "nhiet huyet",
    "hai huoc",
    "cuon hut",
    "hap dan",
    "tan tuy",
    "cong bang",
    "ton trong",
    "quan tam",
    # "hay" (good) is also "hãy" (do) and "or" once folded: only after a word that makes it the
    # adjective
    "rat hay",
    "day hay",
    "giang hay",
    "noi hay",
    "kha hay",
    "that hay",
    "hay lam",
    "hay qua",
    "qua hay",
    "hay va",
    # feedback words, third round (UIT-VSFC dev's even lines, never trained on): qualities of a
    # teacher, a course or a service; "kỹ" only after a verb or "rất" (folded "ky" is also
    # "kỳ", "ký")
    "hop ly",
    "sat sao",
    "dong vien",
    "giup do",
    "giup ich",
    "ky cang",
    "giang ky",
    "day ky",
    "rat ky",
    "bam sat",
    "chuyen mon cao",
    "xinh",
    "hang say",
    "nang dong",
    "hoat bat",
    "hung thu",
    "truyen cam hung",
    "de theo doi",
    "ngan gon",
    "xuc tich",
    "trach nhiem",
)
NEGATIVE = (
    # waiting ("phải chờ đợi cả buổi"; "không phải chờ đợi như trước" is praise: negated)
    "cho doi",
    "cham",
    "loi",
    "met",
    "kho",
    "lang phi",
    "bat tien",
    "qua tai",
    "chap chon",
    "yeu",
    "hong",
    "lo ngai",
    "lo",
    "buc xuc",
    "that vong",
    "phien",
    "te",
    "kem",
    "ton",
    "thieu",
    "vat va",
    "hinh thuc",
    "nghi ngo",
    "khong tin",
    "xuong cap",
    "roi ram",
    "roi loan",
    "phan nan",
    "bo quen",
    "rom ra",
    "tham vong",
    "that bai",
    "lua",
    "mat",
    "sai",
    "bia dat",
    "xuyen tac",
    "phat",
    "bi khoa",
    "kho hieu",
    "mo ho",
    "so sai",
    "nham chan",
    "kho chiu",
    "roi rac",
    "phuc tap",
    "bat cap",
    "thieu sot",
    "rac roi",
    "lac hau",
    "di tre",
    "tre gio",
    "tre hen",
    "cham tre",
    "qua nhanh",
    "khong hieu",
    "on ao",
    "ngot ngat",
    "tham te",
    # a hedge before a fault ("hơi nhanh", "hơi khó") is a complaint, and teaching or speaking
    # too fast is one ("nhanh" alone is praise of a service)
    "hoi nhanh",
    "hoi kho",
    "hoi cham",
    "hoi it",
    "hoi nhieu",
    "hoi cao",
    "hoi dai",
    "hoi nang",
    "day nhanh",
    "giang nhanh",
    "noi nhanh",
    "con it",
    "chua hieu",
    "chua ro",
    "kho khan",
    "cang thang",
    "lo la",
    "qua loa",
    "go bo",
    "lac de",
    "den muon",
    "di muon",
    "vao muon",
    "ap luc",
    "buon ngu",
    "kho tiep thu",
    "thieu thuc te",
    "khong nhiet tinh",
    "nhieu qua",
    "it qua",
    "colonsad",
    "colonsadcolon",
    # third round (UIT-VSFC dev's even lines): faults of a class, a room or a service; "trễ"
    # only after a verb of arriving or "quá" (folded "tre" is also "trẻ"), "ít" with its
    # non-evaluative uses in NEUTRAL
    "su co",
    "map mo",
    "lan man",
    "tran lan",
    "don dap",
    "qua nang",
    "qua rong",
    "qua be",
    "qua tre",
    "qua suc",
    "den tre",
    "den lop tre",
    "vao lop tre",
    "den lop muon",
    "xuyen tre",
    "it",
    "tu boi",
    "lam bieng",
    "vo trach nhiem",
    "khong phu hop",
    "chua phu hop",
    "mat tap trung",
    "khong tap trung",
    "kho nghe",
)
# Folded phrases that contain a lexicon word but are not an evaluation ("phát triển" holds
# "phạt", "kinh tế" "tệ", "yêu cầu" "yếu", "các mặt" "mất", "kèm theo" "kém", "chấm điểm"
# "chậm", "trả lời" "lỗi"; "rồi" (already) and "rối" fold alike, so only "rối rắm", "rối loạn",
# "rời rạc" count): matched first
# (longest match), they add no token.
NEUTRAL = (
    "phat trien",
    "phat hanh",
    "phat hien",
    "phat bieu",
    "phat huy",
    "phat am",
    "thuc tien",
    "tien do",
    "tien hanh",
    "tien si",
    "cac mat",
    # "chỉ mất mười phút là xong" (only takes ten minutes): no loss (a fresh-user trial)
    "chi mat",
    "mat khau",
    "mat troi",
    "kem theo",
    "di kem",
    "cham diem",
    "cham bai",
    "tra loi",
    "loi giai",
    "loi noi",
    "loi khuyen",
    "loi nhan",
    "hinh thuc hoc",
    "hinh thuc thi",
    "hinh thuc kiem tra",
    "khong co y kien",
    "kinh te",
    "thuc te",
    "y te",
    "quoc te",
    "kho bac",
    "lo trinh",
    "yeu cau",
    "yeu to",
    "phien ban",
    "phien hop",
    "ton tai",
    "lua chon",
    "mat do",
    "thieu nhi",
    "it nhat",
    "it ra",
    "it khi",
    "toi thieu",
    "gioi thieu",
    "phan hoi",
)
# Emoticons and emoji of clear polarity, as typed (":)", "😊") and as UIT-VSFC's placeholder
# words for the same emoticons ("colonsmile" for ":)", "colonsad" for ":("; the words are in the
# lexicons above and below): each adds a `zzpos`/`zzneg` token. Laughing, winking and playful
# faces (":v", ":p", "😂") are left out: in comments they mock as often as they please.
EMOTICONS_POSITIVE = (
    ":)",
    ":-)",
    "=)",
    ":d",
    "^^",
    "<3",
    "❤",
    "♥",
    "😊",
    "😀",
    "😁",
    "😃",
    "😄",
    "😍",
    "🥰",
    "👍",
    "👏",
    "💯",
)
EMOTICONS_NEGATIVE = (
    ":(",
    ":-(",
    ":'(",
    "☹",
    "🙁",
    "😞",
    "😟",
    "😢",
    "😭",
    "😡",
    "😠",
    "🤬",
    "👎",
    "😤",
    "😒",
    "😩",
    "😫",
)
# an ASCII emoticon counts only where no letter or digit follows it (":d" is not "Lưu ý:đăng…",
# "<3" not "<30")
_EMOTICON_RE = re.compile(
    "|".join(
        re.escape(e) + (r"(?!\w)" if e.isascii() else "")
        for e in sorted(EMOTICONS_POSITIVE + EMOTICONS_NEGATIVE, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_EMOTICON_TAG = dict.fromkeys(EMOTICONS_POSITIVE, "zzpos") | dict.fromkeys(
    EMOTICONS_NEGATIVE, "zzneg"
)
NEGATORS = frozenset({"khong", "chua", "chang", "cha", "dung", "thieu"})
# A suggestion asks for more or for better, so it says the present falls short (the label
# guidelines, data/seed/README.md): in a sentence that opens a suggestion with one of these
# words, a positive hit that "hơn" follows in the same sentence ("cần giảng chi tiết hơn", "mong
# cô thay đổi để sinh viên tiếp cận dễ dàng với bài học hơn") counts as negative, and one that
# it does not follow is what is asked for, not a judgement of the present ("nên nhanh chóng đưa
# thiết bị vào", "cần có lab để sinh viên thành thạo"): it adds no token. Folded "nen" is also
# "nền" and "can" also "cán"/"cản": not as a marker before the words of ``NOT_SUGGESTION``.
SUGGESTION = frozenset({"nen", "can", "mong"})
NOT_SUGGESTION = frozenset({"tang", "kinh", "hanh", "van", "nep", "mong", "bo", "thiep", "tro"})
# Words that may stand between a negator and what it negates ("không được tốt", "chưa thật sự
# rõ ràng", "không mấy hài lòng", "không có trách nhiệm")
BRIDGES = frozenset({"duoc", "that", "thuc", "su", "may", "qua", "he", "lam", "con", "co", "phai"})
# A contrast ("…, nhưng …", "tuy nhiên") puts the writer's judgement after it: the hits before
# it in the same sentence are dropped ("cô dạy nhiệt tình nhưng hơi nhanh" is a complaint,
# "đôi khi đến trễ nhưng giảng đầy đủ" praise). Folded "nhung" is also "những": it is a
# contrast only after a comma or before a word "những" cannot precede.
CONTRAST_AFTER = frozenset(
    {"hoi", "khong", "chua", "lai", "van", "qua", "rat", "cung", "doi", "kha", "it", "chang"}
)
_CONTRAST_START = frozenset({"tuy", "nhung"})
_CLAUSE_END = frozenset({",", ";", ":", ".", "!", "?"})
_SENTENCE_END = frozenset({".", "!", "?", ";"})
_LEXICON = (
    dict.fromkeys(POSITIVE, "zzpos") | dict.fromkeys(NEGATIVE, "zzneg") | dict.fromkeys(NEUTRAL, "")
)
_MAX_WORDS = max(len(w.split()) for w in _LEXICON)
# the words a lexicon phrase can start with (a word outside them is passed over at once)
_FIRST_WORDS = frozenset(w.split()[0] for w in _LEXICON) | {"hay"}


def _negated(words: list[str], i: int) -> bool:
    """Whether the word at ``i`` follows a negator, directly or across up to two bridge words."""
    for j in range(i - 1, max(i - 4, -1), -1):
        if words[j] in NEGATORS:
            return True
        if words[j] not in BRIDGES:
            return False
    return False


def _suggests(words: list[str], i: int) -> bool:
    """Whether the word at ``i`` is a suggestion marker (not "nền tảng", "cán bộ"…)."""
    return (
        words[i] in SUGGESTION and words[i + 1 : i + 2] != [] and words[i + 1] not in NOT_SUGGESTION
    )


def _contrast(words: list[str], i: int) -> bool:
    """Whether a contrast ("tuy nhiên", "…, nhưng", "nhưng hơi…") starts at ``i``."""
    if words[i : i + 2] == ["tuy", "nhien"]:
        return True
    after = words[i + 1] if i + 1 < len(words) else ""
    return words[i] == "nhung" and ((i > 0 and words[i - 1] == ",") or after in CONTRAST_AFTER)


def _adjective_hay(words: list[str], i: int) -> bool:
    """ "hay" is also "hãy" and "or" once folded: the adjective where a clause ends after it."""
    return (
        words[i] == "hay"
        and i > 0
        and words[i - 1] not in _CLAUSE_END
        and (i + 1 == len(words) or words[i + 1] in _CLAUSE_END)
    )


def polarity_tokens(folded: str) -> list[str]:
    """`zzpos`/`zzneg` per lexicon hit in accent-folded text (longest match first; a phrase of
    ``NEUTRAL`` is matched and adds nothing; phrases never cross punctuation), flipped after a
    negator ("không tốt", "chưa thật sự rõ ràng", "không tệ"); "hay" before a clause's end is the
    adjective ("môn này hay ."); in a suggestion, a positive hit is negative when "hơn" follows
    it and dropped otherwise (``SUGGESTION``); a contrast drops the hits before it in its sentence
    (``CONTRAST_AFTER``); then one per emoticon or emoji of ``EMOTICONS_POSITIVE`` /
    ``EMOTICONS_NEGATIVE`` in the text (folding keeps them)."""
    words = re.findall(r"\w+|[.,;:!?]", folded)
    out: list[str] = []
    sentence = 0  # where the current sentence's hits start in ``out``
    suggestion = False
    i = 0
    while i < len(words):
        word = words[i]
        if word in _SENTENCE_END:
            sentence, suggestion = len(out), False
            i += 1
            continue
        if word in _CONTRAST_START and _contrast(words, i):
            del out[sentence:]
        if word in SUGGESTION and _suggests(words, i):
            suggestion = True
        if word not in _FIRST_WORDS:
            i += 1
            continue
        for n in range(_MAX_WORDS, 0, -1):
            tag = _LEXICON.get(" ".join(words[i : i + n]))
            if tag is None and n == 1 and word == "hay" and _adjective_hay(words, i):
                tag = "zzpos"
            if tag is not None:
                if tag and _negated(words, i):
                    tag = "zzneg" if tag == "zzpos" else "zzpos"
                elif tag == "zzpos" and suggestion:
                    rest = words[i + n :]
                    end = next((k for k, w in enumerate(rest) if w in _SENTENCE_END), len(rest))
                    tag = "zzneg" if "hon" in rest[:end] else ""
                if tag:
                    out.append(tag)
                i += n
                break
        else:
            i += 1
    out += [_EMOTICON_TAG[m.group(0).lower()] for m in _EMOTICON_RE.finditer(folded)]
    return out
