"""The counting rules (tally.py): the quorum of all deputies, the threshold of all deputies, ties at the
cut-off (a further ballot by default, empty seats only by the congress's rule), the shortfall, the presidium's
decisions."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.voting.tally import (
    BELOW,
    CHOSEN,
    OUTRANKED,
    TIED,
    needed,
    quorum,
    satisfaction_rate,
    tally,
)

TWO_THIRDS = Fraction(2, 3)


def counts(*fors, against=0, abstain=0):
    return {i + 1: (f, against, abstain) for i, f in enumerate(fors)}


# --- quorum -----------------------------------------------------------------------------------------------


def test_exactly_two_thirds_of_the_deputies_present_make_the_quorum():
    q = quorum(electorate=9, present=6, fraction=TWO_THIRDS)
    assert (q.required, q.met, q.missing) == (6, True, 0)


def test_one_deputy_fewer_than_two_thirds_is_no_quorum():
    q = quorum(electorate=9, present=5, fraction=TWO_THIRDS)
    assert (q.required, q.met, q.missing) == (6, False, 1)


def test_two_thirds_of_a_number_not_divisible_by_three_is_rounded_up():
    # 2/3 of 100 is 66.67: 66 present are fewer than two thirds, 67 are not
    assert quorum(electorate=100, present=66, fraction=TWO_THIRDS).met is False
    assert quorum(electorate=100, present=67, fraction=TWO_THIRDS).required == 67
    assert quorum(electorate=100, present=67, fraction=TWO_THIRDS).met is True


def test_a_congress_rule_of_more_than_half_changes_the_quorum():
    assert quorum(electorate=10, present=5, fraction=Fraction(1, 2)).met is True
    assert quorum(electorate=10, present=5, fraction=TWO_THIRDS).met is False


def test_everyone_present_always_makes_the_quorum_even_when_all_are_required():
    assert quorum(electorate=7, present=7, fraction=Fraction(1)).met is True
    assert quorum(electorate=7, present=6, fraction=Fraction(1)).met is False


@pytest.mark.parametrize("fraction", [Fraction(0), Fraction(-1, 2), Fraction(3, 2)])
def test_a_quorum_outside_zero_to_one_is_a_programming_error(fraction):
    with pytest.raises(ValueError):
        quorum(electorate=10, present=10, fraction=fraction)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 3000), st.data())
def test_the_quorum_is_met_exactly_when_present_times_three_is_at_least_twice_the_electorate(
    electorate, data
):
    present = data.draw(st.integers(0, electorate))
    q = quorum(electorate=electorate, present=present, fraction=TWO_THIRDS)
    assert q.met == (3 * present >= 2 * electorate)


# --- threshold: more than half of ALL deputies ------------------------------------------------------------


def test_the_threshold_is_more_than_half_of_all_deputies_whoever_is_present():
    # 100 deputies, 70 present and voting: 40 赞成 is a majority of those present, not of all deputies
    result = tally(electorate=100, seats=2, counts=counts(51, 50, 40))
    assert result.needed == needed(100) == 51
    assert result.chosen == [1]
    assert result.candidates[2].outcome == BELOW
    assert result.candidates[3].outcome == BELOW


def test_exactly_half_of_all_deputies_is_not_enough():
    result = tally(electorate=10, seats=1, counts=counts(5, 4))
    assert result.chosen == []
    assert result.threshold == Fraction(5)
    assert result.candidates[1].outcome == BELOW


def test_one_more_than_half_of_all_deputies_passes():
    assert tally(electorate=10, seats=1, counts=counts(6, 4)).chosen == [1]
    assert tally(electorate=9, seats=1, counts=counts(5, 4)).chosen == [1]  # 4.5 is half of 9
    assert needed(9) == 5 and needed(10) == 6 and needed(0) == 1


def test_against_and_abstentions_are_counted_but_not_toward_the_threshold():
    result = tally(electorate=10, seats=1, counts={1: (5, 0, 5), 2: (3, 7, 0)})
    assert result.chosen == []
    assert (result.candidates[1].votes_against, result.candidates[1].abstentions) == (0, 5)
    assert result.candidates[2].votes_against == 7


def test_the_best_above_the_line_are_chosen_up_to_n():
    result = tally(electorate=10, seats=2, counts=counts(6, 9, 7, 8))
    assert result.chosen == [2, 4]
    assert result.candidates[3].outcome == OUTRANKED
    assert result.candidates[1].outcome == OUTRANKED
    assert (result.runoff, result.seats_left, result.shortfall, result.decisions) == ([], 0, 0, ())
    assert [result.candidates[c].rank for c in (2, 4, 3, 1)] == [1, 2, 3, 4]


# --- ties at the cut-off ------------------------------------------------------------------------------------


def test_a_tie_at_the_cut_off_requires_a_further_ballot_among_the_tied():
    result = tally(electorate=10, seats=2, counts=counts(9, 7, 7, 2))
    assert result.chosen == [1]
    assert sorted(result.tied) == sorted(result.runoff) == [2, 3]
    assert result.seats_left == 1
    assert result.runoff_required
    assert result.shortfall == 0  # the seat goes to the further ballot, not to a later session
    assert result.decisions == (True,)  # the seat cannot be left empty
    assert result.candidates[2].outcome == result.candidates[3].outcome == TIED
    assert result.candidates[2].rank == result.candidates[3].rank == 2
    assert result.candidates[4].outcome == BELOW


def test_a_tie_of_three_for_two_seats_leaves_both_to_the_further_ballot():
    result = tally(electorate=10, seats=3, counts=counts(9, 7, 7, 7))
    assert result.chosen == [1]
    assert sorted(result.runoff) == [2, 3, 4]
    assert result.seats_left == 2 and result.runoff_required


def test_a_tie_for_the_first_place_with_more_tied_than_seats_chooses_nobody_yet():
    result = tally(electorate=10, seats=1, counts=counts(8, 8, 3))
    assert result.chosen == []
    assert sorted(result.runoff) == [1, 2]
    assert result.seats_left == 1 and result.runoff_required


def test_a_tie_that_fits_into_the_seats_is_no_tie():
    result = tally(electorate=10, seats=2, counts=counts(7, 7, 6))
    assert sorted(result.chosen) == [1, 2]
    assert result.runoff == [] and not result.tie
    assert result.candidates[3].outcome == OUTRANKED


def test_a_tie_below_the_threshold_is_no_tie_at_the_cut_off_but_a_shortfall():
    result = tally(electorate=10, seats=2, counts=counts(9, 5, 5))
    assert result.chosen == [1]
    assert not result.tie and not result.runoff_required
    assert result.shortfall == 1
    assert result.candidates[2].outcome == result.candidates[3].outcome == BELOW


def test_a_congress_that_leaves_tied_seats_empty_names_no_further_ballot():
    result = tally(electorate=10, seats=2, counts=counts(9, 7, 7), tie_rule="leave_empty")
    assert result.chosen == [1]
    assert result.tie and sorted(result.tied) == [2, 3]
    assert result.runoff == [] and not result.runoff_required
    assert result.seats_left == result.shortfall == 1
    assert result.decisions == (False,)  # no further ballot under this rule


def test_an_unknown_tie_rule_is_a_programming_error():
    with pytest.raises(ValueError):
        tally(electorate=10, seats=1, counts=counts(9), tie_rule="toss_a_coin")


# --- shortfall ----------------------------------------------------------------------------------------------


def test_fewer_than_n_above_the_line_is_a_shortfall_a_later_session_may_fill():
    result = tally(electorate=10, seats=3, counts=counts(8, 6, 5, 2))
    assert result.chosen == [1, 2]
    assert result.seats_left == result.shortfall == 1
    assert not result.runoff_required
    # the presidium may still hold a further ballot now, among the candidates not chosen
    assert sorted(result.runoff) == [3, 4]
    assert result.decisions == (True, False)
    assert result.candidates[3].outcome == BELOW


def test_nobody_above_the_line_leaves_every_seat_empty():
    result = tally(electorate=100, seats=2, counts=counts(50, 50, 12))
    assert result.chosen == [] and result.shortfall == 2
    assert result.candidates[1].outcome == result.candidates[2].outcome == BELOW
    assert not result.tie  # 50 and 50 are tied, but below the line


def test_a_shortfall_with_no_candidate_left_can_only_be_left_empty():
    result = tally(electorate=10, seats=2, counts=counts(8))
    assert result.chosen == [1] and result.runoff == []
    assert result.shortfall == 1 and result.decisions == (False,)


# --- the satisfaction vote ------------------------------------------------------------------------------------


def test_the_satisfaction_rate_is_satisfied_and_mostly_over_votes_cast():
    assert satisfaction_rate(30, 50, 20) == Fraction(4, 5)
    assert satisfaction_rate(0, 0, 0) is None


# --- properties -------------------------------------------------------------------------------------------


marks = st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))


@st.composite
def elections(draw):
    n = draw(st.integers(1, 12))
    cands = draw(st.dictionaries(st.integers(1, 40), marks, min_size=1, max_size=n))
    return {
        "electorate": draw(st.integers(0, 120)),
        "seats": draw(st.integers(0, 10)),
        "counts": cands,
        "tie_rule": draw(st.sampled_from(["further_ballot", "leave_empty"])),
    }


@settings(max_examples=400, deadline=None)
@given(elections())
def test_the_chosen_never_exceed_n_nor_fall_at_or_below_half_of_all_deputies(e):
    result = tally(**e)
    assert len(result.chosen) <= e["seats"]
    assert len(set(result.chosen)) == len(result.chosen)
    for cid in result.chosen:
        assert 2 * e["counts"][cid][0] > e["electorate"]
    assert result.seats_left == e["seats"] - len(result.chosen)
    assert set(result.chosen).isdisjoint(result.runoff)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_every_seat_is_chosen_sent_to_a_required_further_ballot_or_a_shortfall(e):
    result = tally(**e)
    further = result.seats_left if result.runoff_required else 0
    assert len(result.chosen) + further + result.shortfall == e["seats"]
    assert result.runoff_required == (bool(result.tied) and e["tie_rule"] == "further_ballot")
    if result.runoff_required:
        assert len(result.runoff) > result.seats_left  # more tied than seats: that is what a tie is
        assert result.decisions == (True,)
    if result.tied and e["tie_rule"] == "leave_empty":
        assert result.runoff == [] and result.decisions == (False,)
    if not result.seats_left:
        assert result.decisions == ()


@settings(max_examples=400, deadline=None)
@given(elections())
def test_no_candidate_above_the_line_with_more_for_is_passed_over_except_the_tied(e):
    result = tally(**e)
    chosen = set(result.chosen)
    for cid in chosen:
        for other, (votes_for, _a, _b) in e["counts"].items():
            if other not in chosen and 2 * votes_for > e["electorate"]:
                assert votes_for <= e["counts"][cid][0]
                if votes_for == e["counts"][cid][0]:
                    assert result.candidates[other].outcome == TIED
    for cid, t in result.candidates.items():
        assert (t.outcome == CHOSEN) == (cid in chosen)
        assert (t.outcome == TIED) == (cid in result.tied)


@settings(max_examples=300, deadline=None)
@given(elections(), st.data())
def test_against_and_abstain_never_change_the_outcome(e, data):
    result = tally(**e)
    shuffled = {
        cid: (f, data.draw(st.integers(0, 99)), data.draw(st.integers(0, 99)))
        for cid, (f, _a, _b) in e["counts"].items()
    }
    other = tally(**{**e, "counts": shuffled})
    assert other.chosen == result.chosen
    assert other.runoff == result.runoff
    assert {c: t.outcome for c, t in other.candidates.items()} == {
        c: t.outcome for c, t in result.candidates.items()
    }
