"""A fake Microsoft Graph (and a fake Entra token endpoint) on loopback.

It keeps a small document library in memory and answers the requests QA Bot makes, in the
shapes kept under tests/fixtures/graph/ (copied from Microsoft's documentation):

- GET  /v1.0/sites/{hostname}:/{path}               the site, by path
- GET  /v1.0/sites/{site-id}/drives                 the site's document libraries
- GET  /v1.0/drives/{drive-id}/items/root/delta()   delta pages: @odata.nextLink, then @odata.deltaLink
- GET  /v1.0/drives/{drive-id}/items/{id}/content   302 to a download URL, like Graph
- GET  /v1.0/drives/{drive-id}/items/{id}/permissions
                                                    the item's effective permissions
                                                    (permissions_list.json, from "List sharing
                                                    permissions on a driveItem"): those inherited
                                                    carry `inheritedFrom` (the nearest ancestor
                                                    with permissions of its own, or the root); an
                                                    item with unique permissions (`set_unique`)
                                                    has one granted on itself, without it
- GET  /v1.0/drives/{drive-id}/root:/{path}         an item by its path (404 itemNotFound if none)
- POST /v1.0/drives/{drive-id}/items/{id}/children  create a folder (conflictBehavior fail -> 409)
- PUT  /v1.0/drives/{drive-id}/items/{parent-id}:/{name}:/content
                                                    simple upload (201 new, 200 replaced)
- POST /v1.0/drives/{drive-id}/items/{parent-id}:/{name}:/createUploadSession
                                                    an upload session; its uploadUrl takes PUTs
                                                    with Content-Range (202, then 201/200)
- GET  /v1.0/groups/{id}/calendarView, /v1.0/users/{id}/calendarView
                                                    events between startDateTime and endDateTime
- GET  /v1.0/shares/{u!…}/driveItem[/content]      a file by its sharing URL (Graph "Accessing
                                                    shared DriveItems": "u!" + unpadded base64url
                                                    of the URL), as a bot reads a file posted in
                                                    Teams; `sharing_url` gives an item's URL, one
                                                    in `forbidden` answers 403 accessDenied
- GET  /v1.0/teams/{team-id}/channels/{channel-id}/messages/{message-id}/replies/{reply-id}
                                                    a reply in a channel (Graph "Get chatMessage in
                                                    a channel or chat", channel_reply_message.json):
                                                    `add_channel_reply` posts one with its file
                                                    attachments; 404 for any other, 403 while
                                                    `messages_forbidden` (no ChannelMessage.Read.*)
- POST /{tenant}/oauth2/v2.0/token                  client-credentials tokens (TLS server only)

Every change to the library gets a sequence number; a delta token is the sequence number it
was issued at, so a later delta returns exactly what changed since. Delta items carry no
`parentReference.path`, as on the real service. Scripted faults (`fail_next`) answer 429/503
with Retry-After, or 401, a given number of times; `expire_delta_tokens` answers the next
delta request that carries a token with 410 resyncChangesApplyDifferences and a `Location`
header to start again from (driveItem: delta, "Scanning permissions hierarchies" / 410 Gone).
Content downloads can be made to fail (`broken`: a 500 from the download URL, or bytes that
are no document at all).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import ssl
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlparse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "graph"


@functools.cache
def _fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def fixture(name: str) -> dict[str, Any]:
    """A fresh copy of a fixture (read from disk once)."""
    data: dict[str, Any] = json.loads(_fixture_text(name))
    return data


SITE = fixture("site_by_path.json")
DRIVES = fixture("drives.json")
DRIVE_ID: str = DRIVES["value"][0]["id"]
ROOT_ID = fixture("delta_item_root.json")["id"]
MIME = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
}


@dataclass
class FakeItem:
    id: str
    name: str
    parent_id: str
    folder: bool
    content: bytes = b""
    seq: int = 0
    modified: datetime = field(default_factory=lambda: datetime(2026, 11, 20, 9, 0, tzinfo=UTC))
    modified_by: str = "QA Officer"
    deleted: bool = False
    unique: bool = False  # permissions of its own (broken inheritance)


@dataclass
class UploadSession:
    parent_id: str
    name: str
    received: bytearray = field(default_factory=bytearray)


@dataclass
class Fault:
    status: int
    times: int
    path_contains: str = ""
    retry_after: int | None = None
    body: dict[str, Any] | None = None


class FakeGraph:
    """Start with `with FakeGraph() as g:`; `g.base_url` is the GRAPH_BASE_URL to use."""

    def __init__(
        self,
        *,
        site_path: str = "contoso.sharepoint.com:/sites/SSCB",
        page_size: int = 200,
        tls: tuple[str, str] | None = None,
        client_secret: str = "right-secret",
        client_id: str = "00000000-0000-4000-8000-0000000000aa",
    ) -> None:
        self.site_path = site_path
        self.page_size = page_size
        self.client_secret = client_secret
        self.client_id = client_id
        self.items: dict[str, FakeItem] = {}
        self._folders: dict[tuple[str, str], str] = {}  # (parent id, name) -> folder id
        self.seq = 0
        self._ids = 0
        self.requests: list[tuple[str, str]] = []
        self.auth_headers: list[str | None] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self.sessions: dict[str, UploadSession] = {}
        self.events: dict[str, list[dict[str, Any]]] = {}  # "groups/<id>" -> calendar events
        self.prefer: list[str | None] = []  # the Prefer header of each calendarView request
        self.expired_tokens = 0  # delta requests with a token to answer 410 resync
        self.broken: set[str] = set()  # item ids whose download URL answers 500
        self.forbidden: set[str] = set()  # item ids the app may not open by sharing URL (403)
        self.channel_messages: dict[str, dict[str, Any]] = {}  # "teams/…/replies/<id>" -> chatMessage
        self.messages_forbidden = False  # channel messages answer 403 (no ChannelMessage.Read.*)
        self._tls = tls
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.items[ROOT_ID] = FakeItem(ROOT_ID, "root", "", True, seq=self._next_seq())

    # ---- the library -------------------------------------------------------------------------

    def _next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def _new_id(self) -> str:
        self._ids += 1
        return f"01FAKE{self._ids:026d}"

    def _folder_for(self, path: str) -> str:
        """The id of the folder at `path` ("A/B"), created if missing."""
        parent = ROOT_ID
        for part in [p for p in path.split("/") if p]:
            found = self.items.get(self._folders.get((parent, part), ""))
            if found is None or found.deleted or found.parent_id != parent or found.name != part:
                found = FakeItem(self._new_id(), part, parent, True, seq=self._next_seq())
                self.items[found.id] = found
                self._folders[(parent, part)] = found.id
            parent = found.id
        return parent

    def add_folder(self, path: str) -> str:
        with self.lock:
            return self._folder_for(path)

    def add_file(self, path: str, content: bytes = b"", *, modified_by: str = "QA Officer") -> str:
        with self.lock:
            folder, _, name = path.rpartition("/")
            parent = self._folder_for(folder)
            item = FakeItem(
                self._new_id(), name, parent, False, content, self._next_seq(), modified_by=modified_by
            )
            self.items[item.id] = item
            return item.id

    def update_file(self, item_id: str, content: bytes) -> None:
        with self.lock:
            it = self.items[item_id]
            it.content, it.seq = content, self._next_seq()
            it.modified = it.modified + timedelta(hours=1)

    def rename(self, item_id: str, new_name: str) -> None:
        with self.lock:
            it = self.items[item_id]
            it.name, it.seq = new_name, self._next_seq()
            if it.folder:
                self._folders[(it.parent_id, new_name)] = it.id

    def move(self, item_id: str, new_parent_path: str) -> None:
        with self.lock:
            it = self.items[item_id]
            it.parent_id, it.seq = self._folder_for(new_parent_path), self._next_seq()
            if it.folder:
                self._folders[(it.parent_id, it.name)] = it.id

    def delete(self, item_id: str) -> None:
        """Deletes the item and, like SharePoint, everything inside it."""
        with self.lock:
            todo = [item_id]
            while todo:
                cur = todo.pop()
                it = self.items[cur]
                it.deleted, it.seq = True, self._next_seq()
                todo += [i.id for i in self.items.values() if i.parent_id == cur and not i.deleted]

    def set_unique(self, item_id: str, unique: bool = True, *, reported: bool = True) -> None:
        """Break (or restore) the item's permission inheritance, as "Stop inheriting permissions"
        in SharePoint does. `reported=False`: as an app without Sites.FullControl.All sees it, the
        delta does not list the change (only a fresh enumeration shows the new `shared` facet)."""
        with self.lock:
            it = self.items[item_id]
            it.unique = unique
            if reported:
                it.seq = self._next_seq()

    def expire_delta_tokens(self, times: int = 1) -> None:
        with self.lock:
            self.expired_tokens += times

    def forget_deletions(self) -> None:
        """Deleted items drop out of the change log (as when a token is too old to replay)."""
        with self.lock:
            self.items = {k: v for k, v in self.items.items() if not v.deleted}

    def permissions(self, item_id: str) -> dict[str, Any]:
        """The documented permission list: inherited from the nearest ancestor with permissions
        of its own (or the root), plus one granted on the item itself when it has its own."""
        body = fixture("permissions_list.json")
        link, inherited = body["value"]
        with self.lock:
            it = self.items[item_id]
            source = self.items[it.parent_id] if it.parent_id else it
            while not source.unique and source.parent_id:
                source = self.items[source.parent_id]
        inherited["inheritedFrom"] = {"driveId": DRIVE_ID, "id": source.id}
        out: list[dict[str, Any]] = [inherited]
        if it.unique:
            own = {k: v for k, v in inherited.items() if k != "inheritedFrom"}
            out.append({**own, "id": "3", "roles": ["read"]})
        body["value"] = out if item_id != ROOT_ID else [link]
        return body

    def find(self, path: str) -> FakeItem | None:
        """The current item at `path` ("A/B/c.docx"), names matched ignoring case as SharePoint does."""
        with self.lock:
            return self._find(path)

    def _find(self, path: str) -> FakeItem | None:
        cur = self.items[ROOT_ID]
        for part in [p for p in path.split("/") if p]:
            cur_id = cur.id
            found = [
                i
                for i in self.items.values()
                if i.parent_id == cur_id and not i.deleted and i.name.lower() == part.lower()
            ]
            if not found:
                return None
            cur = found[0]
        return cur

    def sharing_url(self, item_id: str) -> str:
        """Where Teams says a file posted in a channel is: the team site's library and path."""
        return "https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/" + quote(self.path_of(item_id))

    def by_sharing_token(self, token: str) -> FakeItem | None:
        if not token.startswith("u!"):
            return None
        raw = token[2:]
        try:
            url = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        except ValueError:
            return None
        for it in list(self.items.values()):
            if not it.folder and not it.deleted and it.id != ROOT_ID and self.sharing_url(it.id) == url:
                return it
        return None

    def path_of(self, item_id: str) -> str:
        parts: list[str] = []
        it = self.items[item_id]
        while it.id != ROOT_ID:
            parts.append(it.name)
            it = self.items[it.parent_id]
        return "/".join(reversed(parts))

    def _put_file(self, parent_id: str, name: str, content: bytes) -> tuple[FakeItem, bool]:
        """Create or replace (conflictBehavior replace) a file; True when it was created."""
        existing = [
            i
            for i in self.items.values()
            if i.parent_id == parent_id and not i.deleted and i.name.lower() == name.lower()
        ]
        if existing:
            it = existing[0]
            it.content, it.seq = content, self._next_seq()
            it.modified = it.modified + timedelta(hours=1)
            return it, False
        it = FakeItem(self._new_id(), name, parent_id, False, content, self._next_seq(), modified_by="QA Bot")
        self.items[it.id] = it
        return it, True

    # ---- channel messages ------------------------------------------------------------------

    def add_channel_reply(
        self, team: str, channel: str, root: str, reply: str, files: list[tuple[str, str, str]]
    ) -> None:
        """A reply in a channel's thread with files (attachment id, name, contentUrl) as Graph
        returns it: "reference" attachments, each tagged in the HTML body."""
        msg = fixture("channel_reply_message.json")
        msg.pop("_source")
        msg["id"] = msg["etag"] = reply
        msg["replyToId"] = root
        msg["channelIdentity"] = {"teamId": team, "channelId": channel}
        tags = "".join(f'<attachment id="{i}"></attachment>' for i, _, _ in files)
        msg["body"] = {"contentType": "html", "content": f"<p>submitted, our return attached</p>{tags}"}
        msg["attachments"] = [
            {
                "id": i,
                "contentType": "reference",
                "contentUrl": url,
                "content": None,
                "name": name,
                "thumbnailUrl": None,
            }
            for i, name, url in files
        ]
        with self.lock:
            self.channel_messages[f"teams/{team}/channels/{channel}/messages/{root}/replies/{reply}"] = msg

    # ---- calendars ---------------------------------------------------------------------------

    def add_event(
        self,
        calendar: str,
        subject: str,
        start: datetime,
        *,
        minutes: int = 120,
        cancelled: bool = False,
    ) -> str:
        """An event in `calendar` ("groups/<id>" or "users/<mailbox>"); `start` is aware."""
        with self.lock:
            self._ids += 1
            ev = fixture("calendar_event.json")
            ev["id"] = f"AAMkFAKE{self._ids:08d}AAA="
            ev["iCalUId"] = f"0400000082{self._ids:030d}"
            self.events.setdefault(calendar, []).append(ev)
        self.update_event(ev["id"], subject=subject, start=start, minutes=minutes, cancelled=cancelled)
        return str(ev["id"])

    def _event(self, event_id: str) -> dict[str, Any]:
        return next(e for evs in self.events.values() for e in evs if e["id"] == event_id)

    def update_event(
        self,
        event_id: str,
        *,
        subject: str | None = None,
        start: datetime | None = None,
        minutes: int = 120,
        cancelled: bool | None = None,
    ) -> None:
        with self.lock:
            ev = self._event(event_id)
            if subject is not None:
                ev["subject"] = subject
            if start is not None:
                utc = start.astimezone(UTC)
                ev["start"] = {"dateTime": utc.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}
                end = utc + timedelta(minutes=minutes)
                ev["end"] = {"dateTime": end.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}
            if cancelled is not None:
                ev["isCancelled"] = cancelled
                if cancelled and not str(ev["subject"]).startswith("Canceled: "):
                    ev["subject"] = "Canceled: " + str(ev["subject"])  # as Outlook does

    def remove_event(self, event_id: str) -> None:
        with self.lock:
            for evs in self.events.values():
                evs[:] = [e for e in evs if e["id"] != event_id]

    def calendar_view(
        self, calendar: str, query: dict[str, list[str]], url: str
    ) -> tuple[int, dict[str, Any]]:
        def when(text: str) -> datetime:
            return datetime.fromisoformat(text.replace("Z", "+00:00").split(".")[0]).replace(tzinfo=UTC)

        if calendar not in self.events:
            return 404, fixture("error_404_calendar.json")
        try:
            start = datetime.fromisoformat(query["startDateTime"][0].replace("Z", "+00:00"))
            end = datetime.fromisoformat(query["endDateTime"][0].replace("Z", "+00:00"))
        except (KeyError, ValueError):
            return 400, {
                "error": {
                    "code": "ErrorInvalidParameter",
                    "message": "This request requires a time window specified by the query string parameters "
                    "StartDateTime and EndDateTime.",
                }
            }
        top = int(query.get("$top", ["10"])[0])
        skip = int(query.get("$skip", ["0"])[0])
        with self.lock:
            found = sorted(
                (
                    e
                    for e in self.events[calendar]
                    if when(e["start"]["dateTime"]) < end and when(e["end"]["dateTime"]) > start
                ),
                key=lambda e: str(e["start"]["dateTime"]),
            )
            body = fixture("calendar_view_page.json")
            body["value"] = [copy.deepcopy(e) for e in found[skip : skip + top]]
        if skip + top < len(found):
            rest = {k: v for k, v in query.items() if k != "$skip"}
            rest["$skip"] = [str(skip + top)]
            body["@odata.nextLink"] = f"{self.base_url}/{calendar}/calendarView?" + urlencode(
                rest, doseq=True
            )
        else:
            body.pop("@odata.nextLink", None)
        return 200, body

    def fail_next(
        self,
        status: int,
        times: int = 1,
        *,
        path_contains: str = "",
        retry_after: int | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        with self.lock:
            self.faults.append(Fault(status, times, path_contains, retry_after, body))

    def count(self, contains: str = "") -> int:
        return sum(1 for _, p in self.requests if contains in p)

    # ---- responses -----------------------------------------------------------------------------

    def item_json(self, it: FakeItem) -> dict[str, Any]:
        parent_ref = {"driveType": "documentLibrary", "driveId": DRIVE_ID}
        if it.id == ROOT_ID:
            out = fixture("delta_item_root.json")
            out["cTag"] = f'"c:{{{it.id}}},{it.seq}"'
            return out
        if it.deleted:
            out = fixture("delta_item_deleted.json")
            out["id"] = it.id
            out["parentReference"] = {**parent_ref, "id": it.parent_id}
            if it.folder:
                out.pop("file", None)
                out["folder"] = {}
            return out
        out = copy.deepcopy(fixture("delta_item_folder.json" if it.folder else "delta_item_file.json"))
        stamp = it.modified.isoformat().replace("+00:00", "Z")
        out.update(
            id=it.id,
            name=it.name,
            eTag=f'"{{{it.id}}},{it.seq}"',
            cTag=f'"c:{{{it.id}}},{it.seq}"',
            lastModifiedDateTime=stamp,
            size=len(it.content) if not it.folder else 0,
            webUrl=f"https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/{it.id}",
            parentReference={**parent_ref, "id": it.parent_id},
        )
        out["lastModifiedBy"] = {"user": {"displayName": it.modified_by, "email": "someone@contoso.org"}}
        out["fileSystemInfo"] = {"createdDateTime": stamp, "lastModifiedDateTime": stamp}
        if not it.folder:
            ext = "." + it.name.rsplit(".", 1)[-1].lower() if "." in it.name else ""
            out["file"] = {"mimeType": MIME.get(ext, "application/octet-stream")}
            out.pop("@microsoft.graph.downloadUrl", None)
        else:
            out["folder"] = {"childCount": sum(1 for i in self.items.values() if i.parent_id == it.id)}
        return out

    def delta_page(self, since: int, after: int, upto: int) -> dict[str, Any]:
        """Items changed after `since`, continuing after sequence `after`, up to `upto`."""
        with self.lock:
            changed = sorted(
                (i for i in self.items.values() if since < i.seq <= upto and i.seq > after),
                key=lambda i: i.seq,
            )
            # A first sync does not report items that were already deleted.
            if since == 0:
                changed = [i for i in changed if not i.deleted]
            page = changed[: self.page_size]
            body = {"@odata.context": fixture("delta_page.json")["@odata.context"]}
            base = f"{self.base_url}/drives/{DRIVE_ID}/root/delta"
            if len(changed) > self.page_size:
                body["@odata.nextLink"] = f"{base}?token={_token(since, page[-1].seq, upto)}"
            else:
                body["@odata.deltaLink"] = f"{base}?token={_token(upto, -1, -1)}"
            body["value"] = [self.item_json(i) for i in page]  # type: ignore[assignment]
            return body

    # ---- the server ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def origin(self) -> str:
        return f"{'https' if self._tls else 'http'}://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1.0"

    def start(self) -> FakeGraph:
        fake = self

        class Handler(_Handler):
            graph = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self._tls:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(*self._tls)
            self._server.socket = ctx.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _token(since: int, after: int, upto: int) -> str:
    return base64.urlsafe_b64encode(f"{since}:{after}:{upto}".encode()).decode().rstrip("=")


def _untoken(token: str) -> tuple[int, int, int]:
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    a, b, c = (int(x) for x in raw.split(":"))
    return a, b, c


class _Handler(BaseHTTPRequestHandler):
    graph: FakeGraph
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        raw = b""
        ctype = "application/json"
        if isinstance(body, bytes):
            raw, ctype = body, "application/octet-stream"
        elif body is not None:
            raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(raw)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(raw)

    def _fault(self, path: str) -> bool:
        g = self.graph
        with g.lock:
            for f in g.faults:
                if f.times > 0 and f.path_contains in path:
                    f.times -= 1
                    break
            else:
                return False
            g.faults = [x for x in g.faults if x.times > 0]
        headers = {"Retry-After": str(f.retry_after)} if f.retry_after is not None else {}
        body = f.body or fixture(
            {429: "error_429.json", 503: "error_503.json", 401: "error_401_invalid_token.json"}.get(
                f.status, "error_503.json"
            )
        )
        self._send(f.status, body, headers)
        return True

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_POST(self) -> None:
        g = self.graph
        raw = self._body()
        path = urlparse(self.path).path
        g.requests.append(("POST", path))
        if path.startswith("/v1.0/"):
            g.auth_headers.append(self.headers.get("Authorization"))
            if not self._fault(unquote(self.path)):
                self._graph_post(unquote(path)[len("/v1.0/") :], raw)
            return
        form = parse_qs(raw.decode())
        if not path.endswith("/oauth2/v2.0/token"):
            self._send(404, fixture("error_404_site.json"))
            return
        if form.get("client_id", [""])[0] != g.client_id:
            self._send(400, fixture("token_unknown_client.json"))
        elif form.get("client_secret", [""])[0] == "expired-secret":
            self._send(401, fixture("token_expired_secret.json"))
        elif form.get("client_secret", [""])[0] != g.client_secret:
            self._send(401, fixture("token_invalid_client.json"))
        else:
            self._send(200, fixture("token_ok.json"))

    def _graph_post(self, rest: str, raw: bytes) -> None:
        g = self.graph
        prefix = f"drives/{DRIVE_ID}/items/"
        if not rest.startswith(prefix):
            self._send(404, fixture("error_404_item.json"))
            return
        target = rest[len(prefix) :]
        if target.endswith(":/createUploadSession"):
            parent_id, _, name = target.removesuffix(":/createUploadSession").partition(":/")
            parent_id = ROOT_ID if parent_id == "root" else parent_id
            with g.lock:
                if parent_id not in g.items or g.items[parent_id].deleted or not name:
                    self._send(404, fixture("error_404_item.json"))
                    return
                sid = f"s{len(g.sessions) + 1}"
                g.sessions[sid] = UploadSession(parent_id, name)
            body = fixture("upload_session.json")
            body["uploadUrl"] = f"{g.origin}/upload/{sid}?tempauth=x"
            self._send(200, body)
            return
        if target.endswith("/children"):
            parent_id = target.removesuffix("/children")
            parent_id = ROOT_ID if parent_id == "root" else parent_id
            req = json.loads(raw or b"{}")
            name = str(req.get("name") or "")
            with g.lock:
                parent = g.items.get(parent_id)
                if parent is None or parent.deleted or not name or "folder" not in req:
                    self._send(404 if parent is None else 400, fixture("error_404_item.json"))
                    return
                exists = [
                    i
                    for i in g.items.values()
                    if i.parent_id == parent_id and not i.deleted and i.name.lower() == name.lower()
                ]
                if exists and req.get("@microsoft.graph.conflictBehavior") == "fail":
                    self._send(409, fixture("error_409_name_exists.json"))
                    return
                item = FakeItem(g._new_id(), name, parent_id, True, seq=g._next_seq())
                g.items[item.id] = item
                g._folders[(parent_id, name)] = item.id
                self._send(201, g.item_json(item))
            return
        self._send(404, fixture("error_404_item.json"))

    def do_PUT(self) -> None:
        g = self.graph
        raw = self._body()
        url = urlparse(self.path)
        path = unquote(url.path)
        g.requests.append(("PUT", self.path))
        g.auth_headers.append(self.headers.get("Authorization"))
        if self._fault(unquote(self.path)):
            return
        prefix = f"/v1.0/drives/{DRIVE_ID}/items/"
        if path.startswith(prefix) and path.endswith(":/content"):
            parent_id, _, name = path[len(prefix) : -len(":/content")].partition(":/")
            parent_id = ROOT_ID if parent_id == "root" else parent_id
            with g.lock:
                if parent_id not in g.items or g.items[parent_id].deleted or not name:
                    self._send(404, fixture("error_404_item.json"))
                    return
                item, created = g._put_file(parent_id, name, raw)
                self._send(201 if created else 200, g.item_json(item))
            return
        if path.startswith("/upload/"):
            sid = path.split("/")[2]
            with g.lock:
                sess = g.sessions.get(sid)
                rng = self.headers.get("Content-Range") or ""
                try:
                    span, _, total_s = rng.removeprefix("bytes ").partition("/")
                    start, end = (int(x) for x in span.split("-"))
                    total = int(total_s)
                except ValueError:
                    self._send(400, fixture("error_404_item.json"))
                    return
                if sess is None:
                    self._send(404, fixture("error_404_item.json"))
                    return
                if start != len(sess.received) or end - start + 1 != len(raw):
                    self._send(416, fixture("error_404_item.json"))
                    return
                sess.received += raw
                if len(sess.received) < total:
                    body = fixture("upload_session_progress.json")
                    body["nextExpectedRanges"] = [f"{len(sess.received)}-"]
                    self._send(202, body)
                    return
                del g.sessions[sid]
                item, created = g._put_file(sess.parent_id, sess.name, bytes(sess.received))
                self._send(201 if created else 200, g.item_json(item))
            return
        self._send(404, fixture("error_404_item.json"))

    def do_GET(self) -> None:
        g = self.graph
        url = urlparse(self.path)
        path = unquote(url.path)
        g.requests.append(("GET", self.path))
        g.auth_headers.append(self.headers.get("Authorization"))
        if self._fault(unquote(self.path)):
            return
        if path.startswith("/download/"):
            item = g.items.get(path.split("/")[2])
            if item is not None and item.id in g.broken:
                self._send(500, b"")
            elif item is None or item.deleted:
                self._send(404, fixture("error_404_site.json"))
            else:
                self._send(200, item.content)
            return
        if not path.startswith("/v1.0/"):
            self._send(404, fixture("error_404_site.json"))
            return
        rest = path[len("/v1.0/") :]
        if rest.startswith(("groups/", "users/")) and rest.lower().endswith("/calendarview"):
            g.prefer.append(self.headers.get("Prefer"))
            status, body = g.calendar_view(rest.rsplit("/", 1)[0], parse_qs(url.query), self.path)
            self._send(status, body)
        elif rest.startswith("sites/") and rest.endswith("/drives"):
            self._send(200, DRIVES)
        elif rest.startswith("sites/"):
            if rest[len("sites/") :] in (g.site_path, SITE["id"]):
                self._send(200, SITE)
            else:
                self._send(404, fixture("error_404_site.json"))
        elif rest.startswith(f"drives/{DRIVE_ID}/root:"):
            item = g.find(rest[len(f"drives/{DRIVE_ID}/root:") :].rstrip(":"))
            if item is None:
                self._send(404, fixture("error_404_item.json"))
            else:
                self._send(200, g.item_json(item))
        elif rest.startswith(f"drives/{DRIVE_ID}/") and "delta" in rest:
            token = parse_qs(url.query).get("token", [None])[0]
            if token and g.expired_tokens > 0:
                with g.lock:
                    g.expired_tokens -= 1
                fresh = f"{g.base_url}/drives/{DRIVE_ID}/root/delta"
                self._send(410, fixture("error_410_resync.json"), {"Location": fresh})
                return
            since, after, upto = _untoken(token) if token else (0, 0, -1)
            if upto < 0:  # the start of a sync (no token, or a deltaLink): changes up to now
                after, upto = since, g.seq
            body = g.delta_page(since, after, upto)
            if "hierarchicalsharing" in (self.headers.get("Prefer") or ""):
                # Only the roots of permission hierarchies carry the `shared` facet (empty when
                # the item is unique but has no sharing links), as the delta docs describe.
                for it in body["value"]:
                    found = g.items.get(str(it.get("id")))
                    if found is not None and (found.unique or found.id == ROOT_ID) and not found.deleted:
                        it["shared"] = {}
                    else:
                        it.pop("shared", None)
            self._send(200, body)
        elif rest.startswith(f"drives/{DRIVE_ID}/items/") and rest.endswith("/permissions"):
            item_id = rest.split("/")[3]
            item = g.items.get(item_id)
            if item is None or item.deleted:
                self._send(404, fixture("error_404_item.json"))
            else:
                self._send(200, g.permissions(item_id))
        elif rest.startswith("teams/") and "/messages/" in rest:
            message = g.channel_messages.get(rest)
            if g.messages_forbidden:
                self._send(403, fixture("error_403_access_denied.json"))
            elif message is None:
                self._send(404, fixture("error_404_item.json"))
            else:
                self._send(200, message)
        elif rest.startswith("shares/") and rest.split("/")[2:3] == ["driveItem"]:
            parts = rest.split("/")
            item = g.by_sharing_token(parts[1])
            if item is None:
                self._send(404, fixture("error_404_item.json"))
            elif item.id in g.forbidden:
                self._send(403, fixture("error_403_access_denied.json"))
            elif parts[3:] == ["content"]:
                self._send(302, None, {"Location": f"{g.origin}/download/{item.id}?tempauth=x"})
            else:
                self._send(200, g.item_json(item))
        elif rest.startswith(f"drives/{DRIVE_ID}/items/") and rest.endswith("/content"):
            item_id = rest.split("/")[3]
            item = g.items.get(item_id)
            if item is None or item.deleted:
                self._send(404, fixture("error_404_site.json"))
            else:
                self._send(302, None, {"Location": f"{g.origin}/download/{item_id}?tempauth=x"})
        else:
            self._send(404, fixture("error_404_site.json"))


def make_tls_cert(directory: Path) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1 (the token endpoint must be https: azure-identity
    refuses an http authority). Returns (cert file, key file); the cert file is also the CA."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "fake-entra.crt", directory / "fake-entra.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_file), str(key_file)
