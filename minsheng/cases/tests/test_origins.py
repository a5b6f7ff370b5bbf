"""The registry the case page asks where a case came from (cases imports none of the apps that answer)."""

from minsheng.cases import origins


def test_a_provider_registered_twice_answers_once_and_silence_is_left_out(monkeypatch):
    monkeypatch.setattr(origins, "_providers", [])
    calls = []

    def from_somewhere(actor, case):
        calls.append((actor, case))
        return origins.Origin("somewhere/_origin.html", {"case": case})

    origins.register(from_somewhere)
    origins.register(from_somewhere)
    origins.register(lambda actor, case: None)
    assert origins.origins_for("actor", "case") == [
        origins.Origin("somewhere/_origin.html", {"case": "case"})
    ]
    assert calls == [("actor", "case")]
