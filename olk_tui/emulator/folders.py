"""``/me`` and mail folder endpoints: list (paged, ``includeHiddenFolders``), get by id or
well-known name, childFolders, create (201), rename (PATCH 200), delete (204), move/copy (201)."""

from __future__ import annotations

import copy
from typing import Any

from olk_tui.emulator.odata import paged, parse_query, select_fields
from olk_tui.emulator.router import GraphError, Request, Response, Router
from olk_tui.emulator.state import Mailbox

FOLDER_PROPERTIES = frozenset(
    "id displayName parentFolderId childFolderCount unreadItemCount totalItemCount isHidden "
    "wellKnownName childFolders messages messageRules multiValueExtendedProperties "
    "singleValueExtendedProperties".split())


def register(router: Router) -> None:
    """Add the /me and mailFolders routes."""
    router.add("GET", "/me", get_me)
    router.add("GET", "/me/mailFolders", list_top_folders)
    router.add("POST", "/me/mailFolders", create_top_folder)
    router.add("GET", "/me/mailFolders/{fid}", get_folder)
    router.add("PATCH", "/me/mailFolders/{fid}", update_folder)
    router.add("DELETE", "/me/mailFolders/{fid}", delete_folder)
    router.add("GET", "/me/mailFolders/{fid}/childFolders", list_child_folders)
    router.add("POST", "/me/mailFolders/{fid}/childFolders", create_child_folder)
    router.add("GET", "/me/mailFolders/{fid}/childFolders/{cid}", get_child_folder)
    router.add("GET", "/me/mailFolders/{pid}/childFolders/{fid}/childFolders",
               list_child_folders)
    router.add("POST", "/me/mailFolders/{fid}/move", move_folder)
    router.add("POST", "/me/mailFolders/{fid}/copy", copy_folder)


def box(req: Request) -> Mailbox:
    """The request's mailbox (routes under /me always have one)."""
    assert req.mailbox is not None
    return req.mailbox


def folder_or_404(req: Request, key: str = "fid") -> dict[str, Any]:
    """The folder named by a path parameter (id or well-known name), or a Graph 404."""
    folder = box(req).resolve_folder(req.params[key])
    if folder is None:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return folder


def get_me(req: Request) -> Response:
    """GET /me: the signed-in user."""
    me = dict(box(req).me)
    q = parse_query(req.query, known=None, entity="user", allow_search=False)
    return Response.ok({"@odata.context": req.context_url("users/$entity"),
                        **select_fields(me, q.select, always=("id",))})


def _entity_ctx(req: Request) -> str:
    return req.context_url(f"users('{box(req).user_id}')/mailFolders/$entity")


def _render(mb: Mailbox, folder: dict[str, Any], select: list[str] | None) -> dict[str, Any]:
    return select_fields(mb.folder_view(folder["id"]), select, always=("id",))


def _list(req: Request, parent: str | None, context: str) -> Response:
    mb = box(req)
    hidden = req.query.get("includeHiddenFolders", "").lower() == "true"

    def parse(query: dict[str, str]) -> Any:
        clean = {k: v for k, v in query.items() if k != "includeHiddenFolders"}
        q = parse_query(clean, known=FOLDER_PROPERTIES, entity="mailFolder",
                        allow_search=False, expandable=frozenset({"childFolders"}))
        q.raw = dict(query)
        return q

    def compute(q: Any) -> list[dict[str, Any]]:
        show_hidden = hidden or q.raw.get("includeHiddenFolders", "").lower() == "true"
        folders = [f for f in mb.folder_children(parent)
                   if show_hidden or not f.get("isHidden")]
        folders.sort(key=lambda f: str(f.get("displayName", "")).lower())
        if q.filter is not None:
            folders = [f for f in folders if q.filter.predicate(mb.folder_view(f["id"]))]
        return folders

    def render(folder: dict[str, Any], q: Any) -> dict[str, Any]:
        out = _render(mb, folder, q.select)
        if "childFolders" in q.expand:
            out["childFolders"] = [_render(mb, c, None) for c in mb.folder_children(folder["id"])]
        return out

    return paged(req, compute=compute, render=render, context=context, parse=parse)


def list_top_folders(req: Request) -> Response:
    """GET /me/mailFolders: top-level folders, 10 per page by default."""
    return _list(req, None, f"users('{box(req).user_id}')/mailFolders")


def list_child_folders(req: Request) -> Response:
    """GET /me/mailFolders/{id}/childFolders."""
    folder = folder_or_404(req)
    return _list(req, folder["id"],
                 "users('{}')/mailFolders('{}')/childFolders".format(box(req).user_id,
                                                                      folder["id"]))


def get_folder(req: Request) -> Response:
    """GET /me/mailFolders/{id-or-well-known-name}."""
    folder = folder_or_404(req)
    q = parse_query(req.query, known=FOLDER_PROPERTIES, entity="mailFolder", allow_search=False)
    return Response.ok({"@odata.context": _entity_ctx(req),
                        **_render(box(req), folder, q.select)})


def get_child_folder(req: Request) -> Response:
    """GET /me/mailFolders/{id}/childFolders/{id}."""
    parent = folder_or_404(req)
    child = folder_or_404(req, "cid")
    if child["parentFolderId"] != parent["id"]:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return Response.ok(_render(box(req), child, None))


def _create(req: Request, parent_id: str | None) -> Response:
    mb = box(req)
    data = req.json_object()
    name = data.get("displayName")
    if not isinstance(name, str) or not name.strip():
        raise GraphError(400, "ErrorInvalidRequest", "The displayName property is required.")
    for sibling in mb.folder_children(parent_id):
        if str(sibling.get("displayName", "")).lower() == name.lower():
            raise GraphError(409, "ErrorFolderExists",
                             "A folder with the specified name already exists.")
    resource = {k: v for k, v in data.items() if k not in ("id", "parentFolderId")}
    folder = mb.add_folder(name, parent_id, resource=resource)
    return Response.ok({"@odata.context": _entity_ctx(req),
                        **_render(mb, folder, None)}, status=201)


def create_top_folder(req: Request) -> Response:
    """POST /me/mailFolders -> 201 with the folder."""
    return _create(req, None)


def create_child_folder(req: Request) -> Response:
    """POST /me/mailFolders/{id}/childFolders -> 201 with the folder."""
    return _create(req, folder_or_404(req)["id"])


def update_folder(req: Request) -> Response:
    """PATCH /me/mailFolders/{id}: rename -> 200 with the folder."""
    mb = box(req)
    folder = folder_or_404(req)
    data = req.json_object()
    name = data.get("displayName")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise GraphError(400, "ErrorInvalidRequest", "The displayName property is invalid.")
    mb.update_folder(folder["id"], data)
    return Response.ok({"@odata.context": _entity_ctx(req),
                        **_render(mb, folder, None)})


def _is_distinguished(mb: Mailbox, folder_id: str) -> bool:
    return folder_id in mb.well_known.values()


def delete_folder(req: Request) -> Response:
    """DELETE /me/mailFolders/{id} -> 204 (well-known folders cannot be deleted)."""
    mb = box(req)
    folder = folder_or_404(req)
    if _is_distinguished(mb, folder["id"]):
        raise GraphError(403, "ErrorDeleteDistinguishedFolder",
                         "Distinguished folders cannot be deleted.")
    mb.delete_folder(folder["id"])
    return Response.empty(204)


def _destination(req: Request) -> str:
    mb = box(req)
    dest = req.json_object().get("destinationId")
    if not isinstance(dest, str) or not dest:
        raise GraphError(400, "ErrorInvalidRequest", "The destinationId parameter is required.")
    if dest.lower() == "msgfolderroot" or dest == mb.root_id:
        return mb.root_id
    folder = mb.resolve_folder(dest)
    if folder is None:
        raise GraphError(404, "ErrorItemNotFound",
                         "The specified object was not found in the store.")
    return str(folder["id"])


def move_folder(req: Request) -> Response:
    """POST /me/mailFolders/{id}/move {destinationId} -> 201 with the folder."""
    mb = box(req)
    folder = folder_or_404(req)
    dest = _destination(req)
    if _is_distinguished(mb, folder["id"]):
        raise GraphError(403, "ErrorMoveDistinguishedFolder",
                         "Distinguished folders cannot be moved.")
    _refuse_own_subtree(mb, folder["id"], dest)
    mb.move_folder(folder["id"], dest)
    return Response.ok(_render(mb, folder, None), status=201)


def _refuse_own_subtree(mb: Mailbox, folder_id: str, dest: str) -> None:
    cursor: str | None = dest
    while cursor and cursor in mb.folders:
        if cursor == folder_id:
            raise GraphError(400, "ErrorMoveCopyFailed",
                             "Cannot move or copy a folder into itself or one of its subfolders.")
        cursor = mb.folders[cursor]["parentFolderId"]


def copy_folder(req: Request) -> Response:
    """POST /me/mailFolders/{id}/copy {destinationId} -> 201 with the new folder."""
    mb = box(req)
    folder = folder_or_404(req)
    dest = _destination(req)
    _refuse_own_subtree(mb, folder["id"], dest)
    new = _copy_tree(mb, folder["id"], None if dest == mb.root_id else dest)
    return Response.ok(_render(mb, new, None), status=201)


def _copy_tree(mb: Mailbox, folder_id: str, parent: str | None) -> dict[str, Any]:
    src = mb.folders[folder_id]
    resource = {k: copy.deepcopy(v) for k, v in src.items()
                if k not in ("id", "parentFolderId", "childFolderCount", "unreadItemCount",
                             "totalItemCount")}
    new = mb.add_folder(src.get("displayName"), parent, resource=resource)
    for mid in list(mb.sorted_ids(folder_id)):
        mb.copy_message(mid, new["id"])
    for child in list(mb.folder_children(folder_id)):
        _copy_tree(mb, child["id"], new["id"])
    return new
