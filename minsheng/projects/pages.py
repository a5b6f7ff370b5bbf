"""The projects' public pages in the cache (common/pagecache.py): the list (filtered per congress: its keyed
version) and a project's page. They show published satisfaction votes too (`voting.pages.RESULTS`)."""

from minsheng.common import pagecache

from .models import Project

PUBLIC = "projects.public"


def project_changed(project: Project) -> None:
    """The public project pages are new once this transaction commits (and those of its congress)."""
    pagecache.bump(PUBLIC, key=project.congress_id)
