import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn.ric import calc_check_digit

from jzleader.idnumber import check_digit_ok, mask, read_id, redact
from jzleader.values import PartialDate

VALID = "410882198005061234"


@pytest.mark.parametrize("number", ["410802198005061232", "410882198005061234", "410823198201010011", "410871198201011331"])
def test_real_jiaozuo_regions_are_valid(number):
    """python-stdnum's validate() rejects these (DOMAIN.md §4); we check the digit and the date only."""
    n = number[:17] + calc_check_digit(number)
    result = read_id(n)
    assert result.problem is None
    assert result.number == n


# Check characters worked out by hand (GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
# S = Σ digit × weight, check = "10X98765432"[S mod 11]), not by the library the code uses.
HAND_WORKED = [
    ("410882198005061234", 305),  # 305 mod 11 = 8 -> "4"
    ("410802198005061232", 241),  # 241 mod 11 = 10 -> "2"
    ("410871198201011331", 242),  # 242 mod 11 = 0 -> "1" (示范区, which python-stdnum's validate() rejects)
    ("11010519491231002X", 167),  # 167 mod 11 = 2 -> "X", the standard's own example
]


@pytest.mark.parametrize(("number", "weighted_sum"), HAND_WORKED)
def test_check_characters_worked_out_by_hand(number, weighted_sum):
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) == weighted_sum
    assert check_digit_ok(number)
    assert read_id(number).problem is None
    for wrong in "0123456789X":
        if wrong != number[17]:
            assert not check_digit_ok(number[:17] + wrong)
            assert read_id(number[:17] + wrong).problem == "ID_BAD_CHECKSUM"


def test_lower_case_x_full_width_and_spaces():
    base = "11010519491231002"
    n = base + calc_check_digit(base + "0")
    assert n.endswith("X")
    assert read_id(n.lower()).number == n
    full = n.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert read_id(f" {full[:6]} {full[6:]} ").number == n


def test_birth_date_inside_the_number():
    assert read_id(VALID).birth == PartialDate(1980, 5, 6)


def test_excel_damaged_number_is_named_as_such():
    damaged = read_id(4.10882198005061e17)
    assert damaged.problem == "ID_PRECISION_LOST"
    assert damaged.params == {"shown": "4.10882198005061E+17"}
    assert read_id("4.10882198005061E+17").problem == "ID_PRECISION_LOST"
    assert read_id(410882198005061000).problem == "ID_PRECISION_LOST"  # an int with its digits zeroed


def test_intact_number_in_a_number_cell_is_a_risk_not_an_error():
    result = read_id(int(VALID))
    assert result.problem is None and result.numeric_cell


@pytest.mark.parametrize(
    ("value", "problem"),
    [("410882198005061235", "ID_BAD_CHECKSUM"), ("41088219800506123", "ID_BAD_FORMAT"),
     ("410882800506123", "ID_BAD_FORMAT"), ("", "ID_MISSING"), (None, "ID_MISSING"),
     ("4108821980050612３A", "ID_BAD_FORMAT")],
)  # fmt: skip
def test_bad_numbers(value, problem):
    assert read_id(value).problem == problem


def test_impossible_birth_date_inside_a_number_with_a_good_digit():
    base = "41088219801345123"
    n = base + calc_check_digit(base + "0")
    assert read_id(n).problem == "ID_BAD_BIRTH_DATE"


def test_unknown_region_is_a_notice_only():
    base = "99088219800506123"
    result = read_id(base + calc_check_digit(base + "0"))
    assert result.problem == "ID_REGION_UNKNOWN" and result.birth is not None


def test_mask_and_redact():
    assert mask(VALID) == "410882********1234"
    text = f"号码 {VALID} 与 4.10882198005061E+17 和 410882800506123"
    out = redact(text)
    assert VALID not in out and "198005061" not in out and "800506" not in out
    assert "410882********1234" in out


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_computed_check_digit_validates_and_any_change_breaks_it(body):
    number = body + calc_check_digit(body + "0")
    assert check_digit_ok(number)
    for i in range(17):
        changed = number[:i] + str((int(number[i]) + 1) % 10) + number[i + 1 :]
        assert not check_digit_ok(changed)


@pytest.mark.parametrize("digits", [15, 17, 18, 19, 24])
def test_every_run_of_15_or_more_digits_is_masked(digits):
    """DOMAIN §5: a 17- or 19-digit typo, an ID inside a file name or a note: anything that could be one."""
    run = "410882198005061234567890"[:digits]
    masked = redact(f"沁阳市{run}推荐表.xlsx；另 {run[:-1]}X")
    assert run not in masked and run[:-1] + "X" not in masked
    assert masked.startswith("沁阳市410882") and "*" * (digits - 10) in masked


def test_shorter_numbers_are_left_alone():
    assert redact("电话 13912345678，邮编 454650，第12345678901234号") == "电话 13912345678，邮编 454650，第12345678901234号"


@given(
    st.one_of(
        st.text(alphabet="0123456789Xx -－０１２３４５６７８９\u3000\t", max_size=24),
        st.sampled_from(["410802198005061234", "41080219800506123x", "4108 0219 8005 0612 34", "4.10802E+17",
                         "410802-19800506-1234", "４１０８０２１９８００５０６１２３４", "41080219800506123", " "]),
    )
)  # fmt: skip
def test_id_shaped_is_whether_read_id_finds_a_number(text):
    """The layout decides "this row has an ID" with id_shaped (cheap) where it used read_id: the same answer."""
    from jzleader.idnumber import id_shaped

    assert id_shaped(text) == (read_id(text).number is not None)
