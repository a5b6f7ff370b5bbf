"""The counting rule: threshold on all deputies, ties at the N-th place, fewer than N above the line."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from minsheng.voting.tally import BELOW, CHOSEN, OUTRANKED, TIED, satisfaction_rate, tally


def counts(*fors, against=0, abstain=0):
    return {i + 1: (f, against, abstain) for i, f in enumerate(fors)}


def test_the_threshold_is_more_than_half_of_all_deputies_not_of_those_present():
    # 100 deputies, 60 present: 40 for is a majority of those present but not of all deputies
    result = tally(electorate=100, present=60, seats=2, counts=counts(51, 50, 40))
    assert result.needed == 51
    assert result.chosen == [1]
    assert result.candidates[2].outcome == BELOW
    assert result.candidates[3].outcome == BELOW


def test_exactly_half_is_not_enough():
    result = tally(electorate=10, present=10, seats=1, counts=counts(5, 4))
    assert result.chosen == []
    assert result.threshold == Fraction(5)


def test_the_threshold_on_those_present_when_the_congress_says_so():
    result = tally(electorate=100, present=60, seats=2, counts=counts(51, 40, 30), threshold_base="present")
    assert result.needed == 31
    assert result.chosen == [1, 2]
    assert result.candidates[3].outcome == BELOW


def test_the_best_above_the_line_are_chosen_up_to_n():
    result = tally(electorate=10, present=10, seats=2, counts=counts(6, 9, 7, 8))
    assert result.chosen == [2, 4]
    assert result.candidates[3].outcome == OUTRANKED
    assert result.candidates[1].outcome == OUTRANKED
    assert result.runoff == []
    assert result.seats_left == 0
    assert [result.candidates[c].rank for c in (2, 4, 3, 1)] == [1, 2, 3, 4]


def test_a_tie_across_the_nth_place_goes_to_a_further_ballot_among_the_tied():
    result = tally(electorate=10, present=10, seats=2, counts=counts(9, 7, 7, 2))
    assert result.chosen == [1]
    assert sorted(result.runoff) == [2, 3]
    assert result.seats_left == 1
    assert result.candidates[2].outcome == TIED
    assert result.candidates[3].outcome == TIED
    assert result.candidates[2].rank == result.candidates[3].rank == 2


def test_a_tie_that_fits_into_the_seats_is_no_tie():
    result = tally(electorate=10, present=10, seats=2, counts=counts(7, 7, 6))
    assert sorted(result.chosen) == [1, 2]
    assert result.runoff == []
    assert result.candidates[3].outcome == OUTRANKED


def test_fewer_than_n_above_the_line_leaves_seats_for_a_further_ballot_among_the_others():
    result = tally(electorate=10, present=10, seats=3, counts=counts(8, 6, 5, 2))
    assert result.chosen == [1, 2]
    assert result.seats_left == 1
    assert sorted(result.runoff) == [3, 4]
    assert result.candidates[3].outcome == BELOW


def test_leaving_the_seats_empty_names_no_further_ballot():
    result = tally(electorate=10, present=10, seats=2, counts=counts(9, 7, 7), tie_rule="leave_empty")
    assert result.chosen == [1]
    assert result.runoff == []
    assert result.seats_left == 1
    assert result.tie


def test_against_and_abstentions_are_counted_but_not_toward_the_threshold():
    result = tally(electorate=10, present=10, seats=1, counts={1: (5, 0, 5), 2: (3, 7, 0)})
    assert result.chosen == []
    assert (result.candidates[1].votes_against, result.candidates[1].abstentions) == (0, 5)
    assert result.candidates[2].votes_against == 7


def test_the_satisfaction_rate_is_satisfied_and_mostly_over_votes_cast():
    assert satisfaction_rate(30, 50, 20) == Fraction(4, 5)
    assert satisfaction_rate(0, 0, 0) is None


marks = st.tuples(st.integers(0, 60), st.integers(0, 60), st.integers(0, 60))


@st.composite
def elections(draw):
    n = draw(st.integers(1, 12))
    cands = draw(st.dictionaries(st.integers(1, 40), marks, min_size=1, max_size=n))
    electorate = draw(st.integers(0, 120))
    present = draw(st.integers(0, electorate))
    seats = draw(st.integers(0, 10))
    base = draw(st.sampled_from(["all", "present"]))
    return {
        "electorate": electorate,
        "present": present,
        "seats": seats,
        "counts": cands,
        "threshold_base": base,
    }


@settings(max_examples=400, deadline=None)
@given(elections())
def test_the_chosen_never_exceed_n_nor_fall_at_or_below_the_threshold(e):
    result = tally(**e)
    base = e["electorate"] if e["threshold_base"] == "all" else e["present"]
    assert len(result.chosen) <= e["seats"]
    assert len(set(result.chosen)) == len(result.chosen)
    for cid in result.chosen:
        assert 2 * e["counts"][cid][0] > base
    assert result.seats_left == e["seats"] - len(result.chosen)
    assert set(result.chosen).isdisjoint(result.runoff)


@settings(max_examples=400, deadline=None)
@given(elections())
def test_no_candidate_above_the_line_with_more_for_is_passed_over_except_ties_sent_to_a_further_ballot(e):
    result = tally(**e)
    base = e["electorate"] if e["threshold_base"] == "all" else e["present"]
    chosen = set(result.chosen)
    for cid in chosen:
        for other, (votes_for, _a, _b) in e["counts"].items():
            if other not in chosen and 2 * votes_for > base:
                assert votes_for <= e["counts"][cid][0]
                if votes_for == e["counts"][cid][0]:
                    assert result.candidates[other].outcome == TIED
    for cid, t in result.candidates.items():
        assert (t.outcome == CHOSEN) == (cid in chosen)


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
