import pytest

from minsheng.demo.services import demo_build


@pytest.fixture
def demo(db):
    """The demo at tiny scale (Jiangmen, ~1% of its deputies) with every account (its cases are tested in
    minsheng/demo/tests/test_stats_demo.py)."""
    return demo_build(scale="tiny", seed=20261127, cases=False)
