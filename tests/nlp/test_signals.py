from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.signals import detect
from nlp.text import normalize


def kinds(text: str) -> set[str]:
    return {s.kind for s in detect(normalize(text))}


def test_scam_request_cues_with_evidence_spans() -> None:
    text = normalize("Vui lòng cung cấp mã OTP tại http://vneid-gov.xyz/xt trong vòng 24 giờ")
    signals = detect(text)
    assert {"credential_request", "lookalike_domain", "urgency"} <= {s.kind for s in signals}
    for s in signals:
        assert text[s.start : s.end] == s.evidence


def test_negated_request_is_a_warning_not_a_request() -> None:
    found = kinds("Cảnh báo: tuyệt đối không cung cấp mã OTP cho người lạ")
    assert "credential_request" not in found
    assert "warning_context" in found


def test_official_domains_are_not_lookalikes() -> None:
    assert "lookalike_domain" not in kinds("Nộp hồ sơ tại https://dichvucong.gov.vn/p/home")
    assert "lookalike_domain" in kinds("Nộp hồ sơ tại https://dichvucong-gov.vn.com/p/home")
    assert "short_link" in kinds("xem bit.ly/abc123 nhé")


def test_without_diacritics() -> None:
    assert "credential_request" in kinds("a doc giup e ma otp gui ve dt nhe")
    assert "refutation" in kinds("thong tin nay la sai su that")
    assert "hidden_truth" in kinds("thuc chat la de thu tien cua dan")


def test_blocklisted_domains_and_their_subdomains() -> None:
    from nlp.links import blocklist

    listed = sorted(blocklist())[100]
    assert "blocklisted_domain" in kinds(f"Nhận quà tại https://{listed}/qua")
    assert "blocklisted_domain" in kinds(f"Nhận quà tại http://login.{listed}")
    assert "blocklisted_domain" not in kinds("Tra cứu tại https://dichvucong.gov.vn")


def test_cues_read_accented_text_as_written() -> None:
    """Folded matching reads text typed without diacritics; where the diacritics are there, a
    word that only folds like a cue word is not that cue (gặp/gấp, Bắc Bộ/bác bỏ, để phỏng/đề
    phòng), and "gấp đôi" (twice as much) is not urgency."""
    from nlp.signals import detect

    def kinds(text: str) -> list[str]:
        return [s.kind for s in detect(text)]

    assert "urgency" not in kinds("Năm nay tôi hay gặp những câu hỏi rất khó.")
    assert "urgency" not in kinds("Chi phí sắt thép tăng gấp đôi so với năm trước.")
    assert "refutation" not in kinds("Mưa lớn kéo dài ở Bắc Bộ trong ba ngày tới.")
    assert "warning_context" not in kinds("Tôi đến để phỏng vấn ông giám đốc sở.")
    assert "urgency" in kinds("Anh chuyển tiền gấp trong hôm nay nhé.")
    assert "refutation" in kinds("Sở đã bác bỏ thông tin này.")
    assert "urgency" in kinds("can chuyen tien gap trong hom nay")  # no diacritics: folded
    assert "refutation" in kinds("so da bac bo tin don nay")


def test_topping_up_ones_own_line_is_no_money_request() -> None:
    """Carrier promotions ask people to top up their own phone ("nạp thẻ", "nạp … vào tài khoản
    chính", "gửi 191"); a scam asks them to pay someone."""
    from nlp.signals import detect

    def kinds(text: str) -> list[str]:
        return [s.kind for s in detect(text)]

    assert "money_request" not in kinds("Nạp thẻ từ 50.000đ nhận ngay 20% giá trị")
    assert "money_request" not in kinds("Nap 10,000 dong vao tai khoan chinh de nhan uu dai")
    assert "money_request" not in kinds("Soạn V90 gửi 191: 90K/tháng, 1GB/ngày")
    assert "money_request" in kinds("Nạp 500k để kích hoạt tài khoản nhận nhiệm vụ")
    assert "money_request" in kinds("Chuyển ngay 30 triệu vào tài khoản này để bảo lãnh")
    assert "money_request" in kinds("Đặt cọc 1 triệu để nhận tài khoản")


def test_links_to_official_domains_are_no_scam_cue() -> None:
    """A carrier's, bank's or government link is `official_link` (weight 0), and the models
    see it as `zzofficialurl`, not as an ordinary `zzurl`."""
    from nlp.pipeline import model_input

    for text in (
        "Quy khach vao https://my.vnpt.com.vn/khuyen-mai de nhan qua",
        "Tra cuu tai km.vtmoney.vn/abc",
        "Nop ho so tai https://dichvucong.gov.vn/p/home",
        "Xem them tai vietcombank.com.vn",
    ):
        signals = detect(normalize(text))
        assert [s.kind for s in signals] == ["official_link"], text
        assert signals[0].weight == 0.0
        assert "zzofficialurl" in model_input(normalize(text), signals)
        assert " zzurl " not in f" {model_input(normalize(text), signals)} "
    assert " zzurl " in f" {model_input('vao abc-khuyenmai.com ngay', [])} "


def test_lookalikes_of_every_listed_brand() -> None:
    for text, owner in (
        ("Dang nhap vietcombank.vn-ms.top de xac thuc", "vietcombank.com.vn"),
        ("Truy cap svip-acb.com ngay", "acb.com.vn"),
        ("Nhan qua tai vietteltelecomshop.cfd", "viettel.vn"),
        ("Cap nhat tai momo-vn.com", "momo.vn"),
        ("Nop phat nguoi tai dichvucongg.top", "gov.vn"),
        # a court's summons at a look-alike (probe K); the courts' portal is toaan.gov.vn
        ("Giấy triệu tập điện tử xem tại: toaan-giaytrieutap.com/hs", "gov.vn"),
    ):
        found = [s for s in detect(normalize(text)) if s.kind == "lookalike_domain"]
        assert found, text
        assert owner in found[0].message, text
    # A short brand key is only a whole label or hyphenated part: "acb" inside a word is none.
    assert "lookalike_domain" not in kinds("Doc bai tai tacbien.com")
    assert "lookalike_domain" not in kinds("Tra cứu bản án tại congbobanan.toaan.gov.vn")


def test_deep_link_services_are_no_odd_tld() -> None:
    assert "odd_tld" not in kinds("Mo ung dung tai https://myvt.page.link/abc")
    assert "odd_tld" in kinds("Nhan qua tai https://qua-tang.link/abc")


def test_official_list_rows_are_well_formed() -> None:
    from nlp.links import official_domains

    domains = official_domains()
    assert len(domains) >= 60
    assert {d.kind for d in domains.values()} <= {
        "gov",
        "bank",
        "carrier",
        "wallet",
        "shop",
        "post",
        "news",
    }
    # No official domain is on the scam blocklist, and each one (and its subdomains) is official.
    from nlp.links import blocklist, official

    assert not set(domains) & blocklist()
    for name in domains:
        assert official(name) is domains[name]
        assert official("www." + name) is domains[name]


def test_a_condition_is_no_warning() -> None:
    """ "ai không/chưa cài … sẽ bị phạt" states a rule (the rumour itself), it does not warn."""
    assert "warning_context" not in kinds("Ai không cài VNeID sẽ bị phạt 5 triệu")
    assert "warning_context" not in kinds("Từ tháng sau ai chưa cài ứng dụng VNeID sẽ bị phạt")
    assert "warning_context" not in kinds("Nếu không cài VNeID thì bị phạt")
    assert "warning_context" in kinds("Bà con không cung cấp mã OTP cho ai")
    assert "warning_context" in kinds("Không bấm vào đường link lạ")


def test_lures_of_real_inbox_spam_are_cues() -> None:
    """Gambling, task-job, debt-threat and benefit lures (kinds a real SMS benchmark showed missed),
    masked spellings included; the same words in a warning or a court report are not lures."""
    assert "gambling_lure" in kinds("Dang ky tang 88K, N4p d4u tang 188K, thang rut cuc nhanh")
    assert "job_lure" in kinds("Tuyển nhân viên làm việc tại nhà, thu nhập 350 - 999k/ngày")
    assert "debt_threat" in kinds("Trước 17h không thanh toán sẽ gửi hồ sơ về địa phương")
    assert "benefit_lure" in kinds("Ông/bà có biên lai chưa nộp phạt, liên hệ ngay")
    assert "benefit_lure" in kinds("Ban da du dieu kien nhan tien ho tro, QUA-HAN-SE-KH0NG duoc")
    assert "job_lure" not in kinds("Siêu thị tuyển nhân viên bán thời gian, lương theo giờ")
    assert "warning_context" in kinds("Cảnh báo tin nhắn mời nạp đầu nhận thưởng")


def test_abuse_of_trust_is_no_warning() -> None:
    """ "lạm dụng tín nhiệm" folds to the same letters as "đừng tin" (don't believe)."""
    assert "warning_context" not in kinds("Bị cáo phạm tội lạm dụng tín nhiệm chiếm đoạt tài sản")
    assert "warning_context" in kinds("Đừng tin tin nhắn lạ")
    assert "warning_context" in kinds("dung tin tin nhan la")


def test_a_receipt_and_a_last_warning_are_what_they_say() -> None:
    assert "money_request" not in kinds("Tai khoan cua Quy khach da duoc nap 10,000d luc 14:02")
    assert "money_request" in kinds("Ban nap 100k de nhan thuong 500k")
    assert "warning_context" not in kinds("CANH BAO LAN CUOI: truoc 17h phai thanh toan")
    assert "warning_context" in kinds("Cảnh báo lừa đảo qua tin nhắn")


def test_not_you_link_needs_a_link_outside_the_official_list() -> None:
    scam = "Phát hiện đăng nhập lạ. Nếu không phải bạn, vui lòng truy cập https://vcb-xacthuc.com để hủy"
    real = (
        "Phát hiện đăng nhập lạ. Nếu không phải bạn, vui lòng truy cập https://vietcombank.com.vn"
    )
    assert "not_you_link" in kinds(scam)
    assert "not_you_link" not in kinds(real)
    assert "not_you_link" not in kinds("Nếu không phải bạn, vui lòng gọi tổng đài 1900 545413")


def test_thousand_is_no_negation() -> None:
    """ "88 k nhận 88 k" is 88 thousand, not "không nhận" (a warning's "do not accept")."""
    assert "warning_context" not in kinds("Nap dau 88 k nhan 88 k")
    assert "warning_context" in kinds("k nhận tin nhắn lạ")
    assert "premium_or_forgery" in kinds("Ben em nhan lam cac loai gplx, cavet, can cuoc")


def test_entering_a_code_is_a_request_only_towards_an_unofficial_link() -> None:
    genuine = "025563 la ma xac nhan OTP MyVNPT cua ban. Vui long nhap ma OTP trong vong 2 phut."
    assert "credential_request" not in kinds(genuine)
    assert "credential_request" in kinds("Tai khoan bi khoa, nhap ma OTP tai vcb-xacthuc.com")
    assert "credential_request" in kinds("Doc cho em ma OTP vua gui ve may nhe")


def test_a_collector_threatening_to_call_relatives_is_a_debt_threat() -> None:
    assert "debt_threat" in kinds(
        "Neu hom nay khong thanh toan chung toi se goi cho toan bo danh ba, dong nghiep cua anh."
    )
    assert "debt_threat" in kinds("Không trả tiền thì bên chị sẽ nhắn tin cho bố mẹ, vợ con em")
    # advice in a warning is not a threat
    assert "debt_threat" not in kinds("Hãy gọi điện cho người thân để xác minh trước khi chuyển")


def test_a_threat_to_call_parents_without_se_is_a_debt_threat() -> None:
    # "không trả thì (bên anh|tao) gọi điện cho bố mẹ" is the threat as much as "sẽ gọi" is
    found = [
        s
        for s in detect(normalize("Hôm nay không trả thì bên anh gọi điện cho bố mẹ em, bóc phốt"))
        if s.kind == "debt_threat"
    ]
    assert [s.evidence for s in found] == [
        "không trả thì bên anh gọi điện cho bố mẹ",
        "bóc phốt",
    ]
    assert "debt_threat" in kinds("Khong tra tien thi tao goi dien cho bo me may")
    assert "debt_threat" not in kinds("Có việc gì thì gọi điện cho bố mẹ nhé con")


def test_moving_to_a_private_chat_is_a_cue() -> None:
    for text in (
        "Muốn kiếm thêm thu nhập thì kết bạn Zalo với chị nhé",
        "Lien he telegram : t.me/abcxyz de nhan code",
        "Kiem 600k moi ngay, tele: hoa123",
        "Tham gia nhom tai zalo.me/g/abcdef de duoc ho tro",
    ):
        assert "private_chat" in kinds(text), text
    for text in (
        # a data plan lists chat apps; ZaloPay's own deep link; a company's Official Account
        "Thoả sức nhắn tin qua Zalo, Viber, lướt web khi soạn V50C gửi 191",
        "Bam de nhan: https://zalo.me/app/link/9auzpq62k1",
        "Quan tâm kênh Zalo Viettel tại https://zalo.me/1570758701534064697",
    ):
        assert "private_chat" not in kinds(text), text


def test_job_lure_reads_a_phone_and_minutes_a_day() -> None:
    assert "job_lure" in kinds("Chỉ cần 1 chiếc điện thoại, rảnh 20-30 phút là có thu nhập")
    assert "job_lure" in kinds("Kiem 6OOk-3OOOk chi can 20 phut moi ngay")
    assert "job_lure" not in kinds("Học sinh chỉ được dùng điện thoại 20 phút mỗi ngày")


def test_masked_words_are_a_cue() -> None:
    # punctuation of two kinds or more (one of them ' " _ ~ …) inside words, or a word spelled out
    assert "masked_text" in kinds("N'ha'nL,jen:Qu.a;HangN,gayy H,ojV'i'enM:oj")
    assert "masked_text" in kinds("tim hieu them t.h.u.o.n.g 188k")
    for text in (
        # a bank's transaction reference, a school notice, a timetable
        "SD TK 1234 -100,000VND luc 20-12-2022. Ref Ecom.EW123.MOMO.ZALOPAY.VNPAY",
        "THPT NCT:Thuc hien chi dao cong van SGD,lanh dao truong de nghi PHHS",
        "T2 S1: Tin+V+AV;C1: CC+SH+H+V+V T3 S1: H+QP+Nghe+Si",
        "Xem chi tiết tại https://a.b-c.d_e.vn/x'y\"z;w",
    ):
        assert "masked_text" not in kinds(text), text


def test_phishing_hosts() -> None:
    assert "sign_in_host" in kinds("Nhan qua tai https://login-onlien.com.vn/ de thuc hien")
    assert "lookalike_domain" in kinds("Dang nhap https://onlinenhbidv.com de xac thuc")
    assert "lookalike_domain" in kinds("Vui long dang nhap www.vcbdiglhtbink.com")
    assert "embedded_domain" in kinds("Nhan qua tai jp.zaloapp.com.660316.castexfc.com nhe")
    assert "random_host" in kinds("Nap dau tang 100%. jOeR5Rv.Gezne.de")
    assert "random_host" in kinds("nhan luon 588k vao vi drwhcP.GeqrE.me")
    for text in (
        "Đăng nhập tại https://login.vietcombank.com.vn",  # official
        # a brand in a place name; capitals that start words or acronyms
        "Xem tại acbnhatrang.com.vn, TuoiTreOnline.vn, VNPay.vn, eBay.com hoặc MoMo.vn",
        "Đọc tin tại vnexpress.net.",
    ):
        found = kinds(text)
        assert not found & {
            "sign_in_host",
            "lookalike_domain",
            "embedded_domain",
            "random_host",
        }, text


def test_a_gift_alone_is_no_prize_lure() -> None:
    # "quà tặng" is what every loyalty notice says; a prize with a fee or a lucky draw is a lure
    assert "prize_lure" not in kinds("Quý khách có quà tặng 30.000đ trên Viettel Money")
    assert "prize_lure" in kinds("Chúc mừng khách hàng may mắn trúng thưởng iPhone 15")


def test_a_cue_does_not_end_inside_a_word() -> None:
    # Real student feedback and comments (UIT-VSFC, ViHSD) that a cue used to cut mid-word:
    # "không cần thi|ết" read as "no exam needed", "cho mấ|y" as "give (the) code".
    assert "premium_or_forgery" not in kinds("em nghĩ môn học không cần thiết ạ !")
    assert "premium_or_forgery" not in kinds("Quá hay cho mấy anh Hàn Quốc")
    assert "premium_or_forgery" not in kinds("Ở nhà cho mát anh à =))")
    assert "policy_claim" not in kinds("UBND xã đính chính: không có khoản thu nào")
    # The cues themselves still fire, and a number may follow a cue's digits.
    assert "premium_or_forgery" in kinds("Bằng đại học không cần thi, nhận làm nhanh")
    assert "premium_or_forgery" in kinds("a gui cho em ma de xac nhan nhe")
    assert "premium_or_forgery" in kinds("Vui lòng gọi 1900545413 để nhận quà")


# Pieces of the cues and the longer words they open ("thi" / "thiết", "mã" / "mấy", "chỉ" /
# "chính"), to be put together in any order.
_PIECES = (
    "không cần", "thi", "thiết", "cho", "mấy", "mã", "mát", "xã", "đính chính", "đình chỉ", "chip",
    "gửi hồ sơ về", "nhà", "nhân viên", "bị", "phạt", "nổ hũ", "nó hút", "gọi", "1900", "nhận làm",
    "giấy tờ", "bằng",
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES), st.text(alphabet="abcdeghiklmnoptuy", min_size=1, max_size=4)
        ),
        max_size=12,
    )
)
def test_no_cue_match_ends_between_two_letters(words: list[str]) -> None:
    text = normalize(" ".join(words))
    for s in detect(text):
        if s.kind in {"masked_text", "random_host"} or s.end >= len(text):
            continue
        assert not (text[s.end - 1].isalpha() and text[s.end].isalpha()), (s.kind, s.evidence)


def test_order_placing_job_lure() -> None:
    # The "staff who place orders" task scam (fake orders for a shop's sales figures).
    assert "job_lure" in kinds("Shop cần tuyển nhân viên chuyên đặt hàng, lương 500k/ngày")
    assert "job_lure" not in kinds("Cảnh báo: không có cửa hàng nào tuyển người đặt hàng hộ")


def test_the_verdicts_of_a_fact_check_are_refutations() -> None:
    for text in (
        "Tin đồn mỗi lần nộp hồ sơ trên Cổng dịch vụ công mất 50 nghìn là sai.",
        "Thông tin VNeID nghe lén người dùng là luận điệu xuyên tạc.",
        "Lời đồn 'sóng 5G gây ung thư' không có cơ sở khoa học.",
        "Chuyện trẻ dưới 14 tuổi phải làm căn cước mới được đi học là tin thất thiệt.",
        "Không có quy định nào bắt hộ gia đình lắp camera nối với công an.",
        "Xã bác tin đồn tổ công nghệ số được giữ mã OTP của dân.",
        "tin nay hoan toan sai, dung hoang mang",
    ):
        assert "refutation" in kinds(text), text
    # "sài" (to use) is not "sai" (wrong) where the text has its diacritics
    assert "refutation" not in kinds("Điện thoại này là sài được lâu")
    assert "warning_context" in kinds(
        "Gọi điện xưng công an đòi chuyển tiền là chiêu lừa quen thuộc."
    )


def test_a_denied_surveillance_claim_is_not_a_claim() -> None:
    assert "data_sale_claim" in kinds("VNeID nghe lén người dùng")
    assert "data_sale_claim" not in kinds("VNeID không nghe lén người dùng")
    assert "data_sale_claim" not in kinds(
        "Công an khẳng định chưa bao giờ đọc tin nhắn Zalo của dân"
    )


def test_a_denial_by_an_authority_refutes_and_dung_is_not_always_dung() -> None:
    assert "refutation" in kinds(
        "Về thông tin phải nộp lệ phí: Công an tỉnh khẳng định việc cấp tài khoản không thu phí."
    )
    # "dụng" of "ứng dụng" / "sử dụng" is not "đừng" (don't), with or without diacritics
    assert "warning_context" not in kinds("Tải ứng dụng chuyển đổi số của tỉnh về máy")
    assert "warning_context" not in kinds("Tien KM su dung truy cap Internet trong 15 ngay")
    assert "warning_context" in kinds("Đừng chuyển tiền cho người lạ")


def test_claims_of_new_kinds_are_cues() -> None:
    """Health scares, data sent abroad, withdrawn resolutions and stated hidden aims (a fresh
    probe's missed distortions, issue 12); each denied or absent where the text says otherwise."""
    assert "health_claim" in kinds("Sạc điện thoại không dây ban đêm phát ra khí độc gây vô sinh.")
    assert "health_claim" in kinds("Đeo đồng hồ thông minh khi ngủ làm tim ngừng đập.")
    assert "health_claim" in kinds("tram 5g dau ngo khien tre con bi chay mau cam")
    assert "health_claim" not in kinds("Sóng 5G không gây ung thư, theo WHO.")
    assert "health_claim" not in kinds("Điện thoại dùng lâu bị nóng máy.")
    assert "data_sale_claim" in kinds(
        "Dữ liệu sinh trắc học đã được chuyển sang máy chủ đặt tại Trung Quốc."
    )
    assert "data_sale_claim" in kinds("du lieu dan cu dang duoc rao ban cong khai tren mang")
    assert "data_sale_claim" not in kinds("Dữ liệu được lưu tại trung tâm dữ liệu quốc gia.")
    assert "hidden_truth" in kinds("Chuyển đổi số chỉ là cái cớ, mục tiêu thật là cắt biên chế.")
    assert "policy_claim" in kinds("Bộ Chính trị đã rút lại Nghị quyết 57 vì không khả thi.")


def test_scam_cues_of_a_fresh_probe() -> None:
    assert "credential_request" in kinds("Kết nối ví và nhập cụm từ khôi phục 12 từ để xác minh.")
    assert "impersonation" in kinds(
        "Alo, tôi gọi từ Chi cục Thuế quận 3, mã số thuế của bà bị sai."
    )
    assert "impersonation" in kinds("Quý khách có giấy triệu tập của tòa án chưa nhận, bấm phím 9.")
    # a carrier's promotion: "gọi 197 bấm phím 19" is no recorded court call
    assert "impersonation" not in kinds("Tặng 20% thẻ nạp. Chi tiết gọi 197 bấm phím 19 (0đ).")
    assert "guaranteed_return" in kinds("Mua gói VIP 3 triệu để nhận 150k/ngày.")
    assert "advance_fee" in kinds("Vui long chuyen 10% phi bao hiem vao stk de duoc giai ngan")
    # "gấp" before an amount is urgent ("chuyển gấp 15 triệu"), before a multiplier it is times
    assert "money_request" in kinds("Mẹ chuyển gấp 15 triệu vào số tài khoản này giúp con.")
    assert "urgency" not in kinds("Doanh thu tăng gấp 3 lần so với năm trước.")
    assert "lookalike_domain" in kinds("Cập nhật thanh toán tại netflix-billing-vn.com trong 24h")
    assert "lookalike_domain" in kinds("Bà vào đường link chicucthue-q3.com để cập nhật.")
    # a genuine code message: "không chia sẻ" is advice
    assert "warning_context" in kinds("Mã OTP của bạn là 7GJ9VI. Vui lòng không chia sẻ cho ai.")


def test_widened_claim_cues_and_their_collisions() -> None:
    # a rule said to start on a date, a service said to shut down, money deducted by itself
    assert "policy_claim" in kinds("tu 1/9 be nao chua co dinh danh muc 2 thi ko duoc vao lop 1")
    assert "policy_claim" in kinds("Cổng Dịch vụ công quốc gia đóng cửa hẳn từ ngày 1/12.")
    assert "policy_claim" in kinds("Kho bạc trích thẳng tiền thuế đất nộp chậm từ ví của dân.")
    assert "data_sale_claim" in kinds("Mọi cuộc gọi qua Zalo đều được ghi âm và lưu trữ 10 năm.")
    # folded collisions: "hoạt động của" is not "đóng cửa", "khai tử" is also a death
    # registration, "sau 5 ngày" is a deadline, not a rule's start
    assert "policy_claim" not in kinds("Xã ban hành quy chế hoạt động của Tổ công nghệ số.")
    assert "policy_claim" not in kinds("Từ tháng 1, người dân có thể đăng ký khai tử trực tuyến.")
    assert "policy_claim" not in kinds("Xã hỗ trợ cài VNeID tại trụ sở, không thu phí.")


def test_the_words_of_a_fact_check_refute() -> None:
    for text in (
        "Kiểm chứng: văn bản bị cắt ghép.",
        "Ảnh chụp công văn đó là giả.",
        "Sự thật: tra cứu trên Cổng Dịch vụ công là miễn phí.",
        "Đang lan truyền: dùng cổng dịch vụ công phải trả tiền.",
        "Tin đồn vừa rồi. Không đúng: hợp đồng điện tử vẫn có giá trị.",
        "ai noi eTax tu tru tien la sai nha, ko co chuyen do dau",
        "Cơ quan thuế không tự động khấu trừ thuế trên tài khoản cá nhân.",
        "Không có cơ chế nào tự trừ tiền trong tài khoản.",
        "Nghị quyết 57 không phải do Quốc hội thông qua như một số bài đăng viết.",
        "Nghị quyết 57 không cho phép thu hồi điện thoại; thông tin này là xuyên tạc.",
    ):
        assert "refutation" in kinds(text), text


def test_telling_and_advice_are_warnings_and_denied_requests_no_requests() -> None:
    for text in (
        "Các bạn sinh viên để ý mấy tin nhắn học bổng nhé.",
        "ae de y nha, co acc zalo gia danh giao vien.",
        "Khi có ai gọi báo người thân bị tai nạn, hãy bình tĩnh gọi lại trực tiếp cho người thân.",
        "Một bác bị gọi điện báo nợ tiền điện, dọa cắt điện.",
    ):
        assert "warning_context" in kinds(text), text
    assert "personal_account" not in kinds(
        "Điện lực không thu qua tài khoản cá nhân của nhân viên."
    )
    assert "personal_account" not in kinds(
        "Bệnh viện không yêu cầu chuyển tiền vào tài khoản cá nhân của bác sĩ."
    )
    assert "personal_account" in kinds(
        "Chuyển ngay vào tài khoản cá nhân của cán bộ để được duyệt."
    )


def test_scam_cues_of_a_second_probe() -> None:
    assert "secrecy_demand" in kinds("Tuyệt đối không được nói với người nhà chuyện này.")
    assert "warning_context" not in kinds("Tuyệt đối không được nói với người nhà chuyện này.")
    # advice to share nothing is a warning, no secrecy demand
    assert "warning_context" in kinds("Tuyệt đối không chia sẻ mã OTP cho bất kỳ ai.")
    assert "credential_request" in kinds("Anh đọc giúp em 16 số trên thẻ và 3 số mặt sau nhé.")
    assert "credential_request" in kinds("Chị đọc lại giúp tôi mã 6 số vừa gửi về máy.")
    assert "money_request" in kinds("Cho tao mượn 3 triệu chuyển vào tk này đi, tối tao trả.")
    assert "personal_account" in kinds("Nộp phí vào tài khoản cán bộ phụ trách để được duyệt.")
    assert "advance_fee" in kinds("Phí hồ sơ chỉ 2 triệu, thanh toán trước để mở hồ sơ.")
    assert "remote_app" in kinds("Chủ hộ cài ứng dụng SoDoDienTu do cán bộ gửi qua Zalo.")
    assert "lookalike_domain" in kinds("Thanh toán phí giao lại tại ghtk-giaolai.com hôm nay.")
    # "lệ phí trước bạ" is a real tax, not a fee paid first
    assert "fee_for_benefit" not in kinds("eTax Mobile hỗ trợ nộp lệ phí trước bạ qua ngân hàng.")
    # "hồ sơ" is no "sở" (a department) in a rule
    assert "policy_claim" not in kinds("Hồ sơ nộp online bị trả về ba lần mà không ghi lý do.")


def test_distortion_cues_of_a_second_probe() -> None:
    assert "data_sale_claim" in kinds(
        "Dữ liệu dân cư đang được đồng bộ sang máy chủ của một đối tác nước ngoài."
    )
    assert "data_sale_claim" in kinds(
        "Ảnh khuôn mặt được chuyển thẳng sang máy chủ đặt ở nước ngoài."
    )
    assert "data_sale_claim" in kinds("Hacker đã lấy toàn bộ hơn 100 triệu hồ sơ dân cư.")
    assert "health_claim" in kinds("song wifi voi 5G lam sua me bi bien chat, be bi tieu chay")
    assert "health_claim" in kinds("Máy quét khuôn mặt dùng tia laser gây tổn thương võng mạc.")
    assert "policy_claim" in kinds("Từ 1/7 này, giấy phép lái xe bằng giấy hết giá trị.")
    assert "policy_claim" in kinds(
        "Theo Nghị quyết 57, cán bộ phải trích một tháng lương mỗi năm cho quỹ."
    )


def test_an_account_named_after_a_person() -> None:
    """A payment into an account that carries a person's name is a personal-account cue, in any
    case and with or without diacritics; a company's account, a negated request and a name
    without a payment are not."""
    kinds = lambda text: {s.kind for s in detect(normalize(text))}  # noqa: E731
    assert "personal_account" in kinds("Hội viên chuyển 300.000đ vào tài khoản Trần Văn Bình.")
    assert "personal_account" in kinds("STK: 1903 4567 8910 - PHAM THI LAN - Techcombank")
    assert "personal_account" in kinds("chuyen khoan vao tai khoan Nguyen Thi Hoa nhe")
    assert "personal_account" not in kinds("Chuyển khoản vào tài khoản Công ty TNHH An Phát.")
    assert "personal_account" not in kinds("Không chuyển tiền vào tài khoản Lê Văn Tám nào cả.")
    assert "personal_account" not in kinds("Ông Nguyễn Văn An phát biểu khai mạc hội nghị.")


def test_verdicts_and_retold_scams() -> None:
    for text in (
        "Thông tin này sai.",
        '"CCCD cũ hết hạn 31/12" — Sai. CCCD còn hạn vẫn dùng được.',
        "Sai nhé bác, thẻ cũ vẫn dùng được.",
        "Đáp: Không. Nghị quyết do Bộ Chính trị ban hành.",
    ):
        assert "refutation" in kinds(text), text
    assert "refutation" not in kinds("Khai sai thông tin sẽ bị trả hồ sơ.")
    for text in (
        "Có người tự xưng cán bộ thuế gọi điện cho cô giáo.",
        "Em họ mình ban đầu làm nhiệm vụ thả tim được trả 50k.",
        "Không có ví, sàn hay đội hỗ trợ nào cần bạn nhập 12 từ khôi phục.",
        "Đó là trang giả, dựng để lấy mật khẩu.",
        "Ai nhận được tin trúng thưởng thì xóa luôn nhé.",
    ):
        assert "warning_context" in kinds(text), text


def test_a_third_probes_warnings_and_denials() -> None:
    for text in (
        "Hàng xóm nhà mình nhận được tin nhắn báo trúng thưởng iPhone.",
        "Chị H. kể, ban đầu chị được mời vào nhóm Telegram làm nhiệm vụ.",
        "Em gái mình được mời làm CTV đánh giá khách sạn.",
        "Vừa có đứa gọi cho mình, xưng là bên cơ quan thuế.",
        "Mình dán nguyên văn để mọi người nhận diện.",
        "Cách kiểm tra đơn giản: đọc tên miền từ phải sang trái.",
    ):
        assert "warning_context" in kinds(text), text
    # the name "Nguyễn Văn" is no "nguyên văn" (verbatim)
    assert "warning_context" not in kinds("Chuyển vào STK 0071003 (Nguyen Van Duc) ghi rõ họ tên.")
    for text in (
        "Thấy trên TikTok nói vậy. Không đúng đâu nhé.",
        "Nghị quyết 57 không hề bị hủy bỏ.",
        "VssID miễn phí, không có chủ trương thu phí.",
        "Nghị quyết không có nội dung nào thu tiền của dân.",
    ):
        assert "refutation" in kinds(text), text
    assert "credential_request" not in kinds(
        "MB KHONG BAO GIO yeu cau Quy khach cung cap mat khau hay ma OTP."
    )


def test_a_sentence_the_next_one_says_was_heard_is_reported() -> None:
    from nlp.claims import unasked

    text = normalize(
        "Từ năm sau ai rút tiền mặt trên 5 triệu một ngày là bị cấm. Mình đọc được câu này trong"
        " nhóm Zalo gia đình sáng nay."
    )
    assert not [s for s in unasked(detect(text), text) if s.kind == "policy_claim"]
    said = normalize("Từ năm sau ai rút tiền mặt trên 5 triệu một ngày là bị cấm. Chia sẻ ngay.")
    assert [s for s in unasked(detect(said), said) if s.kind == "policy_claim"]


def test_claim_cues_of_the_last_dev_round() -> None:
    assert "health_claim" in kinds(
        "Trạm 5G mới dựng ở đầu ngõ là nguyên nhân khiến ba cụ già trong xóm bị đột quỵ."
    )
    assert "data_sale_claim" in kinds(
        "Dữ liệu khuôn mặt đang được bán lại cho một công ty quảng cáo nước ngoài."
    )
    assert "data_sale_claim" in kinds(
        "Cơ sở dữ liệu dân cư đã được chuyển sang máy chủ đặt ở Singapore."
    )
    assert "data_sale_claim" in kinds("Cổng dịch vụ công đã bị hacker nước ngoài chiếm quyền.")
    assert "data_sale_claim" in kinds("VNeID ngầm đọc tin nhắn Zalo trong máy của bạn.")
    assert "policy_claim" in kinds(
        "Người dân phải nộp phí quét chip 30.000 đồng theo thông tư mới."
    )
    assert "policy_claim" in kinds("tu thang 10 ai ko xac thuc la bi nha mang cat sim")
    assert "policy_claim" in kinds(
        "Bộ Công an quyết định khóa vĩnh viễn tài khoản không đăng nhập."
    )


def test_a_number_does_not_end_a_rule_or_its_denial() -> None:
    assert "policy_claim" in kinds("Người dân phải nộp 30.000 đồng theo thông tư mới.")
    assert "refutation" in kinds(
        'Không có khoản đóng góp bắt buộc 200.000 đồng/hộ cho "Quỹ chuyển đổi số" nào.'
    )


def test_scam_cues_of_a_fourth_probe() -> None:
    assert "remote_app" in kinds("Anh cài ứng dụng UltraViewer rồi đọc cho em mã kết nối nhé")
    assert "remote_app" in kinds("Chị tải ứng dụng AnyDesk về máy giúp em")
    assert "credential_request" in kinds("Em chụp gửi anh ảnh 2 mặt CCCD qua zalo nhé")
    assert "credential_request" in kinds("Gửi kèm ảnh chân dung cầm CCCD để xét duyệt")
    assert "credential_request" in kinds(
        "Quý khách trả lời tin nhắn này kèm mã OTP để hoàn tất nâng cấp eSIM"
    )
    assert "credential_request" in kinds("đọc giúp em số seri in trên phôi SIM")
    assert "credential_request" in kinds("Cần người cho thuê tài khoản ngân hàng, 2 triệu/tháng")
    assert "credential_request" in kinds("Anh vừa nhận mã rồi đúng không, đọc cho em mã đó nhé")
    assert "credential_request" in kinds("nhan ma OTP cho so 0988123456 de nhan thuong")
    assert "credential_request" not in kinds("Quý khách sẽ nhận mã OTP về số điện thoại đăng ký")
    assert "free_hosting" in kinds("Nhận quà tại quatang-tet.netlify.app/nhan")
    assert "free_hosting" not in kinds("Đăng ký tại https://forms.gle/abc123")


def test_warnings_and_corrections_of_a_fourth_probe() -> None:
    for text in (
        "Lại thêm chiêu lừa mới: gọi điện báo trúng thưởng",
        "mẹ em vừa bị gọi tự xưng bên điện lực",
        "Ngân hàng khẳng định đây không phải tin nhắn của ngân hàng",
        "Tin nhắn đó không phải của nhà mạng đâu",
        "ae nhớ cẩn thận nha",
        "Bạn em suýt mất tiền vì link này",
    ):
        assert "warning_context" in kinds(text), text
    for text in (
        "Chuyện nộp phí VNeID là thêu dệt",
        "Thực ra hoàn toàn ngược lại: dữ liệu được bảo vệ",
        "bác hiểu nhầm rồi, quy định đó chỉ áp dụng cho doanh nghiệp",
        "làm gì có quy định phạt người không cài app",
        "ko co dau ba con oi",
        "Đừng nghe mấy trang tin đồn",
    ):
        assert "refutation" in kinds(text), text


def test_claim_cues_of_a_fourth_probe() -> None:
    assert "health_claim" in kinds("Sóng 5G sẽ kích hoạt chip trong cơ thể người đã tiêm")
    assert "health_claim" in kinds("Vaccine có gắn vi mạch để theo dõi người tiêm")
    assert "data_sale_claim" in kinds("Ứng dụng này tự động đọc danh bạ và tin nhắn của bạn")
    assert "data_sale_claim" in kinds("Camera có thể tự bật micro để nghe lén cả nhà")
    assert "data_sale_claim" in kinds(
        "Hồ sơ bệnh án đã được lưu trên máy chủ đám mây của một công ty Trung Quốc"
    )
    assert "policy_claim" in kinds(
        "Theo chỉ thị mới, giáo viên phải tự bỏ tiền mua phần mềm soạn giáo án"
    )
    assert "policy_claim" in kinds("Bộ Tài chính sẽ thu thuế mọi khoản chuyển khoản trên 5 triệu")
    assert "policy_claim" in kinds("Đề án sẽ thay thế nửa số nhân viên bưu điện bằng robot")
    assert "policy_claim" in kinds("Ngân hàng Nhà nước ngừng lưu hành tiền mệnh giá 500 đồng")
    assert "policy_claim" in kinds("Cửa hàng không xuất hóa đơn trước 30/6 sẽ bị thu hồi giấy phép")


def test_a_rejected_homograph_does_not_hide_the_cue_after_it() -> None:
    # "cảm" (feel) is not "cấm" (ban): its match is dropped, and the rule that overlaps it is found
    assert "policy_claim" in kinds(
        "Xã đã lắp cảm biến ở cổng chợ, từ tháng sau ai không quét mã sẽ bị từ chối vào chợ."
    )
    # "ứng dụng" is not "đừng": the request after it is no denied request
    assert "remote_app" in kinds("Bạn cài ứng dụng TeamViewer giúp mình")


def test_cues_of_a_fifth_probe() -> None:
    assert "pay_at_link" in kinds("Hải quan: thanh toán thuế 320.000đ tại haiquan-vn.info để nhận")
    assert "pay_at_link" in kinds("Vui long xac thuc tai vneid-capnhat.com truoc 24h")
    assert "pay_at_link" not in kinds("Quý khách thanh toán tại https://www.evn.com.vn")
    assert "pay_at_link" not in kinds("Thanh toán tại TP.HCM hoặc tại quầy")
    assert "money_request" not in kinds("app bắt xác thực mỗi lần chuyển trên 10 triệu")
    assert "money_request" in kinds("Chuyển ngay 2.500.000đ để giữ chỗ")
    assert "health_claim" in kinds("Cột 4G đầu ngõ phát xạ cao gấp 50 lần ngưỡng an toàn")
    assert "health_claim" in kinds("song 5g lam giam tieu cau o tre nho")
    assert "data_sale_claim" in kinds("Hệ thống này do một công ty Trung Quốc quản lý toàn bộ")
    assert "data_sale_claim" in kinds("ai từ chối quét võng mạc sẽ bị đưa vào danh sách theo dõi")
    assert "data_sale_claim" not in kinds("Ủy ban nhân dân tỉnh cho biết hệ thống đang bảo trì")
    assert "data_sale_claim" not in kinds("vẫn phải nộp bản giấy, cán bộ bảo hệ thống lỗi")
    assert "policy_claim" in kinds("Bộ Y tế vừa cấm khám bệnh từ xa, vi phạm bị tước chứng chỉ")
    assert "policy_claim" in kinds(
        "Kể từ năm học tới, giáo viên không có chứng chỉ AI sẽ không được đứng lớp"
    )
    assert "policy_claim" not in kinds("Tôi ra xã làm giấy tờ mà vẫn phải nộp bản giấy")
    assert "policy_claim" not in kinds("chính quyền quản lý xử phạt yếu kém nên xã thải lộng hành")
    assert "policy_claim" not in kinds("điện lực nói không bao giờ thu tiền qua số cá nhân")
    for text in (
        "Họ bảo tôi đóng 2 triệu phí hồ sơ, tới lúc đó tôi mới hiểu ra",
        "ai nhan dc tin nhan bao cat dien thi dung goi lai",
        "Phụ huynh nhận được tin nhắn đề nghị nộp 300.000đ “phí xét tuyển” hãy báo trường",
        "việc thật thì không ai thu tiền ứng viên cả",
    ):
        assert "warning_context" in kinds(text), text
    assert "refutation" in kinds("dung tin may cai post do, truong van nhan ho so")
    assert "refutation" in kinds("Trường không thu bất kỳ khoản phí tuyển sinh nào qua mạng")


def test_cues_of_a_sixth_probe() -> None:
    assert "credential_request" in kinds(
        "Xác nhận số tài khoản và mã OTP qua tổng đài viên để nhận tiền hỗ trợ"
    )
    assert "credential_request" not in kinds(
        "Quét mã QR trả tiền gửi xe, thông tin tài khoản an toàn"
    )
    assert "not_you_link" in kinds("Neu khong phai ban, huy ngay tai mb-huy.com de tranh mat tien")
    assert "data_sale_claim" in kinds(
        "Họ thu dữ liệu khuôn mặt khách rồi bán cho các chuỗi cửa hàng"
    )
    assert "data_sale_claim" in kinds(
        "Họ chia sẻ toàn bộ dữ liệu người dùng với một tập đoàn nước ngoài"
    )
    assert "data_sale_claim" in kinds(
        "Camera ghi âm được cả cuộc nói chuyện, truyền thẳng về an ninh"
    )
    assert "health_claim" in kinds("Trạm 6G thử nghiệm khiến gà trong xóm chết hàng loạt")
    assert "health_claim" in kinds("Sóng 5G mạnh gấp 10 lần, đó là lý do nhiều người mất ngủ")
    assert "policy_claim" in kinds("Lớp tin học ở phường là bắt buộc, ai vắng bị cắt trợ cấp")
    assert "policy_claim" in kinds(
        "Sau hạn đó số dư sẽ được chuyển vào kho bạc nhà nước theo quy định"
    )
    assert "policy_claim" not in kinds(
        "Thẻ cấp trước ngày 1/7 vẫn dùng được, không bắt buộc phải đổi"
    )
    assert "fabricated_obligation" in kinds(
        "Tất cả cán bộ xã phải thi tin học, ai trượt sẽ bị chấm dứt hợp đồng"
    )
    for text in (
        "Hôm nay lại có \u201cngân hàng\u201d nhắn tin bảo tôi cập nhật",
        "hắn xưng là cán bộ thuế",
        "ae đừng làm theo nhé",
        "Chồng tôi bị gọi mấy lần",
    ):
        assert "warning_context" in kinds(text), text
    for text in (
        "chẳng có lệnh cấm nào hết",
        "Thông tin đó ngược hẳn với thực tế",
        "không ai phải làm lại cả",
        "chương trình này không hề tồn tại",
        "Phường khẳng định các lớp đều miễn phí",
    ):
        assert "refutation" in kinds(text), text


def test_cues_of_a_seventh_probe() -> None:
    assert "credential_request" in kinds("Hệ thống lỗi nên bạn đọc giúp mình mã OTP vừa nhận nhé")
    assert "credential_request" not in kinds(
        "Bạn đọc hỏi: nộp thuế online thì tài khoản ngân hàng có bị phong tỏa?"
    )
    assert "data_sale_claim" not in kinds("Bảng tính này là dữ liệu của một chuỗi bán lẻ")
    assert "policy_claim" not in kinds("Muốn đổi mục đích sử dụng đất thì phải có quyết định")
    for text in (
        "ban t mat 40 cu roi do",
        "Chồng tôi nộp 500 nghìn xong mới tỉnh",
        "App vay mà bắt đóng phí trước là có vấn đề",
    ):
        assert "warning_context" in kinds(text), text
    for text in (
        "KHÔNG PHẢI từ tháng 8 người bán hàng online phải có giấy phép.",
        "Kiểm tra cho thấy bức ảnh được cắt từ một bài cũ",
        "Hỏi cán bộ xã thì được giải thích là không bắt buộc",
        "con so nay lay tu dau vay?",
        "Mình tìm không thấy báo cáo nào như vậy",
        "Không có cơ chế tự động trừ tiền phạt",
    ):
        assert "refutation" in kinds(text), text
    assert "refutation" not in kinds("Không phải ai cũng biết dùng ứng dụng này")


def test_claim_cues_of_an_eighth_probe() -> None:
    for text in (
        "Dữ liệu vân tay đã được chuyển cho một công ty nước ngoài xử lý",
        "Toàn bộ dữ liệu đang bán trên mạng với giá rẻ",
        "Mọi tin nhắn đang được sao lưu ra máy chủ nước ngoài",
        "Luật mới cho phép nhà mạng bán số điện thoại của thuê bao cho doanh nghiệp quảng cáo",
        "Ứng dụng bắt người dùng cho phép công ty đọc danh bạ",
        "Camera gắn micro ghi lại cả cuộc nói chuyện của người đi đường",
        "Nhà nước giao cho một tập đoàn nước ngoài quản lý trung tâm dữ liệu",
        "Thẻ mới có gắn bộ định vị để theo dõi vị trí",
        "Thiết bị mạng nhập khẩu có cài sẵn cửa hậu",
        "Hồ sơ sức khỏe đang được các công ty bảo hiểm mua lại",
    ):
        assert "data_sale_claim" in kinds(text), text
    assert "hidden_truth" in kinds("Đây là điều kiện ngầm mà hội đồng đã thống nhất")
    assert "policy_claim" in kinds("Kể từ đầu tháng này mã QR đều bị ngân hàng thu phí 1%")
    assert "policy_claim" in kinds("Bộ Công an đang chuẩn bị gỡ ứng dụng khỏi kho tải")
    assert "warning_context" not in kinds("so tai khoan bi gui sang de phong toa")


def test_pay_at_link_reads_each_link_where_it_starts() -> None:
    """Every "thanh toán tại <link>" of a long text is read against the link that starts there
    (the links are found once per text: bench figures in the issue note, 100,000 characters of
    the phrase in 0.2 s)."""
    text = normalize("Thanh toán tại TP.HCM. " * 50 + "Thanh toán tại phat-nguoi.xyz ngay.")
    found = [s for s in detect(text) if s.kind == "pay_at_link"]
    assert [s.evidence for s in found] == ["Thanh toán tại phat-nguoi.xyz"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 50), st.integers(1, 20)), max_size=8),
    st.integers(0, 600),
)
def test_inside_links_by_bisection_is_the_linear_scan(
    gaps: list[tuple[int, int]], pos: int
) -> None:
    from nlp.signals import _in_links

    links, at = [], 0
    for gap, length in gaps:  # links in order, not overlapping, as nlp.text.urls gives them
        links.append((at + gap, at + gap + length, "x.vn"))
        at += gap + length
    assert _in_links(links)(pos) == any(a <= pos < b for a, b, _ in links)


def test_hostile_runs_are_read_in_one_pass() -> None:
    """Runs a hostile-input hunt found quadratic (digits, dotted numbers, one host of thousands of
    labels): they give no signal, and real hosts are still found where their token starts."""
    from nlp.links import host_of
    from nlp.text import urls

    assert detect(normalize("1.0" * 3000)) == []
    assert host_of("a." * 200 + "com") == ""
    assert [u for _, _, u in urls("Vào shop.abc.com.vn hoặc tại:bit.ly/x nhé")] == [
        "shop.abc.com.vn",
        "bit.ly/x",
    ]


# Cues for the devices fresh probes showed missed (issue 12), each in words of our own, and the
# collisions avoided while writing them: (text, kind, whether the cue is found).
DEVICES = [
    ("Dữ liệu sẽ tự động được chia sẻ cho ngân hàng và công ty bảo hiểm.", "data_sale_claim", True),
    ("Cài app là đã cấp quyền cho công an đọc toàn bộ tin nhắn.", "data_sale_claim", True),
    ("Mình viết bài này mong ai đọc được thì tránh.", "warning_context", True),
    ("Để tránh bị khóa tài khoản, quý khách cập nhật ngay.", "warning_context", False),
    # revenue is no collection; a village official's "làm gì có chuyện đó"; a fake "acc" (probe H)
    ("Doanh nghiệp không phải nộp 2% doanh thu vào quỹ của tỉnh.", "policy_claim", False),
    ("Chị cán bộ bảo làm gì có chuyện đó, lớp học miễn phí.", "refutation", True),
    ("Không ai được phép yêu cầu các chị nhập mã OTP.", "refutation", True),
    ("hqua e bi 1 acc fb gia chi ho nhan muon 3tr", "warning_context", True),
    ("Trúng thưởng mà phải nộp tiền trước là lừa.", "warning_context", True),
    ("Năm nay nhà tôi được mùa, toàn là lúa tốt.", "warning_context", False),
    # a contribution said to be owed, data sold to "1 cty", a device said to listen in (probe F)
    ("Theo nghị quyết mỗi hộ phải góp 500 nghìn vào quỹ.", "policy_claim", True),
    ("du lieu cccd da dc ban cho 1 cty nuoc ngoai roi", "data_sale_claim", True),
    ("Công tơ mới gắn micro, ghi âm được trong nhà.", "data_sale_claim", True),
    ("Hình ảnh được gửi về trung tâm dữ liệu của công an tỉnh.", "data_sale_claim", True),
    ("Hội trường xã được trang bị loa và micro mới.", "data_sale_claim", False),
    # a call or a text told of, a service that never asks, a denial of a notice (probe G / F)
    ("Vừa có số lạ gọi bảo cháu đang cấp cứu, cần chuyển gấp.", "warning_context", True),
    ("có đứa lập nick zalo giả cô chủ nhiệm nhắn bảo chuyển 2tr", "warning_context", True),
    ("Điện lực không bao giờ bảo kết bạn Zalo để đóng tiền.", "warning_context", True),
    ("Ở bước đầu, nạn nhân chỉ cần thả tim và chụp màn hình.", "warning_context", True),
    ("Mua gói cước giá rẻ qua Zalo giá tốt.", "warning_context", False),
    # a call told of with its caller's claim, relatives' near misses, the fraudsters as "chúng",
    # advice to whoever already paid (probe I)
    ("Bố mình (63 tuổi) nhận cuộc gọi “nhà mạng” báo sim chưa chuẩn hóa.", "warning_context", True),
    ("Chiều qua mình nhận cuộc gọi số lạ, bảo đọc mã OTP.", "warning_context", True),
    ("Đầu dây bên kia xưng nhân viên ngân hàng, bảo đọc mã.", "warning_context", True),
    ("Xung quanh nhà văn hóa có wifi miễn phí.", "warning_context", False),
    ("Cháu gái mình học lớp 11 suýt dính vụ việc nhẹ lương cao.", "warning_context", True),
    ("Chúng giả làm kỹ thuật viên, đề nghị cài app rồi đọc mã.", "warning_context", True),
    ("Cả xã chung tay giúp người già cài VNeID.", "warning_context", False),
    ("Chúng tôi đề nghị quý khách cập nhật thông tin tại link.", "warning_context", False),
    ("Chia sẻ để ai gặp thì biết mà tránh.", "warning_context", True),
    ("Bạn nào đã nộp tiền, liên hệ văn phòng Đoàn.", "warning_context", True),
    ("Không có học bổng chính thức nào thu phí xét duyệt.", "warning_context", True),
    ("Chị tuyệt đối không được nói chuyện này với chồng con.", "warning_context", False),
    ("Tuyệt đối không nói mã OTP cho bất kỳ ai.", "warning_context", True),
    # probe K: card data and a password asked for, a prize's tax first, per-day returns, a coin
    # "sold in its first round", data sent to a server abroad, an injury named by the organ, a
    # resolution "sửa lén", fines by whoever imposes them, "bước" (a step) and words typed
    # unmarked in a marked sentence ("máu cam", "vùng xa"), corrections
    ("Các bác không rành điện thoại cứ gửi vào nhóm ảnh 2 mặt CCCD.", "credential_request", True),
    ("Chỉ cần điền số thẻ ngân hàng, ngày hết hạn và mã CVV.", "credential_request", True),
    ("chi can anh cccd 2 mat + mat khau vneid cu, phi 150k", "credential_request", True),
    ("Điện thoại của bác cần cập nhật hệ điều hành.", "credential_request", False),
    ("Người nhận giải phải nộp trước thuế thu nhập 10% vào tài khoản.", "fee_for_benefit", True),
    ("Dự án cam kết lợi nhuận cố định 1,8%/ngày.", "guaranteed_return", True),
    (
        "Đồng coin chỉ bán đợt đầu giá 1.000đ, dự kiến lên 50.000đ khi niêm yết.",
        "guaranteed_return",
        True,
    ),
    ("App âm thầm gửi toàn bộ danh bạ về một máy chủ đặt ở nước ngoài.", "data_sale_claim", True),
    ("Dữ liệu được sao lưu về máy chủ đặt tại Hà Nội.", "data_sale_claim", False),
    ("Sóng 5G làm tổn thương niêm mạc mũi ở trẻ nhỏ.", "health_claim", True),
    ("Mục tiêu PII đã bị sửa lén thành top 30.", "insider_claim", True),
    ("Không dùng thư điện tử cá nhân để trao đổi tài liệu nội bộ.", "insider_claim", False),
    ("Hàng không có mã sẽ bị đội quản lý thị trường tịch thu.", "rule_statement", True),
    ("len xa lam thu tuc, ve nha lam thi loi o buoc tai anh", "policy_claim", False),
    ("Trẻ con chảy máu cam liên tục mấy hôm nay.", "rule_statement", False),
    ("Ở vùng sâu vùng xa phải có điểm rút tiền gần dân.", "policy_claim", False),
    ("tu 1/7 cam xe may vao noi do", "rule_statement", True),
    ("Đừng có tin mấy cái “dự án góp vốn” đó.", "refutation", True),
    ("Anh này đăng tải nội dung sai sự thật về nghị quyết.", "refutation", True),
    ("Đối chiếu văn bản chính thức: mục tiêu vẫn là top 10.", "refutation", True),
    ("UBND xã khẳng định không tổ chức lớp thu phí nào.", "refutation", True),
    ("Bộ Y tế chưa từng ban hành văn bản nào nói wifi hại trẻ.", "refutation", True),
    ("Không có cái phụ lục thu phí 50.000đ nào trong Nghị quyết 06 đâu.", "refutation", True),
    ("Bộ Y tế ban hành văn bản hướng dẫn dùng thiết bị số.", "refutation", False),
    # probe M: a rumour passed on as heard, a document said to "ghi rõ" something, cameras said to
    # pick out critics, paper documents "không còn giá trị", an ID photographed for the caller, a
    # code read out, a password made ready for the visitor, a police rank given by a caller, a
    # mix-up named as one; and what they must not catch
    ("nghe bảo tháng sau xã thu hồi hết thẻ bảo hiểm giấy", "hearsay", True),
    ("nghe ông tổ trưởng nói là sắp phải đóng tiền mạng", "hearsay", True),
    ("Em nghe rõ rồi, cảm ơn chị.", "hearsay", False),
    ("Đề án nói rõ ai không cài app sẽ bị cắt trợ cấp.", "document_content", True),
    (
        "Nghị quyết 57 nêu rõ: khoa học, công nghệ là đột phá quan trọng hàng đầu.",
        "document_content",
        True,
    ),
    ("Cô giáo ghi rõ họ tên lên bảng.", "document_content", False),
    ("Camera ở ngã tư nhận diện được người bình luận tiêu cực trên mạng.", "data_sale_claim", True),
    ("Phần mềm sẽ lọc ra những ai chê bai chính quyền.", "data_sale_claim", True),
    ("Camera nhận diện biển số xe vi phạm.", "data_sale_claim", False),
    ("Giấy khai sinh bản giấy từ năm sau không còn giá trị.", "rule_statement", True),
    ("Tỉnh sẽ thu lại toàn bộ thẻ bảo hiểm y tế giấy.", "policy_claim", True),
    ("Cổng dịch vụ công lỗi, tôi mất hết dữ liệu đã nhập.", "policy_claim", False),
    ("Cổng dịch vụ công lỗi nên tôi phải làm lại từ đầu.", "policy_claim", False),
    ("Nếu có phải nộp thêm giấy tờ gì thì xã nên thông báo sớm.", "policy_claim", False),
    ("Bác chụp cho cháu 2 mặt căn cước rồi gửi qua đây nhé.", "credential_request", True),
    ("Máy báo mã xác nhận thì bác đọc lại cho cháu.", "credential_request", True),
    ("Mã bài hát này đọc cho em nghe với.", "credential_request", False),
    ("Bác chuẩn bị sẵn mật khẩu ngân hàng để cháu cài giúp.", "credential_request", True),
    ("Bác chuẩn bị căn cước gốc khi ra xã làm thủ tục.", "credential_request", False),
    ("Alo, tôi là Thiếu tá công an quận, anh đang liên quan một vụ án.", "impersonation", True),
    ("Tỉnh chi 2.000 tỷ đồng phát máy tính bảng cho mọi hộ.", "figure_claim", True),
    ("Nhà đầu tư rót 3 tỷ USD xây trung tâm dữ liệu.", "figure_claim", True),
    ("Việt Nam đứng thứ 2 thế giới về chính phủ số.", "figure_claim", True),
    ("Tỷ lệ hồ sơ trực tuyến đạt 80%.", "figure_claim", False),
    ("Đó là sự nhầm lẫn giữa hai văn bản.", "refutation", True),
    ("Nghị quyết không có nội dung thu hồi đất của dân.", "refutation", True),
    # claims: a cover-up told as fact, a rule without its issuer, a freeze of everyone's wallets,
    # an illness said to come from a technology, data pushed abroad (a denial is none)
    ("Kết quả đo đạc đã bị ém, không cho công bố ra ngoài.", "insider_claim", True),
    ("Thông tư này được giữ kín, chỉ phổ biến miệng cho cán bộ.", "insider_claim", True),
    ("Tỉnh vừa âm thầm sửa đề án, báo chí được lệnh không đưa tin.", "insider_claim", True),
    ("Sở cho biết không có thỏa thuận chia sẻ dữ liệu nào như vậy.", "refutation", True),
    ("ai ko co tk dinh danh la k dc mua ve tau nua", "rule_statement", True),
    ("Cổng dịch vụ công không thu phí khi nộp hồ sơ.", "rule_statement", False),
    ("Nhà nước sắp đóng băng toàn bộ ví điện tử từ ngày 1/9.", "policy_claim", True),
    ("Gà chết hàng loạt từ khi có trạm phát sóng 5G đầu làng.", "health_claim", True),
    ("Trạm phát sóng 5G đầu làng đã phủ sóng cả xã.", "health_claim", False),
    (
        "Ảnh khuôn mặt khách hàng được đẩy sang máy chủ đặt tại Thâm Quyến mỗi ngày.",
        "data_sale_claim",
        True,
    ),
    ("Trạm quan trắc đó thực ra là để nghe lén cả xóm.", "hidden_truth", True),
    ("Vệ tinh này thu hết tin nhắn Zalo của toàn dân.", "data_sale_claim", True),
    ("Vệ tinh không có thiết bị thu tin nhắn nào.", "data_sale_claim", False),
    # scams: a receipt of one's own top-up is none; a code read out after it is named, the
    # accessibility switch, an app from the caller's link, deposits "refunded later", fees for a
    # job, monthly returns (a savings rate is none), crypto, "1tr5"
    ("Ban vua nap thanh cong 300.000d vao vi tu tai khoan *1234.", "money_request", False),
    ("Ban nap 300.000d vao tai khoan nay de kich hoat qua.", "money_request", True),
    ("Máy hiện một dãy số, chị đọc cho em để em xác nhận.", "credential_request", True),
    ("Anh vào cài đặt, bật quyền trợ năng cho ứng dụng là xong.", "remote_app", True),
    ("Chị tải giúp em ứng dụng qua đường link em gửi nhé.", "remote_app", True),
    ("Đặt cọc 300k giữ chỗ (hoàn lại sau khóa học).", "fee_for_benefit", True),
    ("Ứng viên cần mua bộ tài liệu 450.000đ trước khi nhận việc.", "fee_for_benefit", True),
    ("Góp vốn từ 5 triệu, lợi nhuận cam kết 15%/tháng.", "guaranteed_return", True),
    ("Lãi suất tiết kiệm 0,4%/tháng cho kỳ hạn 6 tháng.", "guaranteed_return", False),
    ("Chuyển USDT vào ví bên dưới để nhận token.", "money_request", True),
    ("phi 1tr5 chuyen khoan truoc nha", "money_request", True),
    # warnings and refutations: a fraudster's demand in the third person, an institution's "không
    # yêu cầu", "là GIẢ nha", a notice denying a programme; "hộ đủ" and "giá rẻ" are none
    ("Họ bắt chuyển phí trước bạ rồi mới giao xe.", "warning_context", True),
    ("Ngành nước không yêu cầu khách hàng chuyển khoản qua Zalo.", "warning_context", True),
    ("Ai trong nhóm nhận tin nhắn kiểu này thì xóa luôn.", "warning_context", True),
    ("Kẻ gian đang gửi tin nhắn báo trúng thưởng kèm đường link.", "warning_context", True),
    ("tin nhan do la GIA nha mn, dung bam", "warning_context", True),
    ("Bệnh viện không có chương trình nào như vậy.", "refutation", True),
    ("Hộ đủ điều kiện nhận hỗ trợ theo danh sách của xã.", "warning_context", False),
    ("Gói cước cuộc gọi giá rẻ cho sinh viên.", "warning_context", False),
]


@pytest.mark.parametrize(("text", "kind", "present"), DEVICES)
def test_devices_of_fabricated_claims_scams_and_warnings(
    text: str, kind: str, present: bool
) -> None:
    assert (kind in kinds(text)) is present


def test_a_lookalike_names_the_brand_it_carries() -> None:
    """The reviewer reads which brand a look-alike host carries ("vneid"), not only the
    official record it belongs to (gov.vn)."""
    text = "Cập nhật ngay tại https://vneid-capnhat.online để tránh bị khóa."
    found = [s for s in detect(text) if s.kind == "lookalike_domain"]
    assert len(found) == 1
    assert "“vneid”" in found[0].message
    assert "gov.vn" in found[0].message


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("Truy cập vcb-xacthuc . com để xác thực tài khoản", "vcb-xacthuc.com"),
        ("Vao vcb-xacthuc[.]com ngay de nhan qua", "vcb-xacthuc.com"),
        ("Vào vietcombank-hotro chấm com để hoàn tiền", "vietcombank-hotro.com"),
        ("vao vcb-xacthuc / com de mo khoa", "vcb-xacthuc.com"),
    ],
)
def test_links_written_apart_are_read_as_links(text: str, host: str) -> None:
    from nlp.text import urls

    assert [url for _, _, url in urls(normalize(text))] == [host]
    found = [s for s in detect(normalize(text)) if s.kind == "lookalike_domain"]
    assert found, text
    for s in found:  # the evidence is what the text says, where it says it
        assert normalize(text)[s.start : s.end] == s.evidence


def test_hosts_with_letters_of_another_script_are_look_alikes() -> None:
    # a Cyrillic "і" in viettel.vn, fullwidth "ｖｃｂ": IDN homographs of official domains
    for text in ("Quý khách vào vіettel.vn để nhận quà", "Vào ｖｃｂ.com.vn nhận thưởng"):
        signals = [s for s in detect(normalize(text)) if s.kind == "lookalike_domain"]
        assert signals, text
        assert "official_link" not in kinds(text)
    # the real ones stay official
    assert "official_link" in kinds("Quý khách vào viettel.vn để tra cứu")


def test_words_and_sentence_ends_are_not_links_written_apart() -> None:
    from nlp.text import urls

    for text in ("diem cham co van de", "video cham top 1", "Hôm nay trời đẹp . Com chào", "a . b"):
        assert urls(text) == [], text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab.-[]() chấmdotcmvnіｖ", max_size=60))
def test_links_are_ordered_spans_inside_the_text(text: str) -> None:
    from nlp.text import urls

    found = urls(text)
    assert found == sorted(found)
    for (_, b, _), (c, _, _) in zip(found, found[1:], strict=False):
        assert b <= c  # never overlapping
    assert all(0 <= a < b <= len(text) for a, b, _ in found)


def test_a_claim_dressed_as_a_correction_or_as_no_rumour_keeps_its_evidence() -> None:
    """Probe Q (issue 12): "Không phải tin đồn: …" vouches for what follows, and "Đính chính:"
    is a refutation only when it denies something; a real correction still refutes."""
    assert "refutation" not in kinds(
        "KHÔNG PHẢI TIN ĐỒN: từ 01/10 người không có smartphone bị dừng lương hưu"
    )
    assert "refutation" not in kinds(
        "Khong phai tin don dau, chu tich xa noi ai khong cai VNeID bi cat gao"
    )
    assert "refutation" not in kinds(
        "ĐÍNH CHÍNH: Mức phạt người chưa kích hoạt định danh là 5 triệu đồng chứ không phải 2 triệu."
    )
    assert "refutation" not in kinds(
        "Đính chính từ Ban xây dựng Đảng xã: mỗi đảng viên phải đăng 5 bài/ngày, ai không đăng đủ bị kỷ luật."
    )
    assert "refutation" in kinds("Đính chính: không có quy định phạt người chưa cài VNeID.")
    assert "refutation" in kinds("Không phải vậy đâu bác, làm gì có quy định đó.")


def test_fact_check_words_of_a_fifth_probe() -> None:
    for text in (
        "THỰC HƯ CHUYỆN NGHỊ QUYẾT 06 BỊ SỬA NGẦM",
        "Nhiều tài khoản lan truyền thông tin nghị quyết bị hủy",
        "Nghị quyết cũng không có nội dung cắt giảm 50% cán bộ xã",
        "Nhung KHONG co muc phat 10 trieu dong voi chu thue bao",
        "Mục tiêu là top 10 DTI, chứ không phải top 3 như một số bài đăng.",
    ):
        assert "refutation" in kinds(text), text


def test_warnings_and_threats_of_a_fifth_probe() -> None:
    for text in (
        "Đây là mô hình huy động vốn lừa đảo, mượn danh nghị quyết để tạo lòng tin.",
        "MB Bank không tổ chức chương trình tri ân khách hàng trúng thưởng nào như vậy.",
        "Trúng thưởng thật không bao giờ phải nộp tiền trước.",
    ):
        assert "warning_context" in kinds(text), text
    # a threat's condition and a benefit withheld are no warnings
    assert "warning_context" not in kinds(
        "Không chuyển thì từ tuần sau thẻ của bác không rút được lương hưu"
    )
    assert "warning_context" not in kinds("ai không cài thì tháng sau không được nhận gạo hỗ trợ")


def test_claims_and_requests_of_a_fifth_probe() -> None:
    assert "credential_request" in kinds(
        "Để nhận tiền, ông bà nhắn số tài khoản, ảnh CCCD 2 mặt và mã OTP ngân hàng gửi về cho cán bộ qua Zalo"
    )
    assert "credential_request" not in kinds("Mã OTP đã được gửi về số điện thoại của quý khách")
    assert "impersonation" in kinds(
        "Đây là Viện kiểm sát nhân dân tỉnh, tài khoản của anh đang bị điều tra"
    )
    assert "policy_claim" in kinds(
        "Bí thư Tỉnh ủy nói ai không dùng điện thoại thông minh sẽ bị đưa ra khỏi danh sách hưởng an sinh"
    )
    assert "document_content" in kinds('Điều 7 Nghị quyết 06-NQ/TU ghi: "Người dân có nghĩa vụ …"')
    assert "data_sale_claim" in kinds(
        "Wifi miễn phí có gắn thiết bị thu thập mật khẩu Facebook của người kết nối"
    )
    assert "data_sale_claim" in kinds("Từ nay công an có quyền đọc tin nhắn Zalo của bất kỳ ai")
    assert "health_claim" in kinds(
        "Màn hình LED phát ra ánh sáng xanh đã làm 3 cháu học sinh đi ngang qua bị tổn thương võng mạc"
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Quy khach nhan hoan tien tai evnnpc-hoantien.com truoc 23h59", "lookalike_domain"),
        ("Nop phat truc tuyen tai csgt-phatnguoi.com.vn/nopphat", "lookalike_domain"),
        ("ban vao link binhchon-nhitai.com dang nhap Facebook vote giup", "sign_in_host"),
        ("Tin nhan dan ve mbbank-trian.online", "lookalike_domain"),
        ("Nhan qua tai qua-trian.shop ngay", "sign_in_host"),
    ],
)
def test_lure_hosts_and_utility_look_alikes(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_official_utility_and_police_domains_are_official() -> None:
    for text in (
        "Tra cứu hóa đơn tại evnnpc.vn",
        "Tra cứu phạt nguội tại csgt.vn",
        "xem triangle.com",
    ):
        assert "lookalike_domain" not in kinds(text), text
        assert "sign_in_host" not in kinds(text), text


def test_claims_of_a_sixth_probe() -> None:
    """Probe R (issue 12)."""
    assert "data_sale_claim" in kinds(
        "Toàn bộ dữ liệu căn cước, khuôn mặt, vân tay của người dân thu thập qua VNeID đã được "
        "chuyển về máy chủ của một tập đoàn công nghệ Trung Quốc"
    )
    assert "data_sale_claim" in kinds(
        "mỗi hộ gia đình sẽ được lắp camera AI kết nối trực tiếp về trung tâm giám sát của công an tỉnh"
    )
    assert "data_sale_claim" in kinds("Chinh quyen dang dung app VNeID de dinh vi nguoi dan 24/24")
    assert "data_sale_claim" in kinds(
        "Cộng tác viên phải báo cáo tên từng người dân có ý kiến trái chiều để xã đưa vào danh sách"
    )
    assert "insider_claim" in kinds("mục tiêu vào top 10 đã bị lặng lẽ xóa khỏi bản chính thức")
    assert "policy_claim" in kinds(
        "Ban Tổ chức của tỉnh: người từ 60 tuổi phải tham gia kỳ sát hạch kỹ năng số, ai không đạt "
        "sẽ bị tạm dừng trợ cấp"
    )
    assert "refutation" not in kinds("Vì sao người dân phải nộp 500 nghìn mà không hề có biên lai?")


def test_what_a_complaint_demands_is_no_rule() -> None:
    assert "policy_claim" not in kinds(
        "Đã in số hotline lên băng rôn ở cổng xã thì phải có người trực chứ."
    )
    assert "policy_claim" not in kinds("Chính sách của tỉnh đúng nhưng phải có lộ trình.")
    assert "policy_claim" in kinds("Theo quyết định của tỉnh, mỗi hộ phải có camera AI trước 1/7.")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Vào vcb-xacthuc。com để mở khóa", "lookalike_domain"),
        ("vào vcb-xacthuc．com ngay", "lookalike_domain"),
        ("vào vcb-xacthuc·com ngay", "lookalike_domain"),
        ("ｖｃｂ－ｘａｃｔｈｕｃ．ｃｏｍ nhé", "lookalike_domain"),
        ("𝐯𝐜𝐛-xacthuc.com nhé", "lookalike_domain"),
        ("Truy cập vietcombak.com.vn để xác thực", "lookalike_domain"),
        ("Truy cập vietcornbank.com.vn để xác thực", "lookalike_domain"),
        ("Truy cập 103.45.67.89/xacthuc để mở khóa", "ip_link"),
    ],
)
def test_links_of_a_red_team_trial(text: str, kind: str) -> None:
    assert kind in kinds(text)


def test_ordinary_dots_versions_and_official_hosts_are_no_links() -> None:
    for text in ("9h · 3 phút đọc · Hà Nội", "phiên bản 4.0.1.2 mới", "IP 192.168.1.1 của modem"):
        assert not {"ip_link", "lookalike_domain"} & kinds(text), text
    assert "official_link" in kinds("Truy cập vietcombank.com.vn")
    assert "lookalike_domain" not in kinds("Truy cập vietcombank.com.vn")


def test_a_victims_question_and_a_city_are_what_they_say() -> None:
    assert "warning_context" in kinds("Mình lỡ bấm vào link rồi, giờ phải làm sao mọi người ơi?")
    assert "warning_context" not in kinds("Tp. Hồ Chí Minh đẩy mạnh chuyển đổi số trong y tế.")
    assert "data_sale_claim" not in kinds(
        "Mọi khoản thu được thông báo bằng văn bản và thu qua hệ thống"
    )
    assert "advance_fee" not in kinds(
        "Phụ huynh đã chuyển tiền xin liên hệ văn phòng để được hướng dẫn"
    )


def test_findings_of_a_fresh_user_trial() -> None:
    """Issue 12, seventh session: "chuyển đổi số" transfers no money; a rule's condition that a
    penalty follows warns nobody; a verdict on a message is shown as a warning."""
    assert "money_request" not in kinds("Nhận quà tri ân chuyển đổi số 1,5 triệu")
    assert "money_request" in kinds("Chuyển 1,5 triệu ngay cho em")
    assert "warning_context" not in kinds(
        "Từ tháng sau, người dân không cài đặt ứng dụng VNeID sẽ bị phạt 5 triệu đồng."
    )
    assert "warning_context" in kinds("Không cung cấp OTP cho ai, kẻo bị khóa tài khoản")
    assert "warning_context" in kinds("Mấy hôm nay có tin nhắn lạ. Đây là tin lừa đảo.")


def test_what_cannot_be_done_and_what_to_watch_are_no_warnings() -> None:
    """Issue 12, eighth session (probe T): inability ("không đọc được"), a penalty for not doing
    something and "để ý mà xem" warn nobody; "cẩn thận", "không … nào yêu cầu nhập …" do."""
    for text in (
        "Chip căn cước không đọc được, nhiều người bị khóa tài khoản.",
        "ai dung iphone cu se k dang nhap duoc vneid nua dau",
        "Đảng viên không đăng nhập sổ tay mỗi ngày sẽ bị xếp loại không hoàn thành nhiệm vụ.",
        "Trạm 5G toàn dựng gần trường học, mọi người để ý mà xem.",
        "Bạn bị lừa mất tiền qua mạng? Chúng tôi hỗ trợ lấy lại.",
    ):
        assert "warning_context" not in kinds(text), text
    for text in (
        "ae nao choi chung khoan can than may nhom telegram nha",
        "Không ví điện tử nào yêu cầu nhập số thẻ trên website.",
        "Nhận tin nhắn như vậy thì xóa ngay.",
        "Mọi người để ý nhé, không bấm vào link lạ.",
    ):
        assert "warning_context" in kinds(text), text


def test_claims_denied_or_named_are_not_made() -> None:
    assert "health_claim" not in kinds("Vắc xin không chứa chip nano, đây là tin sai.")
    assert "health_claim" in kinds("Chip nano trong vắc xin kết nối với trạm 5G.")
    assert "health_claim" not in kinds(
        "Internet vệ tinh Starlink giúp ngư dân liên lạc khi bị tai nạn hay đột quỵ."
    )
    assert "health_claim" not in kinds("Chip trong điện thoại có thể xử lý AI ngay trên máy.")
    assert "hidden_truth" not in kinds("Đây là thuyết âm mưu lan truyền từ năm 2020.")
    assert "policy_claim" not in kinds("Không có quy định đến năm 2026 mỗi hộ phải có chứng chỉ.")
    assert "policy_claim" in kinds("Từ tháng 9, xã sẽ dùng AI tự động ra quyết định xử phạt.")
    assert "policy_claim" in kinds("bo cong an yeu cau doi may moi truoc thang 8")
    assert "data_sale_claim" in kinds(
        "Khi kích hoạt, hệ thống tự động liên kết với lịch sử tìm kiếm của bạn."
    )


def test_scams_of_probe_t() -> None:
    assert "remote_app" in kinds("Tải ứng dụng rồi cấp quyền chia sẻ màn hình, nhân viên thao tác")
    assert "credential_request" in kinds(
        "Vui lòng cung cấp 11 số cuối của mã SIM in trên phôi thẻ và mã OTP gửi về máy"
    )


def test_a_verdict_that_heads_what_it_judges_refutes() -> None:
    assert "refutation" in kinds("Sai: “Đảng viên không đăng nhập sổ tay mỗi ngày sẽ bị khai trừ”.")
    assert "refutation" in kinds("Tin này sai rồi. Sai rồi: “Từ 1/7 phải nộp phí”.")
    # a claim dressed as a correction (a red-team trial)
    assert "refutation" not in kinds(
        "Sai: nhiều người tưởng VNeID miễn phí. Thực tế từ 1/7 phải đóng phí duy trì 50.000đ/năm."
    )
    assert "refutation" not in kinds("Nói sai: cô giáo dạy sai chính tả")


def test_findings_of_probe_u() -> None:
    """Issue 12, eighth session (probe U): links with a fake official suffix or a new TLD, a
    request told as what someone may ask, replies that correct, "cộng" is not "công"."""
    assert "lookalike_domain" in kinds("Thanh toán qua link: hocba-so.edu-vn.net/thanhtoan nhé")
    assert "lookalike_domain" not in kinds("Xem tại truong.edu.vn nhé")
    assert "odd_tld" in kinds("Xác minh tại: meta-business-support.help/verify?id=88213")
    assert "credential_request" not in kinds("ai bảo cài app hay đọc mã OTP thì tắt máy ngay nhé")
    assert "credential_request" in kinds("Đọc mã OTP cho em ngay")
    assert "warning_context" in kinds("gặp tin này thì xóa đi nhé")
    # a red-team trial: a scam that says "cứ xóa đi" before its link, and replies that open a
    # false claim ("Bác nhầm rồi, …", "… chứ có cấm đâu, nhưng từ 1/1 …")
    assert "warning_context" not in kinds(
        "tin lạ thì cứ xóa đi, rồi bấm vào link để được hoàn tiền"
    )
    assert "refutation" not in kinds("Bác nhầm rồi, từ tháng 8 mỗi người còn phải nộp 200 nghìn")
    assert "refutation" not in kinds("Nhà nước chứ có cấm đâu, nhưng từ 1/1 sẽ bị khóa sim")
    assert "policy_claim" not in kinds("phí dịch vụ cộng lại đã hơn 20% giá bán")
    assert "rule_statement" not in kinds("em cam on")


def test_distortions_of_probe_u_carry_their_cue() -> None:
    assert "data_sale_claim" in kinds(
        "theo nghi dinh moi thi the can cuoc gan chip co the dinh vi duoc minh dang o dau"
    )
    assert "data_sale_claim" in kinds(
        "Đổi lại doanh nghiệp này được quyền truy cập dữ liệu định vị của người dùng."
    )
    assert "health_claim" in kinds("Cột 5G mới dựng phát sóng cường độ gấp 10 lần cho phép")
    assert "policy_claim" in kinds("Không hoàn thành thì mức trợ cấp sẽ bị giảm 30% theo Sở Y tế.")
    assert "data_sale_claim" not in kinds("Ứng dụng không thể định vị được bạn khi tắt GPS.")


@pytest.mark.parametrize(
    ("text", "kind", "present"),
    [
        # a machine is no "ai" (who) that may ask: the request stands
        (
            "Tổng đài AI hỏi quý khách vui lòng đọc số thẻ và mã CVV để xác minh",
            "credential_request",
            True,
        ),
        # "link được gửi" is passive: the advice stands
        ("Đừng bấm link được gửi trong tin nhắn lạ", "warning_context", True),
        ("Không cài app được gửi qua Zalo để cập nhật VNeID", "warning_context", True),
        # sentences run together are no links
        ("Viet Nam thang Indonesia 3-0 roi.Win luon ca bang", "odd_tld", False),
        ("xong tai khoan muc 2.Help desk o phuong chi cho tan tinh", "odd_tld", False),
        # true news read as claims
        ("Trạm phát sóng 5G của Viettel cho tốc độ gấp 10 lần 4G", "health_claim", False),
        (
            "Theo Nghị định 13/2023, chủ thể dữ liệu có quyền truy cập dữ liệu cá nhân",
            "data_sale_claim",
            False,
        ),
        (
            "Đoàn trường tổ chức chấm điểm chính trị tư tưởng cho đoàn viên",
            "data_sale_claim",
            False,
        ),
        (
            "Máy tính tiền sẽ tự động phát hành hóa đơn điện tử theo Nghị định 70",
            "policy_claim",
            False,
        ),
        ("Camera AI tự động phạt cả xe đỗ đúng chỗ, mình khiếu nại 2 tuần", "policy_claim", False),
        (
            "Thực hiện Nghị quyết 18, biên chế cán bộ công chức sẽ được cắt giảm",
            "rule_statement",
            False,
        ),
        ("Không có trường nào lại yêu cầu nhiều thế", "warning_context", False),
        ("Chị chia sẻ màn hình điện thoại cho em xem để em hướng dẫn", "remote_app", True),
    ],
)
def test_findings_of_a_red_team_trial_of_the_eighth_session(
    text: str, kind: str, present: bool
) -> None:
    assert (kind in kinds(text)) is present, text


def test_findings_of_probe_x() -> None:
    """Issue 12, ninth session (probe X): denials and laws that read as claims, surveillance and
    health scares in new words, a hospital's fake advance, a fine paid at a link, a coin said to
    multiply, a recovery service courting those who were cheated."""
    # a correction that denies with another verb; "đình chỉ" is not read inside "đính chính"
    text = "Xin đính chính: kích hoạt VNeID mức 2 không đồng bộ danh bạ của bà con lên đâu cả."
    assert "refutation" in kinds(text)
    assert "policy_claim" not in kinds(text)
    assert "policy_claim" in kinds("Bị đình chỉ hoạt động theo quyết định của tỉnh")
    # the law forbids a wrongdoing; the trade a raid ends is no sale claimed
    law = "Luật có hiệu lực từ ngày 1/1/2026, trong đó nghiêm cấm hành vi mua bán dữ liệu cá nhân."
    assert not kinds(law) & {"policy_claim", "fabricated_obligation", "data_sale_claim"}
    assert "policy_claim" in kinds("Từ ngày 1/7 tỉnh cấm dùng tiền mặt ở chợ")
    assert "data_sale_claim" in kinds("Nhà mạng bán dữ liệu thuê bao cho công ty quảng cáo")
    # "không có dòng nào nói về thu phí" denies the fee
    no_fee = "Nghị quyết 06 của tỉnh không có dòng nào nói về thu phí dịch vụ công cả"
    assert "policy_claim" not in kinds(no_fee)
    assert "policy_claim" in kinds("Nghị quyết 06 của tỉnh quy định thu phí dịch vụ công")
    # surveillance, health
    assert "data_sale_claim" in kinds(
        "Kích hoạt mức 2 thì danh bạ và tin nhắn Zalo được đồng bộ lên hệ thống của công an."
    )
    assert "data_sale_claim" in kinds(
        "Camera AI ghi lại nội dung nói chuyện của người đi đường rồi gửi thẳng về Bộ Công an."
    )
    assert "data_sale_claim" in kinds(
        "Nghị quyết cho phép doanh nghiệp nước ngoài truy cập cơ sở dữ liệu quốc gia về dân cư."
    )
    assert "health_claim" in kinds("Bức xạ từ trạm 5G làm virus lây lan nhanh hơn")
    assert "health_claim" in kinds("Sóng wifi công suất lớn ảnh hưởng trực tiếp đến vật nuôi")
    assert "health_claim" not in kinds("Sóng wifi không ảnh hưởng đến sức khỏe")
    assert "policy_claim" in kinds(
        "Ngân hàng gửi doanh thu cho cơ quan thuế, cuối năm thuế sẽ truy thu 3 năm trước"
    )
    # scams: an advance into a doctor's account, a fine paid at a link, a coin x50, a recovery
    # service; advice that names the personal account is no request
    assert "personal_account" in kinds(
        "Anh/chị chuyển ngay vào tài khoản bác sĩ trực Nguyễn Minh Tuấn để kịp phẫu thuật."
    )
    assert "personal_account" not in kinds(
        "Công an càng không thu tiền phạt vào tài khoản cá nhân."
    )
    assert "benefit_lure" in kinds("Nộp phạt trực tuyến trong 24h tại link bên dưới.")
    assert "guaranteed_return" in kinds("Giá hiện 0,2 USD, dự kiến x50 trong 6 tháng.")
    recovery = "Ai lỡ bị lừa thì bên mình có dịch vụ lấy lại tiền, cam kết thu hồi 80–100%."
    assert "fee_for_benefit" in kinds(recovery)
    assert "warning_context" not in kinds(recovery)
    assert "warning_context" in kinds("Nhiều người bị lừa qua tin nhắn giả danh ngân hàng.")
    assert "warning_context" in kinds(
        "Công an không thông báo xử phạt qua tin nhắn kèm link, mọi người nhé."
    )


def test_false_premise_advice_names_its_claim() -> None:
    """Issue 12, ninth session: advice to relatives built on a false premise states its claim
    ("nói chuyện trong xe cũng bị ghi lại", "công an xem được toàn bộ ảnh trong máy", "sóng
    bluetooth làm trẻ chậm nói"); true statements in the same words do not."""
    assert "data_sale_claim" in kinds(
        "Cảnh báo cả nhà: camera mới có thu âm, nói chuyện trong xe cũng bị ghi lại."
    )
    assert "data_sale_claim" not in kinds("Cuộc nói chuyện bị ghi lại làm bằng chứng tại tòa.")
    assert "data_sale_claim" in kinds("Cài xong là công an xem được toàn bộ ảnh trong máy.")
    assert "data_sale_claim" not in kinds("Công an xem được ảnh chân dung trong hồ sơ căn cước.")
    assert "health_claim" in kinds("Đừng cho con đeo đồng hồ, sóng bluetooth làm trẻ chậm nói.")
    assert "health_claim" not in kinds("Cho trẻ xem điện thoại nhiều làm trẻ chậm nói.")


def test_red_team_of_the_ninth_session() -> None:
    """A red-team trial of the ninth session's cues: a correction that turns ("nhưng", "mà là")
    is a claim dressed as one; a law's ban and a raid are decided by what precedes the trade
    ("cho phép mua bán dữ liệu" still claims); a hedge denies ("chưa cho thấy"); "tin nhảm"
    refutes; a scam that borrows "không thông báo qua tin nhắn nên …" is no warning; a return
    "gấp 50 lần" is a return, not "urgent"."""
    turned = (
        "Đính chính thông tin: Nghị định không yêu cầu người dân nộp phí xác thực, nhưng từ 1/8 "
        "ai chưa xác thực sẽ bị phạt 1 triệu."
    )
    assert "refutation" not in kinds(turned)
    assert "refutation" in kinds(
        "Xin đính chính: kích hoạt VNeID mức 2 không đồng bộ danh bạ của bà con lên đâu cả."
    )
    assert "data_sale_claim" in kinds(
        "Luật Dữ liệu chính thức cho phép mua bán dữ liệu cá nhân cho bên quảng cáo."
    )
    assert "data_sale_claim" not in kinds(
        "Nghị định 13 cấm các hành vi thu thập, chuyển giao dữ liệu cá nhân khi chưa có sự đồng ý."
    )
    assert "data_sale_claim" not in kinds("Công an triệt phá đường dây mua bán dữ liệu cá nhân.")
    assert "health_claim" not in kinds(
        "Các nghiên cứu chưa cho thấy sóng wifi ảnh hưởng trực tiếp đến sức khỏe con người."
    )
    assert "refutation" in kinds("Nói danh bạ bị đồng bộ lên hệ thống của công an thì là tin nhảm.")
    assert "warning_context" not in kinds(
        "Ngân hàng không thông báo qua tin nhắn nên mình gửi bạn qua Zalo, bấm vào link nhé."
    )
    assert "guaranteed_return" in kinds("Dự án tiền số, lãi gấp 50 lần chỉ sau nửa năm.")
    assert "urgency" not in kinds("Giá tăng gấp 3 lần so với năm ngoái")


def test_findings_of_probe_d() -> None:
    """Issue 12, ninth session (probe D): a team said to collect passwords, an app said to read
    messages, "từ t9", "sung quỹ nhà nước", an exam imposed; a banking password into a form;
    free once a fee is paid; corrections that say no evidence or no conclusion exists."""
    assert "data_sale_claim" in kinds(
        "Tổ công nghệ số cộng đồng sắp đi từng nhà ghi lại mật khẩu VNeID của các cụ."
    )
    assert "data_sale_claim" not in kinds("Công an không bao giờ xin mã OTP qua điện thoại.")
    assert "data_sale_claim" in kinds("VNeID bây giờ đọc được hết tin nhắn Zalo của mình đấy")
    assert "data_sale_claim" not in kinds("VNeID không đọc được tin nhắn Zalo của bạn")
    # a genuine code message, an app's feature (the real SMS benchmark)
    assert "data_sale_claim" not in kinds(
        "046030 la ma xac thuc de lay lai mat khau cua tai khoan ThanhNienVN."
    )
    assert "data_sale_claim" not in kinds("tinh nang xem tin nhan da xoa cua Zalo")
    assert "policy_claim" in kinds("từ t9 này ai ko làm sinh trắc học là bị khóa vĩnh viễn tk")
    assert "rule_statement" in kinds("tiền trong tài khoản sung quỹ nhà nước luôn")
    assert "rule_statement" in kinds("Mọi người phải hoàn thành bài thi sát hạch kỹ năng số")
    assert "policy_claim" not in kinds("Thấy băng rôn ở xã ghi phấn đấu vào top 10")
    assert "credential_request" in kinds(
        "Điền họ tên, số tài khoản và mật khẩu Internet Banking vào biểu mẫu bên dưới."
    )
    assert "credential_request" not in kinds("Nhập mật khẩu để đăng nhập ứng dụng VNeID.")
    assert "fee_for_benefit" in kinds(
        "Để được cấp miễn phí, vui lòng thanh toán phí số hóa hồ sơ 780.000đ qua mã QR."
    )
    assert "refutation" in kinds(
        "Chưa có bằng chứng khoa học cho thấy sóng di động gây ra các triệu chứng đó."
    )
    assert "refutation" in kinds(
        "Chưa có kết luận nào của cơ quan chức năng về việc dữ liệu bị bán như bài đăng nói."
    )


def test_second_red_team_of_the_ninth_session() -> None:
    """A second red-team trial: "mua bán dữ liệu" named as the trade a law punishes is no sale
    claimed, "cho phép mua bán" is; "mà chỉ" restricts a correction, it does not turn it; "không
    cần nộp phí" is no fee; a raid told rhetorically ("Cấm các hành vi thì cấm, nhưng …") hides no
    claim; "bắt giữ nhóm đối tượng bán dữ liệu" is news."""
    assert "data_sale_claim" not in kinds(
        "Luật quy định mức phạt tối đa với hành vi mua bán dữ liệu cá nhân."
    )
    assert "data_sale_claim" not in kinds("Mua bán dữ liệu cá nhân trái phép có thể bị phạt nặng.")
    assert "data_sale_claim" in kinds("Luật Dữ liệu cho phép mua bán dữ liệu cá nhân.")
    assert "refutation" in kinds(
        "Đính chính: không phải tất cả tài khoản bị khóa, mà chỉ tài khoản chưa xác thực."
    )
    assert "fee_for_benefit" not in kinds(
        "Để được cấp miễn phí, bạn không cần nộp phí hay chuyển tiền cho ai."
    )
    assert "data_sale_claim" in kinds(
        "Cấm các hành vi thì cấm, nhưng Bộ Công an vẫn chuyển giao dữ liệu cho doanh nghiệp."
    )
    assert "data_sale_claim" not in kinds("Bắt giữ nhóm đối tượng bán dữ liệu cá nhân.")


def test_not_this_but_that_states_that() -> None:
    """A red-team trial: "Đính chính: không phải tháng 12 mà là từ tháng 9 ai chưa … sẽ bị khóa"
    corrects one false detail with another; "không phải … mà là …" opens no refutation (the model
    weighs what follows "mà là", a true correction included)."""
    assert "refutation" not in kinds(
        "Đính chính: không phải tháng 12 mà là từ tháng 9 ai chưa tích hợp sẽ bị khóa tài khoản."
    )
    assert "refutation" in kinds("Không phải đâu bác, VNeID không thu phí.")


def test_findings_of_probe_p_and_a_red_team_of_the_tenth_session() -> None:
    """Probe P and a red-team trial: a code read back without naming "OTP" is asked for; a stake
    and its payout ("góp 10 triệu nhận 8 triệu mỗi tháng") is a promised return; a camera said to
    record talk inside homes is surveillance; "cầm điện thoại" (held) is no ban; warnings told in
    new words ("thì cúp máy,", "thì nghi ngờ ngay", "không có cơ quan … nào làm việc qua điện
    thoại", "trang đó bắt", "Bạn tôi rủ đầu tư", "toàn lừa"); "để tránh bị lừa" is a purpose a
    scam borrows, no warning; "không nhận nhập học" is no warning."""
    assert "credential_request" in kinds(
        "Cháu bên bưu điện, bác đọc giúp cháu 6 số vừa nhắn vào máy bác để cháu xác nhận nhé."
    )
    assert "credential_request" in kinds(
        "các bác muốn được cấp tài khoản thì đọc cho mình cái mã số vừa gửi về điện thoại nhé."
    )
    assert "credential_request" in kinds("Soan tin kem ma OTP gui den 0987654321 de duoc giu so.")
    assert "credential_request" not in kinds("Tuyệt đối không đọc cho ai mã số vừa gửi về máy.")
    assert "guaranteed_return" in kinds(
        "Mở bán cổ phần, góp 10 triệu nhận cổ tức 8 triệu mỗi tháng."
    )
    assert "guaranteed_return" in kinds("bỏ 50 triệu thu về 200 triệu sau 3 tháng, không rủi ro.")
    assert "guaranteed_return" not in kinds("Nhà tôi đóng 200k tiền điện, nhận 2 triệu lương hưu.")
    assert "data_sale_claim" in kinds(
        "Camera lắp ở đầu thôn thu âm được cả tiếng nói trong nhà cách 50m đấy."
    )
    assert "policy_claim" not in kinds(
        "hoc binh dan hoc vu so ma toan chieu slide roi doc, chan vl cho ng ta cam dt thuc hanh di"
    )
    assert "policy_claim" in kinds("binh dan hoc vu so cam hoc vien dung dien thoai trong lop")
    for warning in (
        "Bác nào nhận tin nhắn kiểu đó thì cúp máy, báo con cháu ngay.",
        "Link đuôi .top, .vip thì nghi ngờ ngay.",
        "Không có cơ quan công an nào làm việc qua điện thoại cả.",
        "Phí nhỏ nhưng trang đó bắt nhập thông tin thẻ và OTP.",
        "Bạn tôi rủ đầu tư 'cam kết lợi nhuận 20%/tháng', tôi bảo thôi.",
        "Mà thôi, mấy cái đó toàn lừa.",
    ):
        assert "warning_context" in kinds(warning), warning
    assert "warning_context" not in kinds(
        "Để tránh bị lừa đảo, Bộ Công an yêu cầu người dân gửi mã OTP đến tổng đài 0899123456."
    )
    assert "warning_context" not in kinds(
        "phải có VNeID mức 2, nếu không nhà trường không nhận nhập học."
    )


def test_findings_of_probe_s() -> None:
    """Probe S: two or more secrets asked at once ("điền số tài khoản, số căn cước và mã OTP") or
    into a QR code's page is a credential request without a link; a card made ready "để nhân
    viên hướng dẫn", a code photographed back; an app installed from a .com/.net page; a number
    marked "(Zalo)"; dividends of 8 %/month, a buy-back "gấp 3"; "không có '…' nào", "chứ không
    phải '…'" and "như bài đăng lan truyền" refute; "báo ngay cho UBND xã" warns; "không quy định
    / không yêu cầu" names no rule; "tôi không nói … là sai" is no verdict; a negation in the
    sentence before a request does not reach it."""
    assert "credential_request" in kinds("Vui long dien so tai khoan va ma OTP de nhan qua ngay.")
    assert "credential_request" in kinds("Quét mã QR, nhập mã OTP để nhận quà.")
    assert "credential_request" not in kinds("Mã OTP của bạn là 123456. Vui lòng nhập mã OTP.")
    assert "credential_request" in kinds(
        "Quý khách chuẩn bị căn cước và thẻ ATM để nhân viên hướng dẫn từng bước."
    )
    assert "credential_request" in kinds(
        "Lát có tin nhắn mã 6 số gửi về điện thoại em thì em chụp gửi lại chị nha."
    )
    assert "remote_app" in kinds(
        "Ban co khoan hoan thue chua nhan. Cai dat ung dung eTax tai etax-hoanthue.net de nhan."
    )
    assert "remote_app" not in kinds("Tải ứng dụng VNeID tại vneid.gov.vn hoặc từ CH Play.")
    assert "private_chat" in kinds("Liên hệ nhân viên thu ngân 0862 441 907 (Zalo).")
    assert "private_chat" not in kinds("@Đạt 0774679582 zalo mình nhaaa")
    assert "guaranteed_return" in kinds("Góp vốn từ 10 triệu, chia cổ tức 8%/tháng.")
    assert "guaranteed_return" in kinds("cam kết mua lại cổ phần gấp 3 sau 12 tháng")
    for refuting in (
        'Không có "phí chuyển đổi số 150.000đ mỗi hộ" nào theo Nghị quyết 06.',
        'Mục tiêu là top 10 chứ không phải "đứng số 1 cả nước" như bài đăng lan truyền.',
    ):
        assert "refutation" in kinds(refuting), refuting
    assert "warning_context" in kinds("Nếu có người thu tiền, đề nghị bà con báo ngay cho UBND xã.")
    assert "policy_claim" not in kinds("Nghị quyết 57-NQ/TW không quy định chi 15% ngân sách.")
    assert "policy_claim" not in kinds("Nghị quyết cũng không yêu cầu mỗi hộ phải có chứng chỉ.")
    assert "refutation" not in kinds("Tôi không nói tuyên truyền là sai, nhưng đọc lâu quá.")


def test_a_scams_alarm_about_the_readers_own_account_is_no_warning() -> None:
    """A red-team trial: "sim của bạn đã bị kẻ gian chiếm quyền, gọi ngay …" raises an alarm
    about the reader's own SIM (no warning, no story of a loss); official help from a personal
    mobile number ("liên hệ ngay chuyên viên qua số 09… để được hỗ trợ") moves the reader to a
    private line. A story of someone's account taken stays a story."""
    from nlp.claims import narrated_loss

    alarm = "canh bao: sim cua ban da bi ke gian chiem quyen, goi ngay 0966555444 de ho tro"
    assert "warning_context" not in {
        s.kind for s in detect(normalize(alarm)) if s.evidence.lower() == "ke gian"
    }
    assert narrated_loss(normalize(alarm)) == []
    told = normalize("Tài khoản của chị tôi đã bị kẻ gian chiếm quyền, chúng rút sạch 50 triệu.")
    assert narrated_loss(told) != []
    assert "private_chat" in kinds(
        "Liên hệ ngay chuyên viên qua số 0938111222 để được hỗ trợ gỡ mã độc."
    )
    assert "private_chat" not in kinds("Mọi thắc mắc liên hệ tổng đài 1900 1234 để được hỗ trợ.")
