"""Join PDFs that WeasyPrint made of a packet's parts into one tagged PDF (PDF/UA), as if it
had been laid out in one piece: one structure tree, one outline, one set of named destinations.

WeasyPrint writes each part with a structure tree whose root holds one Document element, a
parent tree (numbers from 0 for pages, then for link annotations), named destinations for every
element with an id, and an outline. Joining renumbers each later part's parent-tree keys past
the earlier parts', moves its Document element's children under the first part's, merges the
named destinations (a link in one part may point into another), and lays the outlines end to
end: every part begins with a top-level entry, so the tree is the one a single document gets.
"""

from __future__ import annotations

import io
import itertools
from typing import Any

# A link in one part to an element of another is written as this kind of address (WeasyPrint
# drops a link to an anchor its own document lacks); the join turns it into a named
# destination of the whole packet.
PART_LINK = "askfirst-part:"


class MissingAnchor(ValueError):
    """A link across parts to an element no part has."""


def _nums(root: Any) -> list[tuple[int, Any]]:
    tree = root.Root.StructTreeRoot.ParentTree
    if "/Kids" in tree:  # pragma: no cover - WeasyPrint writes one flat number tree
        raise ValueError("a parent tree with kids is not supported")
    nums = tree.Nums
    return [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]


def _outline(root: Any) -> list[Any]:
    """A part's top-level outline entries."""
    outlines = root.Root.get("/Outlines")
    entries = []
    entry = outlines.get("/First") if outlines is not None else None
    while entry is not None:
        entries.append(entry)
        entry = entry.get("/Next")
    return entries


def _copy_outline(out: Any, entry: Any, parent: Any, foreign: Any) -> tuple[Any, int]:
    """A copy of an outline entry and its children in `out` (from another part's PDF,
    `foreign`, or None), and how many entries it shows in the whole outline."""
    import pikepdf

    dest = _copy(out, foreign, entry.Dest) if foreign is not None else entry.Dest
    copy = out.make_indirect(pikepdf.Dictionary(Title=entry.Title, Parent=parent, Dest=dest))
    children = []
    child = entry.get("/First")
    while child is not None:
        children.append(_copy_outline(out, child, copy, foreign))
        child = child.get("/Next")
    shown = _link(copy, children)
    count = int(entry.get("/Count", 0))  # negative: closed, its children hidden
    copy.Count = shown if count >= 0 else -shown
    return copy, 1 + (shown if count >= 0 else 0)


def _link(parent: Any, items: list[tuple[Any, int]]) -> int:
    """Chain outline entries under `parent`; returns how many entries they show."""
    for (before, _), (after, _) in itertools.pairwise(items):
        before.Next = after
        after.Prev = before
    if items:
        parent.First = items[0][0]
        parent.Last = items[-1][0]
    return sum(shown for _, shown in items)


def join(parts: list[bytes]) -> bytes:
    """One PDF of the parts, in order; the first part's catalog (language, metadata, viewer
    preferences) is the packet's."""
    import pikepdf

    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    out = sources[0]
    tree = out.Root.StructTreeRoot
    document = tree.K[0]
    kids = list(document.K)
    nums = _nums(out)
    dests: dict[str, Any] = {}
    outline: list[tuple[Any, Any]] = [(out, e) for e in _outline(out)]
    for name, dest in _dests(out):
        dests.setdefault(name, dest)
    for source in sources[1:]:
        shift = max((key for key, _ in nums), default=-1) + 1
        for page in source.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + shift
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + shift
        out.pages.extend(source.pages)
        # Children of the part's Document element go under the packet's; their /P is
        # cut first so that copying them does not bring the part's whole tree along.
        own = source.Root.StructTreeRoot.K[0]
        for kid in own.K:
            del kid["/P"]
        for kid in own.K:
            kid = out.copy_foreign(kid if kid.is_indirect else source.make_indirect(kid))
            kid.P = document
            kids.append(kid)
        for key, value in _nums(source):
            nums.append((key + shift, _copy(out, source, value)))
        for name, dest in _dests(source):
            dests.setdefault(name, _copy(out, source, dest))
        outline += [(source, e) for e in _outline(source)]
    document.K = pikepdf.Array(kids)
    tree.ParentTree = out.make_indirect(pikepdf.Dictionary(
        Nums=pikepdf.Array([x for key, value in sorted(nums, key=lambda n: n[0])
                            for x in (key, value)])))
    tree.ParentTreeNextKey = max((key for key, _ in nums), default=-1) + 1
    names = out.Root.get("/Names") or out.make_indirect(pikepdf.Dictionary())
    names.Dests = out.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(
        [x for name in sorted(dests) for x in (pikepdf.String(name), dests[name])])))
    out.Root.Names = names
    _point_part_links(out, set(dests))
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    copies = [_copy_outline(out, entry, root, None if source is out else source)
              for source, entry in outline]
    root.Count = _link(root, copies)
    out.Root.Outlines = root
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate,
             compress_streams=True)
    for source in sources:
        source.close()
    return buffer.getvalue()


def _copy(out: Any, source: Any, obj: Any) -> Any:
    """`obj` of `source` in `out` (pikepdf copies only indirect objects from another PDF)."""
    return out.copy_foreign(obj if obj.is_indirect else source.make_indirect(obj))


def _dests(pdf: Any) -> list[tuple[str, Any]]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return []
    flat = dests.Names
    return [(str(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]


def _point_part_links(out: Any, names: set[str]) -> None:
    """Links written as `askfirst-part:NAME` become links to the named destination NAME."""
    import pikepdf

    for page in out.pages:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
            if uri.startswith(PART_LINK):
                name = uri.removeprefix(PART_LINK)
                if name not in names:
                    raise MissingAnchor(name)
                del annot["/A"]
                annot.Dest = pikepdf.String(name)
