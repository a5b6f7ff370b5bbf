"""The votes' public pages in the cache (common/pagecache.py): the public results (with the open
solicitations) and a published vote's result page. The projects' public pages read the published satisfaction
votes, so they depend on this scope too. Bumped per congress by the services that change what they show."""

from minsheng.common import pagecache

RESULTS = "voting.public"


def congress_changed(congress_id: int) -> None:
    """The public vote pages are new once this transaction commits (and those of `congress_id`)."""
    pagecache.bump(RESULTS, key=congress_id)
