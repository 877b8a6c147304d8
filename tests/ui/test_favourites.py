"""Favourite folders pinned on top of the folder tree: the pure ordering and the tree."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from olk_tui.domain.ids import FolderId
from olk_tui.domain.mail import Folder
from olk_tui.ui.mail.favourites import STAR, folder_paths, pin
from olk_tui.ui.mail.folders import FolderTree
from tests.ui.conftest import build_app
from tests.ui.test_mail_journeys import settle, the_list


def folders() -> list[Folder]:
    return [Folder(FolderId(i), n, FolderId(p) if p else None, w, is_hidden=h)
            for i, n, p, w, h in (
                ("root", "Top of Information Store", None, None, True),
                ("inbox", "Inbox", "root", "inbox", False),
                ("proj", "Projects", "root", None, False),
                ("apollo", "Apollo", "proj", None, False),
                ("apollo2", "Apollo", "inbox", None, False),
                ("old", "Apollo", None, None, False),
                ("rec", "Receipts", "inbox", None, False),
                ("secret", "Secret", "root", None, True))]


def names(found) -> list[str]:
    return [f.id for f in found.folders]


def test_paths_and_names_in_config_order() -> None:
    found = pin(folders(), ["Receipts", "Projects/Apollo", "inbox"])
    assert names(found) == ["rec", "apollo", "inbox"]
    assert found.unknown == []


def test_path_matching_ignores_case_spacing_and_slashes_round_it() -> None:
    assert names(pin(folders(), [" projects / apollo "])) == []  # spaces inside a name count
    assert names(pin(folders(), ["/PROJECTS/apollo/"])) == ["apollo"]
    assert names(pin(folders(), ["Inbox/Apollo"])) == ["apollo2"]


def test_bare_name_shared_by_several_takes_the_one_nearest_the_top() -> None:
    assert names(pin(folders(), ["Apollo"])) == ["old"]


def test_unknown_hidden_blank_and_duplicates() -> None:
    found = pin(folders(), ["Nope", "Secret", "", "Inbox", "INBOX", "Nope"])
    assert names(found) == ["inbox"]
    assert found.unknown == ["Nope", "Secret"]


def test_a_parent_cycle_in_bad_data_ends_the_path() -> None:
    loop = [Folder(FolderId("a"), "A", FolderId("b")), Folder(FolderId("b"), "B", FolderId("a"))]
    paths = folder_paths(loop)
    assert set(paths) == {"a", "b"} and all(len(p) <= 2 for p in paths.values())


@given(st.lists(st.text(max_size=12), max_size=8))
def test_pinned_are_known_unique_and_everything_else_is_reported(entries) -> None:
    found = pin(folders(), entries)
    ids = names(found)
    assert len(ids) == len(set(ids))
    assert all(not f.is_hidden for f in found.folders)
    assert len(found.unknown) == len(set(found.unknown))
    assert set(found.unknown) <= set(entries)


def labels(tree: FolderTree) -> list[str]:
    return [node.label.plain for node in tree.root.children]


async def test_tree_shows_favourites_first_with_a_star_and_warns_once() -> None:
    app, _mail = build_app(favourites=("Projects/Contoso Launch", "newsletters", "Nope",
                                       "Inbox"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        tree = app.screen.query_one(FolderTree)
        top = labels(tree)
        assert [t.split(" ")[0] for t in top[:3]] == [STAR] * 3
        assert top[0].startswith(f"{STAR} Contoso Launch")
        assert top[1].startswith(f"{STAR} Newsletters")
        assert top[2].startswith(f"{STAR} Inbox")
        assert top[3].startswith("Inbox") and not any(STAR in t for t in top[3:])
        # the pinned folders stay where they are, too
        assert any(n.label.plain.startswith("Contoso Launch")
                   for p in tree.root.children for n in p.children)
        warned = [n for n in app._notifications if "Nope" in n.message]
        assert len(warned) == 1
        tree.show(list(tree.folders.values()), None)
        await pilot.pause()
        assert len([n for n in app._notifications if "Nope" in n.message]) == 1
        # Enter on a favourite opens that folder
        tree.move_cursor(tree.root.children[1])
        tree.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        source = the_list(app).source
        assert source is not None and source.folder_id == FolderId("f-news")
        assert tree.cursor_node is tree.root.children[1]  # the cursor stays on the favourite


async def test_no_favourites_leaves_the_tree_as_it_was() -> None:
    app, _mail = build_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        tree = app.screen.query_one(FolderTree)
        assert not any(STAR in t for t in labels(tree))
        assert labels(tree)[0].startswith("Inbox")
