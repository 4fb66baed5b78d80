import json

import pytest
from django.test import override_settings

from gongkai.privacy.models import SensitiveWord, WordCategory
from gongkai.privacy.screen import (
    Finding,
    is_valid_id15,
    is_valid_id18,
    luhn_ok,
    mask_text,
    screen_text,
    summarize,
)

from .conftest import make_id

pytestmark = pytest.mark.django_db

ID = "220102199003071235"
NOTICE = (
    "示民〔2026〕7号\n"
    f"救助对象：吴某，身份证号码{ID}，联系电话0571-87001234，手机13705710001，"
    "救助金额3000元。\n本件为内部资料。"
)


def test_published_examples_of_valid_id_numbers():
    # GB 11643-1999's own examples, independent of our check-digit code.
    assert is_valid_id18("11010519491231002X")
    assert is_valid_id18("11010519491231002x")
    assert is_valid_id18("440524188001010014") is False  # born 1880: outside 1900..today
    assert not is_valid_id18("110105194912310021")  # wrong check digit
    assert not is_valid_id18("990105194912310021")  # no such province
    assert not is_valid_id18("110105194902300020")  # 30 February
    assert is_valid_id15("330106680512123")
    assert not is_valid_id15("330106000123456")  # registration-number padding, not 1900
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_findings_say_what_and_where():
    findings = screen_text(NOTICE)
    assert [(f.kind, f.line) for f in findings] == [
        ("id_card", 2),
        ("mobile", 2),
        ("sensitive_word", 3),
    ]
    id_card, mobile, word = findings
    assert NOTICE[id_card.start : id_card.end] == ID
    assert id_card.label == "居民身份证号码"
    assert id_card.masked == "220102********1235"
    assert mobile.masked == "137****0001"
    assert "第2行" in id_card.message and "220102********1235" in id_card.message
    assert word.value == "内部资料" and word.category == "内部"
    assert word.masked == "＊＊＊＊"
    assert "内部资料" in word.message


def test_contexts_show_the_place_but_no_number():
    findings = screen_text(NOTICE)
    for f in findings:
        assert "【" in f.context and len(f.context) <= 15 * 2 + len(f.value) + 2
        assert ID not in f.context and "13705710001" not in f.context
    # A neighbour's number shows masked in the context as well.
    _id, mobile = screen_text(f"身份证{ID}手机13705710001")
    assert mobile.context == "2********1235手机【137****0001】"  # 15 characters before
    assert findings[0].context.startswith("救助对象：吴某，身份证号码【220102********1235】")


def test_reports_never_carry_the_raw_number():
    findings = screen_text(NOTICE)
    dumped = json.dumps([f.as_dict() for f in findings], ensure_ascii=False)
    assert ID not in dumped and "13705710001" not in dumped
    assert ID not in repr(findings)
    word = findings[-1].as_dict()
    assert word["word"] == "内部资料" and word["category"] == "内部"
    assert "value" not in findings[0].as_dict() and "word" not in findings[0].as_dict()


def test_offsets_refer_to_the_original_full_width_and_traditional_text():
    text = "㈠申請人身份證號：２２０１０２１９９００３０７１２３５；本件屬於內部資料。"
    id_card, word = screen_text(text)
    assert text[id_card.start : id_card.end] == "２２０１０２１９９００３０７１２３５"
    assert id_card.masked == "２２０１０２********１２３５"
    assert text[word.start : word.end] == "內部資料"


def test_words_split_by_spaces_or_line_breaks_are_found():
    (f,) = screen_text("此件为内部\n文件，请勿转发。")
    assert f.value == "内部\n文件" and f.line == 1
    (g,) = screen_text("机\u200b密")
    assert g.value == "机\u200b密"


def test_mask_text_masks_personal_data_in_one_step_and_keeps_words():
    masked = mask_text(NOTICE)
    assert len(masked) == len(NOTICE)
    assert "220102********1235" in masked and "137****0001" in masked
    assert "0571-87001234" in masked and "示民〔2026〕7号" in masked
    assert "内部资料" in masked  # a human decides about secrecy markings
    assert [f.kind for f in screen_text(masked)] == ["sensitive_word"]


def test_mask_text_with_given_findings_and_stale_ones():
    findings = screen_text(NOTICE)
    assert mask_text(NOTICE, findings) == mask_text(NOTICE)
    assert mask_text(NOTICE, findings[1:2]).count("*") == 4  # only the mobile
    with pytest.raises(ValueError, match="重新检查"):
        mask_text("前言" + NOTICE, findings)


def test_grouped_and_prefixed_numbers_are_masked_keeping_separators():
    text = "账号6222 0212 0200 1234 567，手机+86 139 1234 5678"
    assert mask_text(text) == "账号6222 **** **** ***4 567，手机+86 139 **** 5678"
    (card, _mobile) = screen_text(text)
    assert card.value == "6222 0212 0200 1234 567" and card.end - card.start == len(card.value)


def test_labels_decide_for_codes_that_look_like_numbers():
    card = "4420260315123456785"  # passes Luhn, Visa-like prefix
    assert [f.kind for f in screen_text(f"银行卡号{card}")] == ["bank_card"]
    assert screen_text(f"订单编号：{card}") == []
    # The nearer label wins: 编号 labels the first number, 手机 the second.
    found = screen_text("编号：2026001，手机：13812345678")
    assert [f.kind for f in found] == ["mobile"]


def test_all_digit_credit_code_passing_the_id_checks_is_not_an_id():
    code = "113301199001010190"  # valid 统一社会信用代码 and, by chance, a valid ID number
    assert screen_text(f"统一社会信用代码：{code}") == []
    assert [f.kind for f in screen_text(f"身份证号：{code}")] == ["id_card"]


def test_gansu_id_is_an_id_not_a_bank_card():
    number = make_id("62010219880101123")
    assert [f.kind for f in screen_text(f"{number}")] == ["id_card"]


def test_words_from_the_table_take_effect_at_once():
    assert screen_text("此稿请勿上网。") == []
    SensitiveWord.objects.create(word="请勿上网", category=WordCategory.INTERNAL)
    (f,) = screen_text("此稿请勿上网。")
    assert f.category == "内部"
    SensitiveWord.objects.filter(word="请勿上网").update(active=False)
    word = SensitiveWord.objects.get(word="请勿上网")
    word.save()  # admin edits save the row, which refreshes the cache
    assert screen_text("此稿请勿上网。") == []


def test_exempt_phrases_are_configurable():
    text = "属于国家秘密的政府信息不予公开。"
    assert screen_text(text) == []
    word = SensitiveWord.objects.get(word="国家秘密")
    word.exempt_phrases = ""
    word.save()
    assert [f.value for f in screen_text(text)] == ["国家秘密"]


def test_seeded_words_cover_the_common_markings():
    words = set(SensitiveWord.objects.values_list("word", flat=True))
    assert {
        "秘密",
        "机密",
        "绝密",
        "内部资料",
        "内部文件",
        "内部使用",
        "不得外传",
        "国家秘密",
    } <= words


@override_settings(GONGKAI_SENSITIVE_WORDS=["征求意见稿勿传"])
def test_words_from_settings():
    (f,) = screen_text("本件为征求意见稿勿传。")
    assert f.category == "配置"


def test_word_validation_in_the_admin_form():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SensitiveWord(word="密").full_clean()
    with pytest.raises(ValidationError):
        SensitiveWord(word="机密", exempt_phrases="商业秘密").full_clean()


def test_summary_sentence():
    assert summarize([]) == "未发现个人信息或敏感词。"
    text = summarize(screen_text(NOTICE))
    assert text.startswith("发现3处") and "居民身份证号码1处" in text and "敏感词1处" in text


def test_finding_is_immutable_and_source_named():
    (f, *_rest) = screen_text(NOTICE, source="附件《公示.pdf》")
    assert isinstance(f, Finding)
    assert f.source == "附件《公示.pdf》" and f.message.startswith("附件《公示.pdf》第2行")
    with pytest.raises(AttributeError):
        f.start = 0  # type: ignore[misc]


def test_empty_and_plain_texts():
    assert screen_text("") == []
    assert mask_text("") == ""
    assert screen_text("各街道、各部门：现将有关事项通知如下。") == []


def test_id_numbers_written_in_6_8_4_groups_are_found_and_masked_keeping_separators():
    for text, value, masked in [
        ("身份证号：110105 19491231 002X", "110105 19491231 002X", "110105 ******** 002X"),
        ("110105-19491231-002X", "110105-19491231-002X", "110105-********-002X"),
        ("公民身份号码 230102-19750601-0031。", "230102-19750601-0031", "230102-********-0031"),
        ("证件号：４２０１０６　１９６３０８０８　１５７２",
         "４２０１０６　１９６３０８０８　１５７２",
         "４２０１０６　********　１５７２"),
    ]:  # fmt: skip
        (f,) = screen_text(text)
        assert (f.kind, f.value, f.masked) == ("id_card", value, masked)
        assert mask_text(text) == text.replace(value, masked)


def test_grouped_id_numbers_need_a_valid_date_and_check_digit():
    assert screen_text("身份证号：110105 19491231 0021") == []  # wrong check digit
    assert screen_text("身份证号：110105-19490230-002X") == []  # 30 February
    assert screen_text("身份证号：110105 19491231-002X") == []  # two kinds of separator


def test_space_grouped_numbers_without_an_id_label_are_table_columns():
    # 邮编, 日期 and 件数 in space-separated columns line up as 6-8-4 with a valid check digit.
    assert is_valid_id18("310012202603151005")
    assert screen_text("邮编 登记日期 件数\n310012 20260315 1005") == []
    assert screen_text("联系电话：0571-88001234；310012 20260315 1005") == []
    # An ID label nearer than any number labels it; 编号 nearest drops the hyphenated form.
    assert [f.kind for f in screen_text("身份证 310012 20260315 1005")] == ["id_card"]
    assert screen_text("项目编号：330106-20250101-0019") == []


def test_ordinary_wording_that_denies_secrecy_is_not_a_marking():
    for text in (
        "经保密审查，本文件不涉及国家秘密。",
        "本信息不涉及工作秘密，可以公开。",
        "不含国家秘密。",
        "确认不包含国家秘密和工作秘密。",
        "公开属性：主动公开（非涉密）。",
    ):
        assert screen_text(text) == [], text
    # The markings themselves are still found.
    assert [f.value for f in screen_text("本件涉及国家秘密，密级：机密。")] == [
        "国家秘密",
        "密级",
        "机密",
    ]
