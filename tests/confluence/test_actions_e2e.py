"""Confluence actions through the CLI against the sandbox: ACLI names and parameters, text/csv/json
output, bad input as one-line errors with their exit codes, run-script variables and crash recovery."""

import json
import os
import signal
import subprocess
import sys
import threading

from tests.confluence.conftest import ALICE_TOKEN, ERIN_PASSWORD
from tests.helpers import NO_CONFIG, STATE, _python_path, run
from tests.proxy import ForwardProxy

ATLCTL = os.path.join(os.path.dirname(sys.executable), "atlctl")

PASSWORD = {"ATLCTL_PASSWORD": ERIN_PASSWORD}


def dc(cf, *argv, **kwargs):
    return run("confluence", *argv, "-s", cf.dc, "-u", "erin", environ=PASSWORD, **kwargs)


def test_a_byte_order_mark_is_no_part_of_a_page_from_a_file(cf, tmp_path):
    """Finding 10: Markdown saved by Notepad starts with a byte-order mark, which made the title a
    paragraph ("<p>\ufeff# Title</p>"); it is dropped, as from a CSV file."""
    page = tmp_path / "page.md"
    page.write_bytes("\ufeff# Title\n\nBody.\n".encode())
    added = dc(cf, "addPage", "--space", "DEMO", "--title", "Marked", "--file", page, "--markdown")
    assert added.code == 0, added.err
    page_id = added.out.split("id: ")[1].split(".")[0]
    assert dc(cf, "getPageSource", "--id", page_id).out == "<h1>Title</h1><p>Body.</p>\n"


def test_content_from_standard_input(cf):
    added = dc(cf, "addPage", "--space", "DEMO", "--title", "Piped", "--file", "-", "--markdown", stdin="# Piped\n\nIn.")
    assert added.code == 0, added.err
    page_id = added.out.split("id: ")[1].split(".")[0]
    assert dc(cf, "getPageSource", "--id", page_id).out == "<h1>Piped</h1><p>In.</p>\n"
    modified = dc(cf, "modifyPage", "--id", page_id, "--file", "-", stdin="<p>Changed.</p>")
    assert modified.code == 0, modified.err
    assert dc(cf, "getPageSource", "--id", page_id).out == "<p>Changed.</p>\n"
    commented = dc(cf, "addComment", "--id", page_id, "--file", "-", stdin="<p>piped comment</p>")
    assert commented.code == 0, commented.err
    assert "<p>piped comment</p>" in dc(cf, "getCommentList", "--id", page_id, "--output", "csv").out
    both = run("confluence", "addComment", "-s", cf.dc, "-u", "erin", "--password", "-", "--id", page_id,
               "--file", "-", stdin=ERIN_PASSWORD + "\n")
    assert both.code == 254 and "--file - and --password - both ask for it" in both.err


def test_page_life_cycle(cf, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# Release\n\nShips **today**.\n\n- one\n- two\n")
    added = dc(cf, "addPage", "--space", "DEMO", "--title", "Release notes", "--file", notes, "--markdown",
               "--parent", "Getting started")
    assert added.code == 0, added.err
    assert added.out.startswith("Page 'Release notes' added with id: 65539. URL: ")
    source = dc(cf, "getPageSource", "--id", "65539")
    assert source.out == "<h1>Release</h1><p>Ships <strong>today</strong>.</p><ul><li>one</li><li>two</li></ul>\n"
    page = dc(cf, "getPage", "--space", "DEMO", "--title", "Release notes")
    assert "Parent  . . . . . . . : Getting started" in page.out and "Version . . . . . . . : 1" in page.out
    modified = dc(cf, "modifyPage", "--id", "65539", "--content", "<p>later</p>", "--newTitle", "Release notes 1.0",
                  "--comment", "retitled")
    assert modified.out == "Page 'Release notes 1.0' updated to version 2 (id: 65539).\n"
    stored = dc(cf, "storePage", "--space", "DEMO", "--title", "Release notes 1.0", "--content", "<p>v3</p>")
    assert stored.out == "Page 'Release notes 1.0' updated to version 3 (id: 65539).\n"
    created = dc(cf, "storePage", "--space", "DEMO", "--title", "Brand new", "--content", "<p>x</p>")
    assert created.out.startswith("Page 'Brand new' added with id: 65540.")
    listed = dc(cf, "getPageList", "--space", "DEMO", "--output", "json")
    assert [p["title"] for p in json.loads(listed.out)] == ["Demo Home", "Getting started", "Release notes 1.0", "Brand new"]
    children = dc(cf, "getPageList", "--space", "DEMO", "--parent", "Getting started", "--output", "csv")
    assert children.out.splitlines()[0] == "Id,Title,Space,Version,Last modified,URL"
    assert children.out.splitlines()[1].startswith("65539,Release notes 1.0,DEMO,3,")
    found = dc(cf, "getPageList", "--cql", 'title ~ "release"')
    assert found.out.startswith("1 pages in list\n")
    assert dc(cf, "removePage", "--id", "65539").out == "Page 'Release notes 1.0' removed (id: 65539).\n"
    gone = dc(cf, "getPage", "--id", "65539")
    assert gone.code == 253 and gone.err == "Remote error: No content found with id : ContentId{id=65539}\n"


def test_spaces(cf):
    added = dc(cf, "addSpace", "--space", "TEAM", "--name", "Team space", "--description", "ours")
    assert added.out == "Space TEAM added with name: Team space.\n"
    space = dc(cf, "getSpace", "--space", "TEAM")
    assert "Home page . . . . . . : Team space Home" in space.out and "Description . . . . . : ours" in space.out
    spaces = dc(cf, "getSpaceList", "--regex", "^T")
    assert spaces.out.startswith("1 spaces in list\n") and "TEAM" in spaces.out
    again = dc(cf, "addSpace", "--space", "TEAM")
    assert again.code == 253 and "A space already exists with key TEAM" in again.err
    refused = run("confluence", "removeSpace", "-s", cf.dc, "-u", "alice", "--password", "alice", "--space", "TEAM")
    assert refused.code == 253 and "does not have permission to delete space TEAM" in refused.err
    assert dc(cf, "removeSpace", "--space", "TEAM").out == "Space TEAM removed.\n"
    missing = dc(cf, "getSpace", "--space", "TEAM")
    assert (missing.code, missing.err) == (253, "Remote error: No space with key : TEAM\n")


def test_comments_labels_attachments(cf, tmp_path):
    page = ("--space", "DEMO", "--title", "Getting started")
    assert dc(cf, "addComment", *page, "--comment", "<p>first</p>").out.startswith("Comment added to page 'Getting started' with id: ")
    comments = dc(cf, "getCommentList", *page, "--output", "csv")
    assert comments.out.splitlines()[1].endswith(",Erin Example," + comments.out.splitlines()[1].split(",")[2] + ",<p>first</p>")
    assert dc(cf, "addLabels", *page, "--labels", "howto, onboarding").out == (
        "Labels howto, onboarding added to page 'Getting started'.\n")
    assert "howto" in dc(cf, "getLabelList", "--id", "65538").out
    assert dc(cf, "removeLabels", *page, "--labels", "howto").code == 0
    assert "howto" not in dc(cf, "getLabelList", "--id", "65538").out
    content = dc(cf, "getContentList", "--cql", "label = onboarding", "--output", "json")
    assert [c["id"] for c in json.loads(content.out)] == ["65538"]
    upload = tmp_path / "diagram.txt"
    upload.write_text("v1")
    first = dc(cf, "addAttachment", *page, "--file", upload)
    assert first.code == 0 and "(version 1)" in first.out
    upload.write_text("v2")
    second = dc(cf, "addAttachment", *page, "--file", upload, "--comment", "newer")
    assert "(version 2)" in second.out
    listed = dc(cf, "getAttachmentList", *page)
    assert listed.out.startswith("1 attachments in list\n") and "diagram.txt" in listed.out
    target = tmp_path / "out.txt"
    assert dc(cf, "getAttachment", *page, "--name", "diagram.txt", "--file", target).code == 0
    assert target.read_text() == "v2"


def test_an_attachment_from_standard_input_takes_its_name(cf, tmp_path):
    """Review finding 10: `--file -` is standard input, as for Jira's addAttachment; --name names it."""
    page = ("--space", "DEMO", "--title", "Getting started")
    piped = dc(cf, "addAttachment", *page, "--file", "-", "--name", "piped.txt", stdin="from a pipe")
    assert piped.code == 0 and "Attachment 'piped.txt' added to page 'Getting started'" in piped.out, piped.err
    target = tmp_path / "out.txt"
    assert dc(cf, "getAttachment", *page, "--name", "piped.txt", "--file", target).code == 0
    assert target.read_text() == "from a pipe"
    nameless = dc(cf, "addAttachment", *page, "--file", "-", stdin="data")
    assert (nameless.code, nameless.err) == (254, "--file - (standard input) has no file name: give the "
                                                  "attachment's --name.\n")


def test_labels_are_a_list_and_a_parent_id_is_ascii_digits(cf):
    """Review finding 4: --labels is read as every list (values.list_items; blanks also separate labels,
    which cannot hold one); --parent is an id only in ASCII digits, else a title."""
    page = ("--space", "DEMO", "--title", "Getting started")
    added = dc(cf, "addLabels", *page, "--labels", "'quoted' two words,,last")
    assert added.out == "Labels quoted, two, words, last added to page 'Getting started'.\n", added.err
    arabic = dc(cf, "addPage", "--space", "DEMO", "--title", "Child", "--content", "x", "--parent", "\u0663")
    assert (arabic.code, arabic.err) == (255, "Client error: Parent page '\u0663' not found in space DEMO.\n")


def test_bad_input_is_one_line_with_its_exit_code(cf, tmp_path):
    no_page = dc(cf, "getPage", "--space", "DEMO")
    assert (no_page.code, no_page.err) == (254, "Give --id, or --space and --title, to name the page.\n")
    no_content = dc(cf, "addPage", "--space", "DEMO", "--title", "Empty")
    assert no_content.code == 254 and "content (or file)" in no_content.err
    missing_file = dc(cf, "addPage", "--space", "DEMO", "--title", "X", "--file", tmp_path / "nope.md")
    assert missing_file.code == 254 and missing_file.err.startswith("Cannot read file ")
    bad_cql = dc(cf, "getContentList", "--cql", "title =")
    assert (bad_cql.code, bad_cql.err) == (253, "Remote error: Could not parse cql : title =\n")
    bad_limit = dc(cf, "getPageList", "--space", "DEMO", "--limit", "zero")
    assert bad_limit.code == 254 and "--limit" in bad_limit.err
    duplicate = dc(cf, "addPage", "--space", "DEMO", "--title", "Getting started", "--content", "x")
    assert duplicate.code == 253 and "A page already exists with the title Getting started" in duplicate.err
    traversal = dc(cf, "getPage", "--id", "..")
    assert traversal.code == 254 and "Invalid key or id" in traversal.err


def test_run_script_variables_and_cloud(cf, tmp_path):
    script = tmp_path / "cloud.txt"
    script.write_text('addPage --space DEMO --title "From a script" --content "<p>x</p>"\n'
                      "addLabels --id @pageId@ --labels scripted\n"
                      "getPageList --cql \"label = scripted\"\n")
    outcome = run("confluencecloud", "run", "--file", script, "-s", cf.cloud, "-u", "alice@example.com", "--token", ALICE_TOKEN)
    assert outcome.code == 0, outcome.err
    assert "From a script" in outcome.out and "3 actions were successful" in outcome.out


class HoldingProxy(ForwardProxy):
    """Holds back the answer to the first page create: the sandbox has made the page, atlctl never hears."""

    def __init__(self):
        self.held, self.release = threading.Event(), threading.Event()
        super().__init__()

    def hold(self, method: str, path: str):
        if method == "POST" and path.endswith("/rest/api/content") and not self.held.is_set():
            self.held.set()
            return self.release
        return None


def test_sigkill_during_add_page_then_resume_finds_the_page_by_space_and_title(cf, tmp_path):
    script = tmp_path / "pages.txt"
    script.write_text('addPage --space DEMO --title "Once only" --content "<p>1</p>"\n'
                      'addPage --space DEMO --title "Second" --content "<p>2</p>"\n')
    proxy = HoldingProxy()
    command = [ATLCTL, "confluence", "run", "--file", str(script), "--resume", "-s", cf.dc, "-u", "erin",
               "--proxy", proxy.url]
    env = {**os.environ, **_python_path(), "ATLCTL_PASSWORD": ERIN_PASSWORD, "ATLCTL_CONFIG": NO_CONFIG,
           "XDG_STATE_HOME": STATE}
    try:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        assert proxy.held.wait(30)
        process.send_signal(signal.SIGKILL)
        process.wait()
        proxy.release.set()
        final = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    finally:
        proxy.close()
    assert final.returncode == 0, final.stderr
    assert "found after the interruption, not added again" in final.stdout
    titles = [p["title"] for p in cf.http.get(cf.dc + "/rest/api/content", params={"spaceKey": "DEMO", "limit": 50},
                                              auth=("erin", ERIN_PASSWORD)).json()["results"]]
    assert titles.count("Once only") == 1 and titles.count("Second") == 1


def test_a_page_cannot_move_under_a_page_below_it(cf):
    """Finding 1 (round 2): modifyPage --parent with a page below the page hung the sandbox. By title
    atlctl knows the parent's ancestors and refuses before sending (254); by id it sends, and
    explains Confluence's 400. The sandbox answers on, on DC and Cloud."""
    cloud = ("-s", cf.cloud, "-u", "alice@example.com", "--token", ALICE_TOKEN)
    for product, who in (("confluence", ("-s", cf.dc, "-u", "erin")), ("confluencecloud", cloud)):
        def c(*argv):
            return run(product, *argv, *who, environ=PASSWORD)

        assert c("addPage", "--space", "DEMO", "--title", f"P1 {product}", "--content", "<p>1</p>").code == 0
        p2 = c("addPage", "--space", "DEMO", "--title", f"P2 {product}", "--parent", f"P1 {product}", "--content", "<p>2</p>")
        p2_id = p2.out.split("id: ")[1].split(".")[0]
        by_title = c("modifyPage", "--space", "DEMO", "--title", f"P1 {product}", "--parent", f"P2 {product}", "--timeout", "5")
        assert (by_title.code, by_title.err) == (254, f"Page 'P2 {product}' is below page 'P1 {product}', "
                                                      "which cannot move under a page below it: give another --parent "
                                                      "(or move that page elsewhere first).\n")
        by_id = c("modifyPage", "--space", "DEMO", "--title", f"P1 {product}", "--parent", p2_id, "--timeout", "5")
        assert (by_id.code, by_id.err) == (253, f"Remote error: Confluence refused to move page 'P1 {product}' under page "
                                                f"{p2_id}: that page is below 'P1 {product}', and a page cannot move under a "
                                                f"page below it. Give another --parent (or move page {p2_id} elsewhere first).\n")
        itself = c("modifyPage", "--space", "DEMO", "--title", f"P1 {product}", "--parent", f"P1 {product}")
        assert itself.code == 254 and f"Page 'P1 {product}' cannot be its own parent" in itself.err
        page = c("getPage", "--space", "DEMO", "--title", f"P1 {product}")
        assert page.code == 0 and "Parent  . . . . . . . : Demo Home" in page.out and "Version . . . . . . . : 1" in page.out
