"""The insights read across the wings, so their tests use the wings' fixtures: those of the cases tests and of
the voting tests (both define the same `haiyan_staff`; the cases one is taken)."""

from minsheng.cases.tests.conftest import (  # noqa: F401 (fixtures)
    assigned_wish,
    beneficiary_data,
    filed_wish,
    haiyan_government,
    haiyan_handler,
    haiyan_staff,
    wall_wish_committed,
    wish,
)
from minsheng.voting.tests.conftest import haiyan_session, second_staff, vote, voters  # noqa: F401 (fixtures)
