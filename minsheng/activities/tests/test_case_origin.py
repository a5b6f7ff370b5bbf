"""Activities tells the case page of a case's reception through the registry of cases (`cases.origins`)."""

from minsheng.activities import services
from minsheng.activities.selectors import case_reception_origin
from minsheng.cases import origins


def test_activities_registers_the_reception_line_with_the_case_page():
    assert case_reception_origin in origins._providers


def test_the_line_names_no_reception_to_a_reader_who_may_not_read_it(
    make_reception, station_staff, kaiping_staff
):
    reception = make_reception()
    case = services.reception_to_case(actor=station_staff, reception_id=reception.pk)
    shown = case_reception_origin(station_staff, case)
    assert shown.template == "activities/_case_origin.html"
    assert [r.pk for r in shown.context["receptions"]] == [reception.pk]
    assert case_reception_origin(kaiping_staff, case) is None
