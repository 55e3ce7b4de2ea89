"""The Confluence sandbox's page tree walks end even on a loop, which the API refuses to make but a
hand-edited --state file may hold (finding 1, round 2: one loop hung the whole sandbox)."""

from atlctl.sandbox.confluence.model import ConfluenceData
from atlctl.sandbox.store import Store


def test_ancestor_and_descendant_walks_end_on_a_loop():
    data = ConfluenceData(Store(), "confluence")
    data.add_space("DEMO", "Demo", "", "admin", 0.0)
    p1 = data.add_content("page", "P1", "DEMO", "", "admin", 0.0)
    p2 = data.add_content("page", "P2", "DEMO", "", "admin", 0.0, parent=p1.id)
    p3 = data.add_content("page", "P3", "DEMO", "", "admin", 0.0, parent=p2.id)
    assert data.moves_under(p1, p3) and data.moves_under(p1, p1) and not data.moves_under(p3, p1)
    p1.parent = p3.id  # the loop P1 -> P3 -> P2 -> P1
    assert [a.title for a in data.ancestors(p1)] == ["P2", "P3"]
    assert [d.title for d in data.descendants(p1)] == ["P2", "P3"]
    assert [d.title for d in data.descendants(p2)] == ["P3", "P1"]
