"""Properties of the detectors over generated numbers and surrounding text."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.privacy.screen import id_check_digit, luhn_ok, mask_text, screen_text

pytestmark = pytest.mark.django_db
# screen_text reads the word table; the fixtures only give it a database, never change it.
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

REGIONS = ["110105", "220102", "330106", "440305", "510104", "620102", "650102", "810000"]
# Chinese prose with punctuation but no digits or letters, so a number stands alone.
prose = st.text(alphabet="的了在是公开信息申请人办理政务通知，。；：、（）　\n", max_size=30)


@st.composite
def id_numbers(draw) -> str:
    region = draw(st.sampled_from(REGIONS))
    born = draw(st.dates(datetime.date(1900, 1, 1), datetime.date.today()))
    seq = draw(st.integers(0, 999))
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


@st.composite
def luhn_numbers(draw, prefix: str = "62") -> str:
    length = draw(st.integers(16, 19))
    body = prefix + "".join(
        draw(st.lists(st.sampled_from("0123456789"), min_size=length - len(prefix) - 1,
                      max_size=length - len(prefix) - 1))
    )  # fmt: skip
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


@SETTINGS
@given(before=prose, number=id_numbers(), after=prose)
def test_every_valid_id_number_is_found_where_it_is(db, before, number, after):
    text = before + number + after
    ids = [f for f in screen_text(text) if f.kind == "id_card"]
    assert [(f.start, f.end) for f in ids] == [(len(before), len(before) + 18)]
    assert ids[0].masked == number[:6] + "*" * 8 + number[-4:]


@SETTINGS
@given(
    before=prose,
    number=id_numbers(),
    after=prose,
    sep=st.sampled_from([" ", "-", "\u3000"]),
    label=st.sampled_from(["身份证号：", "公民身份号码", "证件号码 ", "居民身份证"]),
)
def test_ids_in_6_8_4_groups_after_an_id_label_are_found(db, before, number, after, sep, label):
    shown = sep.join([number[:6], number[6:14], number[14:]])
    text = before + label + shown + after
    ids = [f for f in screen_text(text) if f.kind == "id_card"]
    start = len(before) + len(label)
    assert [(f.start, f.end) for f in ids] == [(start, start + 20)]
    assert ids[0].masked == sep.join([number[:6], "*" * 8, number[14:]])
    assert mask_text(text) == text.replace(shown, ids[0].masked)


@SETTINGS
@given(before=prose, number=id_numbers(), after=prose, delta=st.integers(1, 10))
def test_a_wrong_check_digit_is_never_an_id(db, before, number, after, delta):
    digits = "0123456789X"
    wrong = number[:17] + digits[(digits.index(number[17]) + delta) % 11]
    grouped = f"{wrong[:6]}-{wrong[6:14]}-{wrong[14:]}"
    for shown in (wrong, grouped, "身份证号 " + grouped.replace("-", " ")):
        found = screen_text(before + shown + after)
        assert all(f.kind != "id_card" for f in found)


@SETTINGS
@given(before=prose, number=luhn_numbers(), after=prose, grouped=st.booleans())
def test_unionpay_cards_are_found_plain_or_grouped(db, before, number, after, grouped):
    shown = " ".join(number[i : i + 4] for i in range(0, len(number), 4)) if grouped else number
    found = screen_text(before + shown + after)
    assert [(f.kind, f.value) for f in found] == [("bank_card", shown)]
    assert found[0].masked.replace(" ", "")[4:-4] == "*" * (len(number) - 8)


@SETTINGS
@given(
    before=prose,
    after=prose,
    second=st.sampled_from("3456789"),
    rest=st.text(alphabet="0123456789", min_size=9, max_size=9),
    style=st.sampled_from(["{}", "{} ", "+86 {}", "86-{}", "dash"]),
)
def test_mobile_numbers_in_all_their_forms(db, before, after, second, rest, style):
    number = "1" + second + rest
    shown = f"{number[:3]}-{number[3:7]}-{number[7:]}" if style == "dash" else style.format(number)
    shown = shown.strip()
    found = screen_text(before + shown + after)
    assert [(f.kind, f.value) for f in found] == [("mobile", shown)]
    assert found[0].masked.endswith(number[-4:]) and "****" in found[0].masked


@SETTINGS
@given(
    st.lists(
        st.one_of(prose, id_numbers(), luhn_numbers(), st.just("13812345678"), st.just("机密")),
        max_size=8,
    )
)
def test_masking_removes_every_personal_finding_and_nothing_else(db, parts):
    text = "".join(parts)
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert [f.kind for f in screen_text(masked) if f.personal] == []
    # Words and prose are untouched: only the found numbers' middle digits changed.
    assert [a for a, b in zip(text, masked, strict=True) if a != b] == [
        a for a, b in zip(text, masked, strict=True) if b == "*" and a != "*"
    ]


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_gives_consistent_findings(db, text):
    for f in screen_text(text):
        assert text[f.start : f.end] == f.value
        assert len(f.masked) == len(f.value)
        assert 1 <= f.line == text.count("\n", 0, f.start) + 1


@SETTINGS
@given(
    year=st.integers(1990, 2030),
    month=st.integers(1, 12),
    day=st.integers(1, 28),
    number=st.integers(1, 999),
    amount=st.decimals(0, 10**12, places=2, allow_nan=False),
    area=st.sampled_from(["010", "021", "0571", "0755", "0931"]),
    local=st.integers(2000000, 89999999),
)
def test_official_boilerplate_never_alarms(db, year, month, day, number, amount, area, local):
    text = (
        f"示政发〔{year}〕{number}号 {year}年{month}月{day}日 {year}{month:02d}{day:02d} "
        f"金额{amount}元 电话：{area}-{local} ({area}){local} 12345热线 "
        f"索引号：11330100002496311X/{year}-{number:05d} 区划代码330106001001"
    )
    assert screen_text(text) == []
