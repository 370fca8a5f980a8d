"""Every internal link and anchor of the built site resolves, in both languages.

External links cannot be checked here (no network); they are listed, and the separate,
non-blocking workflow .github/workflows/links.yml checks them.
"""

from __future__ import annotations

import pytest
from support.links import check_site
from support.site import Build, base_path

pytestmark = pytest.mark.site


def test_every_internal_link_and_anchor_resolves(build: Build) -> None:
    broken, external = check_site(build.site, base_path())
    zh_pages = list((build.site / "zh").rglob("index.html"))
    assert len(zh_pages) >= 10, "the Chinese pages were not built"
    print(f"{len(external)} external links (checked by .github/workflows/links.yml)")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:50])
